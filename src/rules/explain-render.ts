/**
 * Prints an Explanation for a terminal. Everything that came from a rule
 * file goes through terminalSafe first, so a hostile rule or pattern cannot
 * move the cursor or recolour the screen; colour codes are added after.
 */
import { terminalSafe } from '../util/escape.js';
import type { Explanation } from './explain.js';

const ESC = '\x1b[';
const paint = (on: boolean, code: string, s: string) => (on ? `${ESC}${code}m${s}${ESC}0m` : s);

/** Escapes controls like terminalSafe but keeps backslashes single, so `\d` in a regex reads as written. */
function regexSafe(s: string): string {
  return s.split('\\').map(terminalSafe).join('\\');
}

const LABEL_WIDTH = 12;

/**
 * @example process.stdout.write(renderExplanation(explainRule(rule), { color: process.stdout.isTTY }))
 */
export function renderExplanation(e: Explanation, opts: { color: boolean }): string {
  const c = opts.color;
  const lines: string[] = [];
  const label = (name: string) => paint(c, '1;36', name.padEnd(LABEL_WIDTH));
  const section = (name: string, items: string[]) => {
    items.forEach((item, i) => {
      lines.push(`${i === 0 ? label(name) : ' '.repeat(LABEL_WIDTH)}${item}`);
    });
  };
  const notes = [
    e.enabled ? '' : 'disabled (commented out)',
    e.support === 'partial' ? 'partly supported' : '',
  ]
    .filter(Boolean)
    .join(', ');
  lines.push(
    `${paint(c, '1', e.id)}  ${paint(c, '1', terminalSafe(e.msg))}${notes ? `  ${paint(c, '33', `[${notes}]`)}` : ''}`,
  );
  lines.push(terminalSafe(e.summary));
  lines.push('');
  section('Traffic', [terminalSafe(e.traffic.sentence)]);
  section(
    'Conditions',
    e.conditions.map((x) => terminalSafe(x.sentence) + (x.ignored ? paint(c, '33', ' (not evaluated)') : '')),
  );
  section(
    'Matches',
    e.matches.map((m) => {
      const text = m.kind === 'pcre' ? regexSafe(m.sentence) : terminalSafe(m.sentence);
      return `${m.index}. ${m.negated ? paint(c, '31', text) : text}`;
    }),
  );
  if (e.rate) section('Rate', [terminalSafe(e.rate)]);
  section('State', e.state.map(terminalSafe));
  section('After alert', e.output.map(terminalSafe));
  if (e.classification) section('Class', [terminalSafe(e.classification.text)]);
  section(
    'References',
    e.references.map((r) =>
      r.url ? `${terminalSafe(r.system)}: ${paint(c, '4', terminalSafe(r.url))}` : terminalSafe(r.text),
    ),
  );
  section(
    'Metadata',
    e.metadata.map((m) => terminalSafe(m.text)),
  );
  section(
    'Ignored',
    e.ignored.map((i) => paint(c, '33', terminalSafe(i.text))),
  );
  return `${lines.join('\n')}\n`;
}
