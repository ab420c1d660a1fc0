/**
 * The Rule AST: what a parsed Snort/Suricata rule is, independent of which
 * syntax it was written in. Payload matches always name the buffer they
 * inspect, so `content:"x"; http_uri;` (Snort 2.9) and `http.uri; content:"x";`
 * (Suricata 5) produce the same tree.
 */

/** An inclusive range of numbers; IPv4 addresses as uint32, ports as 0..65535. */
export type Range = readonly [number, number];

/** A compiled address set: disjoint sorted ranges, IPv6 as bigint pairs. */
export interface AddressSet {
  /** The source text after variable expansion, for display. */
  text: string;
  any: boolean;
  v4: Range[];
  v6: Array<readonly [bigint, bigint]>;
}

/** A compiled port set: disjoint sorted inclusive ranges. */
export interface PortSet {
  text: string;
  any: boolean;
  ranges: Range[];
}

export type RuleAction = 'alert' | 'drop' | 'reject' | 'rejectsrc' | 'rejectdst' | 'rejectboth' | 'pass';

export interface RuleHeader {
  action: RuleAction;
  /** Lower-case protocol as written: tcp, udp, icmp, ip, http, tls, dns, tcp-pkt ... */
  protocol: string;
  src: AddressSet;
  srcPorts: PortSet;
  /** `=>`: one transaction in both directions (request and response buffers of the same exchange). */
  direction: '->' | '<>' | '=>';
  dst: AddressSet;
  dstPorts: PortSet;
}

/** A number, or the name of a byte_extract/byte_math variable resolved at match time. */
export type NumOrVar = number | { var: string };

/** Canonical (Suricata dotted) buffer names; `pkt` is the packet or stream payload. */
export type BufferName = string;

/** Transforms that take no options. */
export type SimpleTransformName =
  | 'dotprefix'
  | 'url_decode'
  | 'strip_whitespace'
  | 'compress_whitespace'
  | 'to_lowercase'
  | 'to_uppercase'
  | 'to_md5'
  | 'to_sha1'
  | 'to_sha256'
  | 'header_lowercase'
  | 'strip_pseudo_headers';

/** xor: a static key, or one read from the buffer itself; bytes before `start` are kept as they are. */
export interface XorArgs {
  key: { bytes: Uint8Array } | { offset: number; length: number };
  /** Where XOR decoding starts (the `offset N,` prefix); 0 when not given. */
  start: number;
}

/** pcrexform: the buffer becomes the expression's one capture group. */
export interface PcrexformArgs {
  /** The expression as written between the quotes. */
  source: string;
  /**
   * Its JavaScript translation: `group` is where the PCRE group lands in the
   * JavaScript match; `remapHigh` asks for subjects with bytes 0x80..0xFF remapped.
   */
  js: { source: string; flags: string; group: number; remapHigh: boolean };
}

/** from_base64: decode `bytes` bytes (0 = all) starting at `offset`. */
export interface FromBase64Args {
  bytes: number;
  offset: number;
  mode: 'rfc4648' | 'rfc2045' | 'strict';
}

/** luaxform: kept for explanations only; scripts are never run. */
export interface LuaxformArgs {
  script: string;
  args: string[];
}

/** A buffer transform with its parsed options, in rule order. */
export type Transform =
  | { name: SimpleTransformName }
  | { name: 'xor'; args: XorArgs }
  | { name: 'pcrexform'; args: PcrexformArgs }
  | { name: 'from_base64'; args: FromBase64Args }
  | { name: 'luaxform'; args: LuaxformArgs };

export interface ContentMatch {
  kind: 'content';
  buffer: BufferName;
  /** Transforms applied to the buffer before matching (dotprefix, url_decode ...). */
  transforms: Transform[];
  /** Decoded bytes (hex `|..|` runs and escapes resolved). */
  bytes: Uint8Array;
  /** The pattern as written between the quotes. */
  text: string;
  negated: boolean;
  nocase: boolean;
  rawbytes: boolean;
  offset?: NumOrVar;
  depth?: NumOrVar;
  distance?: NumOrVar;
  within?: NumOrVar;
  startswith: boolean;
  endswith: boolean;
  fastPattern?: { only: boolean; offset?: number; length?: number };
}

export interface PcreMatch {
  kind: 'pcre';
  buffer: BufferName;
  transforms: Transform[];
  negated: boolean;
  /** The expression between the slashes, as written. */
  source: string;
  /** PCRE flags as written (i s m x A E G O R and buffer letters). */
  flags: string;
  relative: boolean;
  /** A JavaScript translation that compiles, used by the matcher. */
  js: { source: string; flags: string; anchored: boolean };
}

export type Endian = 'big' | 'little' | 'dce';
export type NumberString = 'hex' | 'dec' | 'oct';

export interface ByteTestMatch {
  kind: 'byte_test';
  buffer: BufferName;
  transforms: Transform[];
  bytes: number;
  negated: boolean;
  operator: '<' | '>' | '=' | '!' | '&' | '^' | '<=' | '>=';
  value: NumOrVar;
  offset: NumOrVar;
  relative: boolean;
  endian: Endian;
  string?: NumberString;
  bitmask?: number;
}

export interface ByteJumpMatch {
  kind: 'byte_jump';
  buffer: BufferName;
  transforms: Transform[];
  bytes: number;
  /** The byte count comes from this byte_extract variable (bytes is then 0). */
  bytesVar?: string;
  offset: NumOrVar;
  relative: boolean;
  multiplier: number;
  endian: Endian;
  string?: NumberString;
  align: boolean;
  fromBeginning: boolean;
  fromEnd: boolean;
  postOffset: number;
  bitmask?: number;
}

export interface ByteExtractMatch {
  kind: 'byte_extract';
  buffer: BufferName;
  transforms: Transform[];
  bytes: number;
  offset: number;
  name: string;
  relative: boolean;
  multiplier: number;
  endian: Endian;
  string?: NumberString;
  align: number;
}

export interface ByteMathMatch {
  kind: 'byte_math';
  buffer: BufferName;
  transforms: Transform[];
  bytes: number;
  /** The byte count comes from this byte_extract variable (bytes is then 0). */
  bytesVar?: string;
  offset: NumOrVar;
  operator: '+' | '-' | '*' | '/' | '<<' | '>>';
  rvalue: NumOrVar;
  result: string;
  relative: boolean;
  endian: Endian;
  string?: NumberString;
  bitmask?: number;
}

export interface IsDataAtMatch {
  kind: 'isdataat';
  buffer: BufferName;
  transforms: Transform[];
  negated: boolean;
  offset: NumOrVar;
  relative: boolean;
  rawbytes: boolean;
}

/** A numeric comparison: `N`, `<N`, `>N`, `<=N`, `>=N`, `!N`, `N<>M` (exclusive) or `N-M` (inclusive). */
export interface NumberTest {
  op: '=' | '<' | '>' | '<=' | '>=' | '!=' | 'between' | 'range';
  value: number;
  max?: number;
}

/** bsize: the length of the current sticky buffer. */
export interface BufferSizeMatch {
  kind: 'bsize';
  buffer: BufferName;
  transforms: Transform[];
  test: NumberTest;
}

/** base64_decode: decodes part of the buffer into the `base64` buffer that base64_data selects. */
export interface Base64DecodeMatch {
  kind: 'base64_decode';
  buffer: BufferName;
  transforms: Transform[];
  bytes?: number;
  offset: number;
  relative: boolean;
}

export type PayloadMatch =
  | ContentMatch
  | PcreMatch
  | ByteTestMatch
  | ByteJumpMatch
  | ByteExtractMatch
  | ByteMathMatch
  | IsDataAtMatch
  | BufferSizeMatch
  | Base64DecodeMatch;

export interface Reference {
  system: string;
  id: string;
  /** Full URL when the system is known (reference.config). */
  url?: string;
}

/** A non-payload condition (flow, flags, threshold, flowbits ...): keyword name plus its typed value. */
export interface RuleCondition {
  keyword: string;
  value: unknown;
}

export type RuleSupport = 'full' | 'partial';

export interface Rule {
  gid: number;
  sid: number;
  rev: number;
  msg: string;
  enabled: boolean;
  header: RuleHeader;
  classtype?: string;
  /** From `priority:` or else from the classtype's default. */
  priority?: number;
  references: Reference[];
  metadata: Record<string, string[]>;
  target?: 'src_ip' | 'dest_ip';
  /** Payload matches in rule order, each naming its buffer. */
  matches: PayloadMatch[];
  /** Every other option, in rule order, with its typed value. */
  conditions: RuleCondition[];
  /** 'full' when every keyword is honoured by the engine as designed. */
  support: RuleSupport;
  /** Keywords loaded but not (or not fully) honoured, with a short why. */
  ignored: Array<{ keyword: string; reason: string }>;
  /** Where it came from. */
  file: string;
  line: number;
  /** The rule text (joined continuation lines, without a leading `#`). */
  text: string;
}
