/**
 * nfdump's CSV output (`nfdump -r FILE -o csv`) as NetflowRecords. Columns are
 * found by the header's names, so column order may change between versions;
 * the trailing "Summary" block ends the records. Bad lines are problems.
 */
import type { Problem } from '../../schema/problem.js';
import type { NetflowRecord } from './record.js';

export interface NfdumpCsvOptions {
  /** nfdump prints local time; minutes east of UTC of the zone it ran in (default 0: TZ=UTC). */
  utcOffsetMinutes?: number;
  file?: string;
  /** Lines of the file before `text`'s first line, when a large file is parsed in chunks (each led by the header). */
  lineOffset?: number;
}

const protoNames: Record<string, number> = {
  ICMP: 1,
  IGMP: 2,
  TCP: 6,
  UDP: 17,
  GRE: 47,
  ESP: 50,
  ICMP6: 58,
  SCTP: 132,
};
const flagLetters = 'CEUAPRSF';

/** "...A..S." → 0x12; letters in CWR..FIN order, dots for clear bits. */
export function parseNfdumpFlags(s: string): number {
  if (/^(0x)?[0-9a-f]+$/i.test(s) && !s.includes('.')) return Number(s);
  let v = 0;
  const t = s.length === 8 ? s : s.padStart(8, '.');
  for (let i = 0; i < 8; i++) if (t[i] === flagLetters[i]) v |= 1 << (7 - i);
  return v;
}

function parseTime(s: string, offsetMin: number): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?$/.exec(s.trim());
  if (!m) return Number.NaN;
  const secs = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  return secs + (m[7] ? Number(m[7]) : 0) - offsetMin * 60;
}

/**
 * Parses the whole CSV text; records go to onRecord, bad lines to onProblem.
 * @example parseNfdumpCsv(text, (r) => flows.push(r), (p) => log.add(p))
 */
export function parseNfdumpCsv(
  text: string,
  onRecord: (r: NetflowRecord) => void,
  onProblem: (p: Problem) => void,
  opts: NfdumpCsvOptions = {},
): number {
  const offset = opts.utcOffsetMinutes ?? 0;
  let col: Record<string, number> | undefined;
  let n = 0;
  let lineNo = opts.lineOffset ?? 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    lineNo++;
    if (line === '') continue;
    if (line === 'Summary' || line.startsWith('No matching flows')) break;
    const cells = line.split(',');
    if (!col) {
      if (!cells.includes('ts') || !cells.includes('sa')) {
        onProblem(bad(opts.file, lineNo, 'the first line is not an nfdump CSV header (ts,te,td,sa,da,...)'));
        return n;
      }
      col = {};
      for (let i = 0; i < cells.length; i++) col[cells[i]!] = i;
      continue;
    }
    const get = (k: string) => (col![k] === undefined ? undefined : cells[col![k]!]?.trim());
    const num = (k: string) => {
      const v = get(k);
      return v === undefined || v === '' || !/^-?\d+(\.\d+)?$/.test(v) ? undefined : Number(v);
    };
    const ts = parseTime(get('ts') ?? '', offset);
    const te = parseTime(get('te') ?? '', offset);
    const sa = get('sa');
    const da = get('da');
    if (Number.isNaN(ts) || !sa || !da) {
      onProblem(bad(opts.file, lineNo, 'a flow line without a parseable ts / sa / da'));
      continue;
    }
    const prText = get('pr') ?? '';
    const proto = protoNames[prText.toUpperCase()] ?? (/^\d+$/.test(prText) ? Number(prText) : undefined);
    const eng = /^(\d+)\/(\d+)$/.exec(get('eng') ?? '');
    const r: NetflowRecord = {
      kind: 'flow',
      version: 0,
      exporter: get('ra') ?? '',
      domain: eng ? (Number(eng[1]) << 8) | Number(eng[2]) : 0,
      templateId: 0,
      sequence: 0,
      exportTime: parseTime(get('tr') ?? '', offset) || te,
      recvTs: parseTime(get('tr') ?? '', offset) || te,
      offset: lineNo,
      start: ts,
      end: Number.isNaN(te) ? ts : te,
      srcAddr: sa,
      dstAddr: da,
      fields: {},
    };
    const td = num('td');
    if (td !== undefined) r.fields.durationSeconds = td;
    const sp = num('sp');
    if (sp !== undefined) r.srcPort = sp;
    const dpText = get('dp') ?? '';
    const icmp = /^(\d+)\.(\d+)$/.exec(dpText);
    if (icmp) r.dstPort = Number(icmp[1]) * 256 + Number(icmp[2]);
    else if (/^\d+$/.test(dpText)) r.dstPort = Number(dpText);
    if (proto !== undefined) r.proto = proto;
    const flg = get('flg');
    if (flg) r.tcpFlags = parseNfdumpFlags(flg);
    const set = (
      k: string,
      prop:
        | 'packets'
        | 'bytes'
        | 'inputIf'
        | 'outputIf'
        | 'srcAs'
        | 'dstAs'
        | 'tos'
        | 'srcMask'
        | 'dstMask'
        | 'direction',
    ) => {
      const v = num(k);
      if (v !== undefined) r[prop] = v;
    };
    set('ipkt', 'packets');
    set('ibyt', 'bytes');
    set('in', 'inputIf');
    set('out', 'outputIf');
    set('sas', 'srcAs');
    set('das', 'dstAs');
    set('stos', 'tos');
    set('smk', 'srcMask');
    set('dmk', 'dstMask');
    set('dir', 'direction');
    const nh = get('nh');
    if (nh) r.nextHop = nh;
    for (const k of ['opkt', 'obyt', 'fwd', 'dtos', 'exid']) {
      const v = num(k);
      if (v !== undefined && v !== 0) r.fields[k] = v;
    }
    n++;
    onRecord(r);
  }
  return n;
}

function bad(file: string | undefined, line: number, message: string): Problem {
  const p: Problem = { stage: 'read', code: 'netflow.nfdump-csv', message, line };
  if (file !== undefined) p.file = file;
  return p;
}
