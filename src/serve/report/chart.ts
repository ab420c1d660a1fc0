/**
 * The type summary of one source as an inline SVG bar chart: one bar per
 * event type, split by the kind of source that recorded it (capture,
 * NetFlow, firewall ...). No script, no external reference; every label is
 * escaped.
 */
import type { TypeSummaryCell } from '../../store/store.js';
import { html } from './html.js';

const COLORS: Record<string, string> = {
  pcap: '#3b6ea8',
  netflow: '#5a9e6f',
  firewall: '#c0504d',
  sshd: '#8064a2',
  weblog: '#d08b2c',
  eve: '#4bacc6',
  zeek: '#7f7f3f',
  snort: '#a0522d',
  syslog: '#708090',
  listener: '#2f4f4f',
};
const OTHER = '#999999';
/** Types drawn per chart; the rest are summed into one "other types" bar. */
const MAX_BARS = 16;

const LABEL_W = 170;
const BAR_W = 360;
const ROW_H = 18;

/**
 * @example typeSummaryChart('10.99.1.66', cells) // '<svg …>…</svg>'
 */
export function typeSummaryChart(title: string, cells: readonly TypeSummaryCell[]): string {
  const byType = new Map<string, Map<string, number>>();
  for (const c of cells) {
    const kinds = byType.get(c.type) ?? new Map<string, number>();
    kinds.set(c.sourceKind, (kinds.get(c.sourceKind) ?? 0) + c.count);
    byType.set(c.type, kinds);
  }
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  let rows = [...byType.entries()].sort((a, b) => total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1));
  if (rows.length > MAX_BARS) {
    const rest = new Map<string, number>();
    for (const [, m] of rows.slice(MAX_BARS - 1)) for (const [k, n] of m) rest.set(k, (rest.get(k) ?? 0) + n);
    rows = [...rows.slice(0, MAX_BARS - 1), [`(${rows.length - MAX_BARS + 1} other types)`, rest]];
  }
  if (rows.length === 0) return `<p class="muted">No events recorded for ${html(title)}.</p>`;
  const max = Math.max(...rows.map(([, m]) => total(m)));
  const kinds = [...new Set(cells.map((c) => c.sourceKind))].sort();
  const legendH = 22;
  const height = rows.length * ROW_H + legendH + 8;
  const width = LABEL_W + BAR_W + 70;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Type summary of ${html(title)}">`,
  ];
  rows.forEach(([type, m], i) => {
    const y = i * ROW_H;
    parts.push(
      `<text x="${LABEL_W - 6}" y="${y + 13}" text-anchor="end" font-size="12">${html(type)}</text>`,
    );
    let x = LABEL_W;
    for (const k of kinds) {
      const n = m.get(k) ?? 0;
      if (n === 0) continue;
      const w = Math.max(1, (n / max) * BAR_W);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW_H - 5}" fill="${COLORS[k] ?? OTHER}"><title>${html(`${type}, ${k}: ${n}`)}</title></rect>`,
      );
      x += w;
    }
    parts.push(`<text x="${(x + 4).toFixed(1)}" y="${y + 13}" font-size="11">${total(m)}</text>`);
  });
  let lx = LABEL_W;
  const ly = rows.length * ROW_H + 10;
  for (const k of kinds) {
    parts.push(`<rect x="${lx}" y="${ly}" width="10" height="10" fill="${COLORS[k] ?? OTHER}"/>`);
    parts.push(`<text x="${lx + 14}" y="${ly + 9}" font-size="11">${html(k)}</text>`);
    lx += 24 + k.length * 7;
  }
  parts.push('</svg>');
  return parts.join('');
}
