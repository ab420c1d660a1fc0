/**
 * Names the tool behind each behavioural finding: among the tools seen from
 * the finding's source in the same kind of evidence, the sighting whose time
 * overlaps the finding and whose targets overlap most (then the most
 * confident, then the most frequent). A scanner that ran masscan and then
 * nmap gets each finding its own tool.
 */
import type { SourceKind } from '../../schema/event.js';
import type { Finding } from '../../schema/finding.js';
import type { ToolSighting } from './types.js';

/** Seconds of slack when comparing a sighting's span with a finding's. */
const TIME_SLACK = 5;
const rank = { high: 3, medium: 2, low: 1 } as const;

/**
 * Sets `tool` on findings that have none, in place.
 *
 * @example
 * attachTools(findings, new Map([['pcap', packetFingerprinter.tools()]]));
 */
export function attachTools(
  findings: Finding[],
  toolsByKind: ReadonlyMap<SourceKind, ReadonlyMap<string, readonly ToolSighting[]>>,
): void {
  for (const f of findings) {
    if (f.tool || f.kind === 'tool-use') continue;
    const list = toolsByKind.get(f.sourceKind)?.get(f.src);
    if (!list?.length) continue;
    let best: ToolSighting | undefined;
    let bestScore = -1;
    for (const s of list) {
      if (s.lastSeen + TIME_SLACK < f.ts || s.ts - TIME_SLACK > f.lastSeen) continue;
      let score = 0;
      for (const h of s.hosts) if (f.targets.hosts.includes(h)) score++;
      for (const p of s.ports) if (f.targets.ports.includes(p)) score++;
      const better =
        score > bestScore ||
        (score === bestScore &&
          best !== undefined &&
          (rank[s.confidence] > rank[best.confidence] ||
            (rank[s.confidence] === rank[best.confidence] && s.count > best.count)));
      if (better) {
        best = s;
        bestScore = score;
      }
    }
    if (!best || bestScore === 0) continue;
    f.tool = { name: best.name, confidence: best.confidence, evidence: best.evidence };
    if (best.variant !== undefined) f.tool.variant = best.variant;
  }
}
