/**
 * The contract every rule keyword implements: one descriptor per keyword
 * with a pure `parse` (value text → typed option or error value) and an
 * `attach` that places the option into the rule being built.
 */
import type { RuleBuilder } from '../parse/builder.js';

/** A parse failure as a value; the message names the keyword and the bad token. */
export interface KeywordError {
  error: string;
}

/**
 * What the engine honours: 'full' = parsed completely and the matcher is
 * designed for every part; 'partial' = some parts not honoured; 'ignored' =
 * accepted but not evaluated.
 */
export type KeywordSupport = 'full' | 'partial' | 'ignored';

/** Load-time context a keyword may consult. */
export interface KeywordContext {
  classifications: ReadonlyMap<string, { description: string; priority: number }>;
  references: ReadonlyMap<string, string>;
}

export interface KeywordDescriptor<T = unknown> {
  name: string;
  /** Other spellings (Snort-era or legacy underscore names). */
  aliases?: readonly string[];
  /** One sentence for explanations and `picket rules` help. */
  description: string;
  support: KeywordSupport;
  /** Why the support is partial or ignored. */
  supportNote?: string;
  /** False when ignoring the keyword can never change what matches (metadata-like). */
  affectsMatch: boolean;
  /** Whether the keyword takes a value after a colon. */
  value: 'none' | 'required' | 'optional';
  parse(value: string | undefined, ctx: KeywordContext): T | KeywordError;
  /** Places the parsed option into the rule; returns an error text on a conflict. */
  attach(option: T, rule: RuleBuilder, usedName: string): string | undefined;
}

/** Type guard for error values. */
export function isKeywordError(x: unknown): x is KeywordError {
  return typeof x === 'object' && x !== null && 'error' in x && typeof (x as KeywordError).error === 'string';
}

/** Builds an error value whose text names the keyword. */
export function kwError(keyword: string, message: string): KeywordError {
  return { error: `${keyword}: ${message}` };
}

/** The attach used by every non-payload condition: record it in rule order. */
export function attachCondition(option: unknown, rule: RuleBuilder, usedName: string): undefined {
  rule.conditions.push({ keyword: usedName, value: option });
  return undefined;
}
