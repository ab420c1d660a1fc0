/** Patch or upgrade: what the rule targets and which versions are affected, from step 4. */
import type { ActionRecommendation, ProductClaim, RelevanceVerdict } from '../../schema/alarm.js';
import { plainWords } from './safe.js';

/** Version ranges as the catalogue writes them (`>=1.5 <=3.4.5`): comparison words and version characters only. */
function safeRange(r: string): string | undefined {
  const s = r.trim();
  return /^[<>=!~^*0-9A-Za-z., |_-]{1,80}$/.test(s) ? s : undefined;
}

/** Upper bound of an affected range, read as "move past this". */
function fixedAfter(range: string): string | undefined {
  return /<=\s*([0-9][0-9A-Za-z._-]*)/.exec(range)?.[1] ?? /<\s*([0-9][0-9A-Za-z._-]*)/.exec(range)?.[1];
}

/** Target claims that carry an affected version range. */
export function versionedTargets(r: RelevanceVerdict): ProductClaim[] {
  return r.targets.filter((t) => t.versions !== undefined && safeRange(t.versions) !== undefined);
}

/**
 * @example patchSnippets([{ product: 'joomla', versions: '>=1.5 <=3.4.5', source: 'catalogue' }], [], 'CVE-2015-8562')
 */
export function patchSnippets(
  targets: readonly ProductClaim[],
  asset: readonly ProductClaim[],
  cve: string | undefined,
): ActionRecommendation['snippets'] {
  const lines: string[] = [];
  for (const t of targets.slice(0, 5)) {
    const range = safeRange(t.versions ?? '');
    if (range === undefined) continue;
    const product = plainWords(t.product, 60);
    const running = asset.find(
      (a) => plainWords(a.product, 60).toLowerCase() === product.toLowerCase() && a.version,
    );
    const after = fixedAfter(range);
    lines.push(
      `${product}: affected versions ${range}${cve ? ` (${cve})` : ''}.` +
        (running?.version
          ? ` This host reports ${plainWords(running.version, 40)}.`
          : ' The version on this host is not known; check it.') +
        (after ? ` Upgrade to a release after ${after}, or apply the vendor fix.` : ' Apply the vendor fix.'),
    );
  }
  return lines.length > 0 ? [{ format: 'text', text: lines.join('\n') }] : [];
}
