/**
 * Asset observations (Nmap imports, `picket verify` probes) as claims: what
 * each open port runs, by CPE, product name or banner, with its version; the
 * service it speaks; the ports found closed; and what verify's fingerprint
 * probes showed present or absent.
 */
import type { EvidenceRef } from '../../schema/alarm.js';
import type { Asset, AssetService } from '../../schema/asset.js';
import { inert } from '../connection/inert.js';
import type { Catalogue, Recognised } from './catalogue.js';
import { type AssetKnowledge, type ClaimSource, emptyKnowledge } from './claims.js';
import { absentByPath } from './fingerprint.js';
import { PROBE_SCRIPT_PREFIX, readProbeRecord } from './probe-record.js';
import { SERVICES } from './services.js';
import { leadingVersion } from './version.js';

/** What Nmap's product/version/CPE fields name, through the catalogue. */
function recogniseService(svc: AssetService, catalogue: Catalogue): Recognised[] {
  for (const cpe of svc.cpe) {
    const r = catalogue.fromCpe(cpe);
    if (r.length)
      return r.map((x) =>
        x.version || !svc.version ? x : { ...x, version: leadingVersion(svc.version) ?? svc.version },
      );
  }
  if (!svc.product) return [];
  const version = svc.version ? leadingVersion(svc.version) : undefined;
  const named = catalogue.product(svc.product);
  const found = named ? [{ product: named }] : catalogue.fromBanner(svc.product);
  const any = found.length ? found : catalogue.productsInMessage(svc.product).map((product) => ({ product }));
  return any.map((x) => (version && !('version' in x && x.version) ? { ...x, version } : x));
}

/**
 * @example
 * const k = knowledgeFromAssets('10.99.0.10', await lookup.assets('10.99.0.10'), catalogue);
 * k.present // [{ product: 'nginx', version: '1.22.1', port: 80, source: 'nmap', ... }]
 */
export function knowledgeFromAssets(
  address: string,
  assets: readonly Asset[],
  catalogue: Catalogue,
): AssetKnowledge {
  const k = emptyKnowledge(address);
  for (const a of assets) {
    if (a.address !== address) continue;
    const source: ClaimSource = a.source.scanner === 'verify' ? 'verify' : 'nmap';
    const where = a.source.file
      ? `${a.source.file}${a.source.line ? `:${a.source.line}` : ''}`
      : `asset ${a.uid}`;
    for (const svc of a.services) {
      const port = svc.port;
      const ref = (note: string): EvidenceRef => ({
        kind: source === 'verify' ? 'probe' : 'asset',
        ref: where,
        note,
      });
      if (svc.state === 'closed' && svc.proto === 'tcp') {
        k.closedPorts.set(
          port,
          ref(`${source}: ${port}/tcp closed${svc.reason ? ` (${inert(svc.reason, 40)})` : ''}`),
        );
        continue;
      }
      if (svc.state !== 'open') continue;
      const label = `${source}: ${port}/${svc.proto} open`;
      k.openPorts.set(port, ref(`${label}${svc.name ? ` (${svc.name})` : ''}`));
      // The service by name, when the scanner recognised it by its answer (not only by the port's usual use).
      const def = svc.name ? SERVICES.find((d) => d.nmap.includes(svc.name!)) : undefined;
      if (def && (svc.method === 'probed' || svc.product !== undefined)) {
        const software = [svc.product, svc.version].filter(Boolean).join(' ');
        k.services.push({
          service: def.id,
          port,
          source,
          ts: a.ts,
          ...(software && { software: inert(software, 80) }),
          evidence: ref(`${label}: ${def.label}${software ? ` (${inert(software, 80)})` : ''}`),
        });
      }
      const present = (r: Recognised, how: string) =>
        k.present.push({
          product: r.product.id,
          ...(r.version !== undefined && { version: r.version }),
          port,
          source,
          ts: a.ts,
          evidence: ref(`${label}: ${how}`),
        });
      for (const r of recogniseService(svc, catalogue))
        present(r, `${svc.product ?? r.product.name}${svc.version ? ` ${svc.version}` : ''}`);
      for (const [id, out] of Object.entries(svc.scripts)) {
        if (id === 'http-generator')
          for (const r of catalogue.fromGenerator(out)) present(r, `generator "${inert(out, 80)}"`);
        else if (id === 'http-server-header')
          for (const r of catalogue.fromBanner(out)) present(r, `Server: ${inert(out, 80)}`);
        else if (id.startsWith(PROBE_SCRIPT_PREFIX)) {
          const p = readProbeRecord(out);
          if (!p) continue;
          const what = p.kind === 'ssh' ? 'SSH banner' : `${p.method ?? 'GET'} ${p.path ?? '/'}`;
          if (p.found) {
            const product = catalogue.product(p.found.product);
            if (product)
              present(
                { product, ...(p.found.version && { version: p.found.version }) },
                `${what} showed ${product.name}`,
              );
          }
          if (p.server)
            for (const r of catalogue.fromBanner(p.server))
              present(r, `${what}: Server ${inert(p.server, 80)}`);
          if (p.poweredBy)
            for (const r of catalogue.fromBanner(p.poweredBy))
              present(r, `${what}: X-Powered-By ${inert(p.poweredBy, 80)}`);
          if (p.generator)
            for (const r of catalogue.fromGenerator(p.generator))
              present(r, `${what}: generator "${inert(p.generator, 80)}"`);
          if (p.banner)
            for (const r of catalogue.fromBanner(p.banner.replace(/^SSH-[\d.]+-/, '')))
              present(r, `SSH ${inert(p.banner, 80)}`);
          if (p.kind === 'http' && p.status !== undefined && p.path !== undefined) {
            for (const prod of absentByPath(catalogue, p.path, p.status))
              k.absent.push({
                product: prod.id,
                port,
                source,
                kind: 'fingerprint',
                evidence: ref(`${what} → ${p.status}, a path every ${prod.name} install serves`),
              });
            if (p.path === '/' && p.status >= 200 && p.status < 300 && !p.generator)
              k.notes.push(ref(`${what} answered ${p.status} with no generator tag`));
          }
        }
      }
    }
  }
  return k;
}
