/**
 * Splits rule-file text into logical rule lines: joins backslash
 * continuations, drops blank lines and plain comments, and keeps
 * commented-out rules (`# alert ...`) as disabled candidates.
 */

export interface RuleLine {
  /** 1-based line where the rule starts. */
  line: number;
  text: string;
  /** True when the line was commented out with `#`. */
  disabled: boolean;
}

/** A commented line counts as a disabled rule only when it has a rule header shape. */
const RULE_SHAPE =
  /^(alert|drop|reject|rejectsrc|rejectdst|rejectboth|pass)\s+\S+\s+\S+\s+\S+\s+(->|<>)\s+\S+\s+\S+\s*\(/;

/** Longest logical line accepted; longer ones are reported, not parsed. */
export const MAX_RULE_LENGTH = 256 * 1024;

/**
 * @example
 * splitRuleLines('# alert tcp any any -> any any (sid:1;)\n')
 * // [{ line: 1, text: 'alert tcp any any -> any any (sid:1;)', disabled: true }]
 */
export function splitRuleLines(text: string): RuleLine[] {
  const out: RuleLine[] = [];
  const raw = text.split('\n');
  let pending = '';
  let startLine = 0;
  for (let i = 0; i < raw.length; i++) {
    let l = raw[i]!;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (pending === '') startLine = i + 1;
    if (l.endsWith('\\') && !l.endsWith('\\\\') && pending.length < MAX_RULE_LENGTH) {
      pending += l.slice(0, -1);
      continue;
    }
    const full = pending + l;
    pending = '';
    pushLogical(out, full, startLine);
  }
  if (pending) pushLogical(out, pending, startLine);
  return out;
}

function pushLogical(out: RuleLine[], full: string, line: number): void {
  const t = full.trim();
  if (t === '') return;
  if (t.startsWith('#')) {
    const body = t.replace(/^#+\s*/, '');
    // Only commented lines shaped like rules are kept; prose comments are dropped.
    if (RULE_SHAPE.test(body) && body.endsWith(')')) {
      out.push({ line, text: body, disabled: true });
    }
    return;
  }
  out.push({ line, text: t, disabled: false });
}
