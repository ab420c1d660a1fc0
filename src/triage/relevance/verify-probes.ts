/**
 * `picket verify`'s probes: safe, read-only questions to ONE address the user
 * named — the way the seed's analyst ran joomla_version against their own
 * server. HTTP GET of / and of the catalogue's fingerprint paths for the
 * products a rule targets (HEAD where the body would be a secret, like a
 * router's rom-0), and the SSH server's version line. Nothing is sent but
 * those requests: no payloads, no logins, no redirects followed, bounded
 * time and bytes. The answers become an Asset observation (scanner 'verify').
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Asset, AssetService } from '../../schema/asset.js';
import { formatAddress, parseAddress } from '../../util/ip.js';
import type { Catalogue } from './catalogue.js';
import type { CatalogueProduct } from './catalogue-schema.js';
import { foundByPath, generatorOf } from './fingerprint.js';
import { type ProbeRecord, probeKey } from './probe-record.js';

export interface VerifyPlan {
  /** A literal IPv4 or IPv6 address. */
  host: string;
  /** Web ports to ask over HTTP. */
  httpPorts: number[];
  /** Ports to read an SSH version line from. */
  sshPorts: number[];
  /** Paths to ask on each web port, with the method. */
  paths: { method: 'GET' | 'HEAD'; path: string }[];
}

export interface VerifyLimits {
  /** Per request, connect to last byte. */
  timeoutMs: number;
  /** Body bytes read per answer; the rest is not read. */
  maxBody: number;
}

export const defaultVerifyLimits: VerifyLimits = { timeoutMs: 5000, maxBody: 256 * 1024 };

const USER_AGENT = 'Picket-verify/0.1 (read-only fingerprint check)';
const SSH_PRODUCTS = new Set(['openssh', 'cisco-ssh']);
const MAX_PATHS = 32;

/**
 * The canonical text of a literal address, or undefined: verify never resolves names
 * (a name can point anywhere, and looking it up already talks to someone else).
 *
 * @example literalAddress('10.99.0.10') // '10.99.0.10'; literalAddress('example.com') // undefined
 */
export function literalAddress(host: string): string | undefined {
  const t = host.trim().replace(/^\[(.*)\]$/, '$1');
  const b = parseAddress(t);
  return b ? formatAddress(b, b.length) : undefined;
}

/**
 * What to ask for the products a rule targets (and what they require: JCE → Joomla).
 *
 * @example
 * planProbes('10.99.0.10', [catalogue.product('joomla')!], catalogue, {}).paths
 * // [{ method: 'GET', path: '/' }, { method: 'GET', path: '/administrator/manifests/files/joomla.xml' }, ...]
 */
export function planProbes(
  host: string,
  products: readonly CatalogueProduct[],
  catalogue: Catalogue,
  opts: { port?: number },
): VerifyPlan {
  const all = new Map<string, CatalogueProduct>();
  const add = (p: CatalogueProduct, depth: number) => {
    if (all.has(p.id) || depth > 4) return;
    all.set(p.id, p);
    for (const r of p.requires) {
      const q = catalogue.product(r);
      if (q) add(q, depth + 1);
    }
  };
  for (const p of products) add(p, 0);
  const ssh = [...all.values()].some((p) => SSH_PRODUCTS.has(p.id));
  const web = !ssh || [...all.values()].some((p) => p.fingerprints.length > 0 || p.kind !== 'server');
  const paths: VerifyPlan['paths'] = [{ method: 'GET', path: '/' }];
  for (const p of all.values())
    for (const f of p.fingerprints) {
      const method = f.headOnly ? 'HEAD' : 'GET';
      if (!paths.some((x) => x.path === f.path && x.method === method) && paths.length < MAX_PATHS)
        paths.push({ method, path: f.path });
    }
  const port = opts.port;
  return {
    host,
    httpPorts: web ? [port ?? 80] : [],
    sshPorts: ssh ? [port ?? 22] : [],
    paths,
  };
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return (Array.isArray(v) ? v[0] : v)?.slice(0, 512);
}

/** One HTTP request, read-only and bounded; a redirect is recorded, never followed. */
export function httpProbe(
  host: string,
  port: number,
  method: 'GET' | 'HEAD',
  path: string,
  catalogue: Catalogue,
  limits: VerifyLimits,
): Promise<ProbeRecord> {
  const base: ProbeRecord = { kind: 'http', method, path };
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: ProbeRecord) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = request(
      {
        host,
        port,
        method,
        path,
        headers: { 'User-Agent': USER_AGENT, Accept: '*/*', Connection: 'close' },
        agent: false,
        insecureHTTPParser: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        const record = (): ProbeRecord => {
          const body = Buffer.concat(chunks).toString('latin1');
          const r: ProbeRecord = { ...base, status: res.statusCode ?? 0, bytes };
          const type = firstHeader(res.headers['content-type']);
          if (type) r.contentType = type;
          const server = firstHeader(res.headers.server);
          if (server) r.server = server;
          const powered = firstHeader(res.headers['x-powered-by']);
          if (powered) r.poweredBy = powered;
          if (/html/i.test(type ?? '')) {
            const g = generatorOf(body);
            if (g) r.generator = g.slice(0, 512);
          }
          const found = foundByPath(catalogue, path, r.status!, body)[0];
          if (found)
            r.found = { product: found.product.id, ...(found.version && { version: found.version }) };
          if (r.status! >= 300 && r.status! < 400) {
            const loc = firstHeader(res.headers.location);
            if (loc) r.error = `redirect to ${loc.slice(0, 200)} not followed`;
          }
          return r;
        };
        res.on('data', (c: Buffer) => {
          const room = limits.maxBody - bytes;
          if (room > 0) chunks.push(c.subarray(0, room));
          bytes += Math.min(c.length, Math.max(room, 0));
          if (bytes >= limits.maxBody) finish({ ...record(), error: `body cut at ${limits.maxBody} bytes` });
        });
        res.on('end', () => finish(record()));
        res.on('error', (e) => finish({ ...record(), error: e.message.slice(0, 200) }));
      },
    );
    const timer = setTimeout(
      () => finish({ ...base, error: `no answer within ${limits.timeoutMs} ms` }),
      limits.timeoutMs,
    );
    req.on('error', (e) => finish({ ...base, error: e.message.slice(0, 200) }));
    req.end();
  });
}

/** Reads the SSH server's version line and closes; sends nothing. */
export function sshProbe(host: string, port: number, limits: VerifyLimits): Promise<ProbeRecord> {
  return new Promise((resolve) => {
    let buf = '';
    let done = false;
    const finish = (r: ProbeRecord) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const sock = connect({ host, port });
    const timer = setTimeout(
      () => finish({ kind: 'ssh', error: `no version line within ${limits.timeoutMs} ms` }),
      limits.timeoutMs,
    );
    sock.on('data', (c: Buffer) => {
      buf += c.toString('latin1');
      // RFC 4253 lets a server send other lines before SSH-; the version line ends with CR LF.
      for (const line of buf.split('\n').slice(0, -1))
        if (line.startsWith('SSH-'))
          return finish({ kind: 'ssh', banner: line.replace(/\r$/, '').slice(0, 255) });
      if (buf.length > 4096) finish({ kind: 'ssh', error: 'no SSH version line in the first 4 KiB' });
    });
    sock.on('error', (e) => finish({ kind: 'ssh', error: e.message.slice(0, 200) }));
    sock.on('end', () => finish({ kind: 'ssh', error: 'closed without a version line' }));
  });
}

/** Runs a plan, one request at a time, and returns the records and the Asset to store. */
export async function runProbes(
  plan: VerifyPlan,
  catalogue: Catalogue,
  limits: VerifyLimits = defaultVerifyLimits,
  now = Date.now() / 1000,
): Promise<{ records: { port: number; record: ProbeRecord }[]; asset: Asset }> {
  const records: { port: number; record: ProbeRecord }[] = [];
  for (const port of plan.httpPorts)
    for (const p of plan.paths)
      records.push({ port, record: await httpProbe(plan.host, port, p.method, p.path, catalogue, limits) });
  for (const port of plan.sshPorts) records.push({ port, record: await sshProbe(plan.host, port, limits) });
  return { records, asset: probeAsset(plan.host, records, catalogue, now) };
}

/** The probes' answers as one Asset observation (source scanner 'verify'). */
export function probeAsset(
  host: string,
  records: readonly { port: number; record: ProbeRecord }[],
  catalogue: Catalogue,
  ts: number,
): Asset {
  const services = new Map<number, AssetService>();
  for (const { port, record } of records) {
    const answered = record.status !== undefined || record.banner !== undefined;
    let svc = services.get(port);
    if (!svc) {
      svc = {
        port,
        proto: 'tcp',
        state: answered ? 'open' : 'unknown',
        name: record.kind,
        method: 'probed',
        cpe: [],
        scripts: {},
      };
      services.set(port, svc);
    }
    if (answered) svc.state = 'open';
    svc.scripts[probeKey(record)] = JSON.stringify(record);
    const banner = record.server ?? record.banner?.replace(/^SSH-[\d.]+-/, '');
    const known = banner
      ? catalogue.fromBanner(banner).find((r) => r.product.kind !== 'application')
      : undefined;
    if (known && !svc.product) {
      svc.product = known.product.name;
      if (known.version) svc.version = known.version;
    }
  }
  const uid = `V${createHash('sha256').update(`${host}|${ts}`).digest('hex').slice(0, 22)}`;
  return {
    uid,
    ts,
    address: host,
    addressType: host.includes(':') ? 'ipv6' : 'ipv4',
    hostnames: [],
    status: [...services.values()].some((s) => s.state === 'open') ? 'up' : 'unknown',
    extraPorts: [],
    services: [...services.values()],
    os: [],
    hostScripts: {},
    source: { scanner: 'verify', version: '0.1.0' },
  };
}
