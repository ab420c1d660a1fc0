/**
 * A generic service target ("an SSH server") against what is known of the
 * asset: yes when the service was seen answering on the port (its banner,
 * an HTTP answer, Nmap's probed name, or a product that serves it); no only
 * when the port was shown closed and nothing saw it answer; unknown
 * otherwise. Pure: knowledge in, judgement out.
 */
import type { EvidenceRef } from '../../schema/alarm.js';
import type { Catalogue } from './catalogue.js';
import { type AssetKnowledge, type ServiceClaim, sourceRank } from './claims.js';
import type { Judgement } from './judge.js';
import { type ServiceDef, serviceDef } from './services.js';

/** What answered, best source first, as "OpenSSH 9.2p1" or the software's own words. */
interface Offer {
  what: string | undefined;
  port: number | undefined;
  source: ServiceClaim['source'];
  ts: number;
  versioned: boolean;
  evidence: EvidenceRef;
}

function onPort(claimPort: number | undefined, port: number | undefined): boolean {
  return claimPort === undefined || port === undefined || claimPort === port;
}

function offers(def: ServiceDef, port: number | undefined, k: AssetKnowledge, catalogue: Catalogue): Offer[] {
  const out: Offer[] = [];
  for (const c of k.present) {
    if (!onPort(c.port, port)) continue;
    const p = catalogue.product(c.product);
    if (!p?.services.includes(def.id)) continue;
    out.push({
      what: `${p.name}${c.version ? ` ${c.version}` : ''}`,
      port: c.port,
      source: c.source,
      ts: c.ts ?? 0,
      versioned: c.version !== undefined,
      evidence: c.evidence,
    });
  }
  for (const c of k.services) {
    if (c.service !== def.id || !onPort(c.port, port)) continue;
    out.push({
      what: c.software,
      port: c.port,
      source: c.source,
      ts: c.ts ?? 0,
      versioned: false,
      evidence: c.evidence,
    });
  }
  // Best source first; a named product with its version before a bare service.
  return out.sort(
    (a, b) =>
      sourceRank(a.source) - sourceRank(b.source) ||
      Number(b.versioned) - Number(a.versioned) ||
      Number(b.what !== undefined) - Number(a.what !== undefined) ||
      b.ts - a.ts,
  );
}

/**
 * @example
 * judgeService(SSH, 22, knowledge, catalogue)
 * // { applicable: 'yes', reason: 'OpenSSH 9.2p1 answers on port 22 (passive)', evidence: [flow ref] }
 */
export function judgeService(
  def: ServiceDef,
  port: number | undefined,
  k: AssetKnowledge,
  catalogue: Catalogue,
): Judgement {
  const portText = port !== undefined ? ` on port ${port}` : '';
  const found = offers(def, port, k, catalogue);
  if (found.length > 0) {
    const best = found[0]!;
    const where = best.port !== undefined ? ` on port ${best.port}` : portText;
    const what = best.what ?? def.label;
    return {
      product: def.product,
      applicable: 'yes',
      reason: `${what} answers${where} (${best.source})`,
      evidence: found.slice(0, 5).map((o) => o.evidence),
    };
  }
  if (port !== undefined && !k.openPorts.has(port)) {
    const closed = k.closedPorts.get(port);
    if (closed)
      return {
        product: def.product,
        applicable: 'no',
        reason: `nothing answers${portText}, so no ${def.label} service is there: ${closed.note ?? 'the port is closed'}`,
        evidence: [closed],
      };
  }
  if (port !== undefined && k.openPorts.has(port)) {
    const open = k.openPorts.get(port)!;
    const other = k.services.find((c) => c.port === port && c.service !== def.id);
    const seen = other ? `; it was seen speaking ${serviceDef(other.service)?.label ?? other.service}` : '';
    return {
      product: def.product,
      applicable: 'unknown',
      reason: `port ${port} answered, but nothing recorded shows it speaks ${def.label}${seen}`,
      evidence: [open, ...(other ? [other.evidence] : [])],
    };
  }
  return {
    product: def.product,
    applicable: 'unknown',
    reason: `nothing is known about whether ${k.address} offers ${def.label}${portText}`,
    evidence: [],
  };
}
