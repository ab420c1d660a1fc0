/**
 * HTML escaping for the report. Attacker-controlled text becomes inert
 * text: markup characters are entities, and characters that could hide or
 * reorder text (C0/C1 controls, DEL, bidi overrides and isolates, zero-width
 * and line-separator characters) are shown as visible escapes in their own
 * styled span, so a forged "\x1b" typed by an attacker looks different from
 * one Picket made. Links are emitted only for http(s) URLs.
 */

const MARKUP: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// The characters made visible; keep in step with util/escape.ts (terminalSafe), less the backslash.
const HIDDEN =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/;
const ANY =
  /[&<>"'\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  const esc = code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  return `<span class="esc">${esc}</span>`;
}

/**
 * Text for an element's content or a quoted attribute value. Newlines and
 * tabs are kept (a <pre> shows them); everything else hidden is made visible.
 *
 * @example html('<b>\u202e') // '&lt;b&gt;<span class="esc">\\u{202e}</span>'
 */
export function html(text: string | number | undefined): string {
  if (text === undefined) return '';
  const s = String(text);
  return s.replace(ANY, (c) => MARKUP[c] ?? (HIDDEN.test(c) ? visible(c) : c));
}

/** For attribute values: like html() but with no markup at all (escapes as plain text). */
export function attr(text: string): string {
  return text.replace(ANY, (c) => {
    if (MARKUP[c]) return MARKUP[c];
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/**
 * A link when the URL is plain http(s) with a host, else the URL as text: a
 * `javascript:` or `data:` URL from a rule file never becomes clickable.
 *
 * @example link('https://nvd.nist.gov/vuln/detail/CVE-2015-8562')
 */
export function link(url: string, label: string = url): string {
  let ok = false;
  try {
    const u = new URL(url);
    ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && !/[\s"'<>`]/.test(url);
  } catch {
    ok = false;
  }
  return ok ? `<a href="${attr(url)}" rel="noreferrer noopener">${html(label)}</a>` : html(label);
}

/** An ISO time, or the raw number when it is not a usable time. */
export function when(ts: number | undefined): string {
  if (ts === undefined || !Number.isFinite(ts)) return html(ts ?? '');
  const d = new Date(ts * 1000);
  return Number.isNaN(d.getTime()) ? html(ts) : html(d.toISOString().replace('.000Z', 'Z'));
}
