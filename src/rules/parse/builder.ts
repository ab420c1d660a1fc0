/**
 * The rule under construction while its options are attached in order. It
 * tracks the current buffer (sticky buffers, Snort-era modifiers), the last
 * content for modifiers, and the cross-option conflicts Suricata rejects.
 */
import type { ContentMatch, PayloadMatch, Reference, RuleCondition, Transform } from '../ast.js';

export const DEFAULT_BUFFER = 'pkt';

/** Most transforms on one buffer, as in Suricata. */
export const MAX_TRANSFORMS = 16;

export class RuleBuilder {
  msg = '';
  sid?: number;
  rev = 0;
  gid = 1;
  classtype?: string;
  priority?: number;
  target?: 'src_ip' | 'dest_ip';
  references: Reference[] = [];
  metadata: Record<string, string[]> = {};
  matches: PayloadMatch[] = [];
  conditions: RuleCondition[] = [];
  ignored: Array<{ keyword: string; reason: string }> = [];
  seen = new Set<string>();

  /** The buffer new payload matches go to. */
  buffer = DEFAULT_BUFFER;
  transforms: Transform[] = [];
  /** Set by a sticky buffer keyword until a payload match follows it. */
  private pendingSticky: string | undefined;
  lastContent: ContentMatch | undefined;
  fastPatternSet = false;

  /** Switches to a sticky buffer; errors if the previous one had no match. */
  selectBuffer(buffer: string, keyword: string): string | undefined {
    const pending = this.checkPendingSticky();
    if (pending) return pending;
    this.buffer = buffer;
    this.transforms = [];
    this.pendingSticky = buffer === DEFAULT_BUFFER ? undefined : keyword;
    this.lastContent = undefined;
    return undefined;
  }

  /** Adds a transform (with its options) to the current sticky buffer. */
  addTransform(t: Transform): string | undefined {
    if (this.buffer === DEFAULT_BUFFER && !this.pendingSticky)
      return `${t.name}: a transform must follow a sticky buffer`;
    if (this.transforms.length >= MAX_TRANSFORMS)
      return `${t.name}: more than ${MAX_TRANSFORMS} transforms on one buffer`;
    this.transforms.push(t);
    return undefined;
  }

  /** Adds a payload match in the current buffer. */
  addMatch(m: PayloadMatch): string | undefined {
    // A relative keyword after a Snort-style modified content (`uricontent:"x"; isdataat:4,relative;`)
    // inspects that content's buffer, as Suricata attaches it to the previous match's list.
    if (
      m.kind !== 'content' &&
      'relative' in m &&
      m.relative &&
      m.buffer === DEFAULT_BUFFER &&
      this.lastContent !== undefined &&
      this.lastContent.buffer !== DEFAULT_BUFFER
    ) {
      m.buffer = this.lastContent.buffer;
      m.transforms = [...this.lastContent.transforms];
    }
    this.pendingSticky = undefined;
    this.matches.push(m);
    if (m.kind === 'content') this.lastContent = m;
    return undefined;
  }

  /** A non-payload keyword that still inspects the sticky buffer (dataset, datarep) satisfies it. */
  useStickyBuffer(): void {
    this.pendingSticky = undefined;
  }

  /** The content a modifier applies to, or an error naming the modifier. */
  contentFor(keyword: string): ContentMatch | { error: string } {
    if (!this.lastContent) return { error: `${keyword}: no preceding content in this buffer` };
    return this.lastContent;
  }

  /** Error text when a sticky buffer was selected but nothing matched in it. */
  checkPendingSticky(): string | undefined {
    return this.pendingSticky
      ? `${this.pendingSticky}: sticky buffer has no following content, pcre or other match`
      : undefined;
  }
}
