/**
 * Passive observation: what the recorded traffic between an address and its
 * peers shows it runs. Server and X-Powered-By headers, generator tags in
 * pages, SSH server versions, the services that answered on each port, ports
 * that answered or refused, and answers of 404/410 to paths every install of
 * a product serves (evidence the product is absent).
 */
import type { EvidenceRef } from '../../schema/alarm.js';
import type { FlowRecord } from '../../schema/flow.js';
import { inert } from '../connection/inert.js';
import type { TimeWindow, TriageLookup } from '../lookup.js';
import type { Catalogue, Recognised } from './catalogue.js';
import { type AssetKnowledge, emptyKnowledge } from './claims.js';
import { absentByPath, foundByPath, generatorOf } from './fingerprint.js';
import { SERVICES, type ServiceId } from './services.js';

/** Bounds: flows asked per peer, peers, HTTP transactions read per flow, web-log events. */
const MAX_FLOWS = 200;
const MAX_PEERS = 16;
const MAX_TX = 32;
const MAX_EVENTS = 500;

function answered(f: FlowRecord): boolean {
  if (f.proto === 'tcp') return f.history.includes('h') || (f.respBytes > 0 && f.origBytes > 0);
  return f.respPkts > 0;
}

/** How a TCP attempt went unanswered: refused (RST to the SYN) or left without a reply; undefined otherwise. */
function refusal(f: FlowRecord): string | undefined {
  if (f.proto !== 'tcp') return undefined;
  if (f.connState === 'REJ') return 'refused (RST) to';
  if (f.connState === 'S0' && f.history.startsWith('S')) return 'left unanswered to';
  return undefined;
}

function header(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  const h = headers.find(([n]) => n.toLowerCase() === name);
  return h?.[1];
}

/**
 * @example
 * const k = await observeTraffic('10.99.0.10', lookup, catalogue, { peers: ['10.99.1.68'], since, until });
 * k.present[0] // { product: 'nginx', version: '1.22.1', port: 80, source: 'passive', ... }
 */
export async function observeTraffic(
  address: string,
  lookup: TriageLookup,
  catalogue: Catalogue,
  q: TimeWindow & { peers: readonly string[] },
): Promise<AssetKnowledge> {
  const k = emptyKnowledge(address);
  const seen = new Set<string>();
  const unanswered = new Map<number, EvidenceRef>();
  for (const peer of q.peers.slice(0, MAX_PEERS)) {
    const flows = await lookup.flows({
      a: address,
      b: peer,
      since: q.since,
      until: q.until,
      limit: MAX_FLOWS,
    });
    for (const f of flows) {
      if (f.respH !== address) continue;
      const port = f.respP;
      const flowRef = (note: string): EvidenceRef => ({ kind: 'flow', ref: f.uid, note, sourceKind: 'pcap' });
      if (!answered(f)) {
        const how = refusal(f);
        if (how && !unanswered.has(port)) unanswered.set(port, flowRef(`tcp/${port} ${how} ${f.origH}`));
        continue;
      }
      if (!k.openPorts.has(port)) k.openPorts.set(port, flowRef(`${f.proto}/${port} answered ${f.origH}`));
      const service = (id: ServiceId, how: string, software?: string) => {
        const key = `service|${id}|${port}`;
        if (seen.has(key)) return;
        seen.add(key);
        k.services.push({
          service: id,
          port,
          source: 'passive',
          ts: f.ts,
          ...(software && { software: inert(software, 80) }),
          evidence: flowRef(how),
        });
      };
      const present = (r: Recognised, how: string) => {
        const key = `${r.product.id}|${r.version ?? ''}|${port}|${how.slice(0, 40)}`;
        if (seen.has(key)) return;
        seen.add(key);
        k.present.push({
          product: r.product.id,
          ...(r.version !== undefined && { version: r.version }),
          port,
          source: 'passive',
          ts: f.ts,
          evidence: flowRef(how),
        });
      };
      if (f.service.includes('ssh') || port === 22) {
        const b = await lookup.ssh(f.uid);
        if (b?.server) {
          const software = b.server.replace(/^SSH-[\d.]+-/, '');
          service('ssh', `SSH server ${inert(b.server, 80)}`, software);
          for (const r of catalogue.fromBanner(software)) present(r, `SSH server ${inert(b.server, 80)}`);
        }
      }
      // Other protocols only by the recognised service of a flow the server sent data on.
      if (f.respBytes > 0)
        for (const name of f.service.split(',')) {
          const def = SERVICES.find((d) => d.flowServices.includes(name));
          if (def && def.id !== 'ssh' && def.id !== 'http')
            service(def.id, `${f.proto}/${port} spoke ${def.label} (service ${name})`);
        }
      const txs = (await lookup.http(f.uid)).slice(0, MAX_TX);
      for (const t of txs) {
        if (t.statusCode < 0) continue;
        const req = `${inert(t.method, 10)} ${inert(t.uri, 120)} → ${t.statusCode}`;
        service('http', `HTTP answer ${req}${t.server ? ` (Server: ${inert(t.server, 80)})` : ''}`, t.server);
        if (t.server)
          for (const r of catalogue.fromBanner(t.server))
            present(r, `Server: ${inert(t.server, 80)} (${req})`);
        const powered = header(t.responseHeaders, 'x-powered-by');
        if (powered)
          for (const r of catalogue.fromBanner(powered))
            present(r, `X-Powered-By: ${inert(powered, 80)} (${req})`);
        const html = /html/i.test(t.responseContentType);
        const gen = html ? generatorOf(t.responseBodyPrefix) : undefined;
        if (gen)
          for (const r of catalogue.fromGenerator(gen)) present(r, `generator "${inert(gen, 80)}" (${req})`);
        for (const r of foundByPath(catalogue, t.uri, t.statusCode, t.responseBodyPrefix))
          present(r, `fingerprint ${req}`);
        for (const prod of absentByPath(catalogue, t.uri, t.statusCode)) {
          const key = `absent|${prod.id}|${port}|${t.uri}`;
          if (seen.has(key)) continue;
          seen.add(key);
          k.absent.push({
            product: prod.id,
            port,
            source: 'passive',
            kind: 'fingerprint',
            evidence: flowRef(`${req}, a path every ${prod.name} install serves`),
          });
        }
        if (
          html &&
          !gen &&
          t.statusCode >= 200 &&
          t.statusCode < 300 &&
          t.uri.split('?')[0] === '/' &&
          !seen.has(`root|${port}`)
        ) {
          seen.add(`root|${port}`);
          k.notes.push(
            flowRef(
              `${req}: a ${t.responseContentType} page of ${t.responseBodyLen} bytes with no generator tag`,
            ),
          );
        }
      }
    }
  }
  // A port is closed only when no flow of these peers saw it answer.
  for (const [port, ref] of unanswered) if (!k.openPorts.has(port)) k.closedPorts.set(port, ref);
  // Web-log lines that name the server (EVE http, some proxies): 404/410 to fingerprint paths.
  const events = await lookup.events({
    dst: address,
    types: ['web-access'],
    since: q.since,
    until: q.until,
    limit: MAX_EVENTS,
  });
  for (const e of events) {
    const status = e.http?.status;
    const uri = e.http?.uri;
    if (status === undefined || uri === undefined) continue;
    for (const prod of absentByPath(catalogue, uri, status)) {
      const key = `absent|${prod.id}|${e.dstPort ?? '*'}|${uri}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const at = e.source.file ? `${e.source.file}:${e.source.line ?? ''}` : e.uid;
      k.absent.push({
        product: prod.id,
        ...(e.dstPort !== undefined && { port: e.dstPort }),
        source: 'passive',
        kind: 'fingerprint',
        evidence: {
          kind: 'log-line',
          ref: at,
          note: `${inert(uri, 120)} → ${status}, a path every ${prod.name} install serves`,
          sourceKind: e.source.kind,
        },
      });
    }
  }
  return k;
}
