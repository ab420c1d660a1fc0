/**
 * Nmap's XML (`nmap -oX`, DTD version 1.05) element by element into asset
 * observations: one Asset per <host>, handed on as soon as the host closes,
 * so a file of any size costs the memory of one host. Elements are taken
 * only where Nmap's DTD puts them (an <address> counts under <host>, not
 * under <hosthint>); anything else is skipped. Lists are bounded by
 * assetLimits and every dropped entry is counted as a problem.
 */
import {
  type Asset,
  type AssetService,
  assetLimits,
  type OsMatch,
  serviceProtos,
} from '../../schema/asset.js';
import type { ProblemLog } from '../../schema/problem.js';
import { assetUid, bounded, canonicalAddress, decimal, isScriptId, wholeNumber } from './fields.js';
import type { XmlHandlers } from './xml-stream.js';

/** What the <nmaprun> and <runstats> elements say about the scan as a whole. */
export interface NmapRunInfo {
  scanner?: 'nmap';
  version?: string;
  args?: string;
  /** Epoch seconds. */
  start?: number;
  finished?: number;
  /** Seconds the scan took. */
  elapsed?: number;
  /** `success` or `error`. */
  exit?: string;
  hostsUp?: number;
  hostsDown?: number;
  hostsTotal?: number;
}

export interface NmapDocument extends XmlHandlers {
  readonly run: NmapRunInfo;
  /** <host> records seen complete, and how many of them became assets. */
  readonly hosts: number;
  readonly assets: number;
}

type Attrs = Readonly<Record<string, string>>;
type OsClass = OsMatch['classes'][number];

interface HostDraft {
  line: number;
  start?: number;
  end?: number;
  address?: { address: string; type: 'ipv4' | 'ipv6' };
  badAddress?: string;
  mac?: string;
  macVendor?: string;
  hostnames: Asset['hostnames'];
  status: string;
  statusReason?: string;
  extraPorts: Asset['extraPorts'];
  services: AssetService[];
  os: OsMatch[];
  hostScripts: Record<string, string>;
  uptime?: number;
}

const F = assetLimits.field;

/**
 * The handlers that turn Nmap XML elements into assets.
 *
 * @example
 * const doc = createNmapDocument({ problems, onAsset: (a) => assets.push(a), stop: xml.stop, line: () => xml.line });
 */
export function createNmapDocument(o: {
  file?: string;
  problems: ProblemLog;
  onAsset: (a: Asset) => void;
  /** Ends reading with a problem (the file is not Nmap's). */
  stop: (code: string, message: string) => void;
  line: () => number;
}): NmapDocument {
  const run: NmapRunInfo = {};
  let hosts = 0;
  let assets = 0;
  let host: HostDraft | undefined;
  let port: AssetService | undefined;
  let osMatch: OsMatch | undefined;
  let osClass: OsClass | undefined;
  /** The list a <cpe> being read goes to, and its text so far. */
  let cpeTarget: string[] | undefined;
  let cpeText = '';

  const problem = (code: string, message: string) =>
    o.problems.add({
      stage: 'read',
      code: `nmap.${code}`,
      message,
      ...(o.file !== undefined ? { file: o.file } : {}),
      line: o.line(),
    });
  const dropped = (what: string, max: number) =>
    problem('limit', `a host lists more than ${max} ${what}; the rest are dropped`);

  function openRoot(name: string, a: Attrs): void {
    if (name !== 'nmaprun') {
      o.stop('not-nmap', `the root element is <${bounded(name, 64)}>, not Nmap's <nmaprun>`);
      return;
    }
    if (a.scanner !== undefined && a.scanner !== 'nmap') {
      o.stop(
        'not-nmap',
        `the file was written by ${JSON.stringify(bounded(a.scanner, 64))}, not Nmap; only Nmap's XML is read as asset inventory`,
      );
      return;
    }
    run.scanner = 'nmap';
    setIf(run, 'version', bounded(a.version, F));
    setIf(run, 'args', bounded(a.args, assetLimits.args));
    setIf(run, 'start', wholeNumber(a.start, 0, 1e13));
  }

  function openInHost(h: HostDraft, name: string, a: Attrs, parent: string): void {
    switch (name) {
      case 'status':
        if (parent !== 'host') return;
        h.status = bounded(a.state, F) ?? 'unknown';
        setIf(h, 'statusReason', bounded(a.reason, F));
        return;
      case 'address':
        if (parent === 'host') address(h, a);
        return;
      case 'hostname':
        if (parent !== 'hostnames' || a.name === undefined) return;
        if (h.hostnames.length >= assetLimits.hostnames) dropped('hostnames', assetLimits.hostnames);
        else h.hostnames.push(compact({ name: bounded(a.name, F)!, type: bounded(a.type, F) }));
        return;
      case 'extraports': {
        const count = wholeNumber(a.count, 0, 1e9);
        if (parent !== 'ports' || a.state === undefined || count === undefined) return;
        if (h.extraPorts.length >= assetLimits.extraPorts) dropped('extraports', assetLimits.extraPorts);
        else h.extraPorts.push({ state: bounded(a.state, F)!, count });
        return;
      }
      case 'port':
        if (parent === 'ports') port = newPort(a);
        return;
      case 'state':
        if (parent !== 'port' || !port) return;
        port.state = bounded(a.state, F) ?? 'unknown';
        setIf(port, 'reason', bounded(a.reason, F));
        setIf(port, 'reasonTtl', wholeNumber(a.reason_ttl, 0, 255));
        return;
      case 'service':
        if (parent === 'port' && port) service(port, a);
        return;
      case 'cpe':
        if (parent === 'service' && port) cpeTarget = port.cpe;
        else if (parent === 'osclass' && osClass) cpeTarget = osClass.cpe;
        cpeText = '';
        return;
      case 'script':
        if (parent === 'port' && port) script(port.scripts, a);
        else if (parent === 'hostscript') script(h.hostScripts, a);
        return;
      case 'osmatch':
        if (parent !== 'os' || a.name === undefined) return;
        osMatch = {
          name: bounded(a.name, F)!,
          accuracy: wholeNumber(a.accuracy, 0, 100) ?? 0,
          cpe: [],
          classes: [],
        };
        return;
      case 'osclass':
        if (parent !== 'osmatch' || !osMatch) return;
        osClass = compact({
          type: bounded(a.type, F),
          vendor: bounded(a.vendor, F),
          family: bounded(a.osfamily, F),
          generation: bounded(a.osgen, F),
          accuracy: wholeNumber(a.accuracy, 0, 100),
          cpe: [] as string[],
        });
        return;
      case 'uptime':
        if (parent === 'host') setIf(h, 'uptime', wholeNumber(a.seconds, 0, 1e12));
        return;
    }
  }

  function address(h: HostDraft, a: Attrs): void {
    if (a.addrtype === 'mac') {
      setIf(h, 'mac', bounded(a.addr, F));
      setIf(h, 'macVendor', bounded(a.vendor, F));
      return;
    }
    if (h.address || a.addr === undefined) return; // Nmap lists one IP per host; keep the first.
    const ip = canonicalAddress(a.addr, a.addrtype);
    if (ip) h.address = ip;
    else h.badAddress ??= bounded(a.addr, 64);
  }

  function newPort(a: Attrs): AssetService | undefined {
    const portNumber = wholeNumber(a.portid, 0, 65535);
    const proto = serviceProtos.find((p) => p === a.protocol);
    if (portNumber === undefined || proto === undefined) {
      problem(
        'bad-port',
        `a <port> with protocol ${JSON.stringify(bounded(a.protocol, 32))} and portid ${JSON.stringify(bounded(a.portid, 32))} is skipped`,
      );
      return undefined;
    }
    return { port: portNumber, proto, state: 'unknown', cpe: [], scripts: {} };
  }

  function service(p: AssetService, a: Attrs): void {
    setIf(p, 'name', bounded(a.name, F));
    setIf(p, 'product', bounded(a.product, F));
    setIf(p, 'version', bounded(a.version, F));
    setIf(p, 'extraInfo', bounded(a.extrainfo, F));
    setIf(p, 'tunnel', bounded(a.tunnel, F));
    setIf(p, 'hostname', bounded(a.hostname, F));
    setIf(p, 'osType', bounded(a.ostype, F));
    setIf(p, 'deviceType', bounded(a.devicetype, F));
    if (a.method === 'probed' || a.method === 'table') p.method = a.method;
    setIf(p, 'confidence', wholeNumber(a.conf, 0, 10));
  }

  function script(into: Record<string, string>, a: Attrs): void {
    if (!isScriptId(a.id)) {
      problem('bad-script-id', `a <script> with id ${JSON.stringify(bounded(a.id, 64))} is skipped`);
      return;
    }
    if (Object.hasOwn(into, a.id)) return;
    if (Object.keys(into).length >= assetLimits.scripts) dropped('scripts', assetLimits.scripts);
    else into[a.id] = bounded(a.output ?? '', assetLimits.scriptText)!;
  }

  function closeInHost(h: HostDraft, name: string, parent: string | undefined): void {
    switch (name) {
      case 'port':
        if (parent !== 'ports' || !port) return;
        if (h.services.length >= assetLimits.services) dropped('ports', assetLimits.services);
        else h.services.push(port);
        port = undefined;
        return;
      case 'cpe':
        if (cpeTarget) {
          const cpe = bounded(cpeText.trim(), F)!;
          if (cpe && !cpeTarget.includes(cpe)) {
            if (cpeTarget.length >= assetLimits.cpes) dropped('CPEs for one entry', assetLimits.cpes);
            else cpeTarget.push(cpe);
          }
        }
        cpeTarget = undefined;
        cpeText = '';
        return;
      case 'osclass':
        if (parent !== 'osmatch' || !osMatch || !osClass) return;
        if (osMatch.classes.length >= assetLimits.osClasses) dropped('OS classes', assetLimits.osClasses);
        else osMatch.classes.push(osClass);
        for (const c of osClass.cpe)
          if (!osMatch.cpe.includes(c) && osMatch.cpe.length < assetLimits.cpes) osMatch.cpe.push(c);
        osClass = undefined;
        return;
      case 'osmatch':
        if (parent !== 'os' || !osMatch) return;
        if (h.os.length >= assetLimits.osMatches) dropped('OS matches', assetLimits.osMatches);
        else h.os.push(osMatch);
        osMatch = undefined;
        return;
    }
  }

  function finishHost(h: HostDraft): void {
    hosts++;
    if (!h.address) {
      problem(
        'host-without-address',
        h.badAddress !== undefined
          ? `a host's address ${JSON.stringify(h.badAddress)} is not an IP address; the host is skipped`
          : 'a host has no IP address; it is skipped',
      );
      return;
    }
    const asset: Asset = compact({
      uid: assetUid([
        'nmap',
        run.start,
        run.args,
        h.address.address,
        h.start,
        h.end,
        // Without a scan start the file's own position keeps hosts of different files apart.
        run.start === undefined ? `${o.file ?? ''}:${h.line}` : '',
      ]),
      ts: h.end ?? h.start ?? run.start ?? 0,
      scanStart: run.start,
      address: h.address.address,
      addressType: h.address.type,
      mac: h.mac,
      macVendor: h.macVendor,
      hostnames: h.hostnames,
      status: h.status,
      statusReason: h.statusReason,
      extraPorts: h.extraPorts,
      services: h.services,
      os: h.os,
      hostScripts: h.hostScripts,
      uptime: h.uptime,
      source: compact({
        scanner: 'nmap' as const,
        version: run.version,
        args: run.args,
        file: o.file,
        line: h.line,
      }),
    });
    assets++;
    o.onAsset(asset);
  }

  return {
    run,
    get hosts() {
      return hosts;
    },
    get assets() {
      return assets;
    },
    open(name, a, parent, line) {
      if (parent === undefined) return openRoot(name, a);
      if (name === 'host' && parent === 'nmaprun') {
        host = compact({
          line,
          start: wholeNumber(a.starttime, 0, 1e13),
          end: wholeNumber(a.endtime, 0, 1e13),
          hostnames: [],
          status: 'unknown',
          extraPorts: [],
          services: [],
          os: [],
          hostScripts: {},
        });
        port = osMatch = osClass = cpeTarget = undefined;
        return;
      }
      if (parent === 'runstats') return runstats(run, name, a);
      if (host) openInHost(host, name, a, parent);
    },
    close(name, parent) {
      if (!host) return;
      if (name === 'host' && parent === 'nmaprun') {
        const h = host;
        host = undefined;
        finishHost(h);
        return;
      }
      closeInHost(host, name, parent);
    },
    text(t) {
      if (cpeTarget && cpeText.length <= F) cpeText += t;
    },
  };
}

function runstats(run: NmapRunInfo, name: string, a: Attrs): void {
  if (name === 'finished') {
    setIf(run, 'finished', wholeNumber(a.time, 0, 1e13));
    setIf(run, 'elapsed', decimal(a.elapsed));
    setIf(run, 'exit', bounded(a.exit, 64));
  } else if (name === 'hosts') {
    setIf(run, 'hostsUp', wholeNumber(a.up, 0, 1e12));
    setIf(run, 'hostsDown', wholeNumber(a.down, 0, 1e12));
    setIf(run, 'hostsTotal', wholeNumber(a.total, 0, 1e12));
  }
}

/** Sets an optional field only when there is a value, so records round-trip through JSON unchanged. */
function setIf<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

/** The object without its undefined fields (same reason as setIf). */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
