/**
 * The generic service a rule is aimed at when it names no product: read from
 * the rule itself, strongest sign first: its app-layer protocol (`alert
 * ssh`), the buffers it inspects (`ssh.software`), its server port (22,
 * `$SSH_PORTS`), then the words of its message and classtype. A sign that
 * points at two services decides nothing, and the next one is read.
 */
import type { PortSet, Rule } from '../../rules/ast.js';
import type { EvidenceRef } from '../../schema/alarm.js';
import type { AlertGroup } from '../group.js';
import { SERVICES, type ServiceDef } from './services.js';

/** A port set wider than this is not read as naming a service ("any", "!22", 1024:). */
const MAX_PORTS = 64;

export interface ServiceTarget {
  service: ServiceDef;
  /** The server port the rule names when it names exactly one. */
  rulePort?: number;
  /** How the rule shows it, in a few words: "its protocol is ssh". */
  how: string;
  evidence: EvidenceRef[];
}

function portCount(p: PortSet): number {
  let n = 0;
  for (const [lo, hi] of p.ranges) n += hi - lo + 1;
  return n;
}

function hasPort(p: PortSet, port: number): boolean {
  return p.ranges.some(([lo, hi]) => port >= lo && port <= hi);
}

/** The header side the server is on: the source for rules written on the server's answer. */
function serverPorts(rule: Rule): PortSet {
  const flow = rule.conditions.find((c) => c.keyword === 'flow')?.value as { direction?: string } | undefined;
  const toClient = flow?.direction === 'to_client' || flow?.direction === 'from_server';
  return toClient ? rule.header.srcPorts : rule.header.dstPorts;
}

function only(defs: readonly ServiceDef[]): ServiceDef | undefined {
  const distinct = [...new Set(defs)];
  return distinct.length === 1 ? distinct[0] : undefined;
}

/**
 * @example
 * ruleService(group, etRule2006546)
 * // { service: SSH, rulePort: 22, how: 'its protocol is ssh', evidence: [...] }
 */
export function ruleService(group: AlertGroup, rule: Rule | undefined): ServiceTarget | undefined {
  const sid = rule?.sid ?? group.sid;
  const ref = sid !== undefined ? `sid:${sid}` : 'rule';
  const ports = rule ? serverPorts(rule) : undefined;
  const narrow = ports && !ports.any && portCount(ports) <= MAX_PORTS ? ports : undefined;
  const single = narrow && portCount(narrow) === 1 ? narrow.ranges[0]![0] : undefined;
  const found = (service: ServiceDef, how: string): ServiceTarget => {
    const evidence: EvidenceRef[] = [{ kind: 'rule', ref, note: `aimed at ${service.name}: ${how}` }];
    if (narrow && service.ports.some((p) => hasPort(narrow, p)) && !how.includes('port'))
      evidence.push({ kind: 'rule', ref, note: `server port ${narrow.text}` });
    return { service, ...(single !== undefined && { rulePort: single }), how, evidence };
  };

  if (rule) {
    const proto = rule.header.protocol.toLowerCase();
    const byProto = SERVICES.find((s) => s.protocols.includes(proto));
    if (byProto) return found(byProto, `its protocol is ${proto}`);
    const buffers = [...new Set(rule.matches.map((m) => m.buffer))];
    const byBuffer = only(SERVICES.filter((s) => buffers.some((b) => s.buffer.test(b))));
    if (byBuffer) {
      const named = buffers.filter((b) => byBuffer.buffer.test(b)).slice(0, 3);
      return found(byBuffer, `it inspects ${named.join(', ')}`);
    }
    if (narrow) {
      const byPort = only(SERVICES.filter((s) => s.ports.some((p) => hasPort(narrow, p))));
      if (byPort) return found(byPort, `its server port is ${narrow.text}`);
    }
  }
  const msg = rule?.msg ?? group.msg;
  const classtype = rule?.classtype ?? group.classtype ?? '';
  const text = msg.slice(0, 1024);
  const byWords = only(SERVICES.filter((s) => s.words.test(text) || s.words.test(classtype)));
  if (byWords)
    return found(
      byWords,
      byWords.words.test(text) ? `its message names ${byWords.label}` : `its class is ${classtype}`,
    );
  return undefined;
}
