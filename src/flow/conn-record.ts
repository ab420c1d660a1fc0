/**
 * The record a finished connection becomes. Numbers are copied eagerly; the
 * four strings that cost the most per connection (uid, both addresses and
 * the community id) are built on first read and then kept, so a consumer
 * that never reads them (a count, a summary) never pays for them.
 *
 * The strings are accessors on the prototype: read fields by name, serialise
 * with JSON.stringify (toJSON) or toZeekJson; an object spread would miss them.
 */
import type { ConnState, FlowRecord } from '../schema/flow.js';
import { communityIdOfWords } from '../util/community-id.js';
import { formatIPv6 } from '../util/ip.js';
import { flowUid, type UidKey } from './uid.js';

/** The parts of a flow the record copies (the flow table's numeric key and start time). */
export interface RecordKey extends UidKey {}

const DEC = Array.from({ length: 256 }, (_, i) => String(i));
const v6Buf = new Uint8Array(16);

function v4Text(a: number): string {
  return `${DEC[a >>> 24]}.${DEC[(a >>> 16) & 0xff]}.${DEC[(a >>> 8) & 0xff]}.${DEC[a & 0xff]}`;
}

function putWord(i: number, a: number): void {
  v6Buf[i] = a >>> 24;
  v6Buf[i + 1] = (a >>> 16) & 0xff;
  v6Buf[i + 2] = (a >>> 8) & 0xff;
  v6Buf[i + 3] = a & 0xff;
}

function addressText(len: number, a: number, b: number, c: number, d: number): string {
  if (len === 4) return v4Text(a);
  putWord(0, a);
  putWord(4, b);
  putWord(8, c);
  putWord(12, d);
  return formatIPv6(v6Buf, 0);
}

/** Reused to hand a record's private key to flowUid without allocating. */
const scratch: UidKey = {
  addrLen: 4,
  o0: 0,
  o1: 0,
  o2: 0,
  o3: 0,
  r0: 0,
  r1: 0,
  r2: 0,
  r3: 0,
  oPort: 0,
  rPort: 0,
  ipProto: 0,
  vlan: -1,
  innerVlan: -1,
  tsSec: 0,
  tsNsec: 0,
};

/**
 * A FlowRecord whose strings are made lazily.
 *
 * @example
 * const rec = new ConnRecord(flow); // cheap: numbers only
 * rec.uid;                          // hashed now, then cached
 */
export class ConnRecord implements FlowRecord {
  ts = 0;
  origP = 0;
  respP = 0;
  proto: FlowRecord['proto'] = 'tcp';
  service = '';
  duration = 0;
  origBytes = 0;
  respBytes = 0;
  connState: ConnState | '' = '';
  missedBytes = 0;
  history = '';
  origPkts = 0;
  origIpBytes = 0;
  respPkts = 0;
  respIpBytes = 0;
  ipProto = 0;
  origWireBytes = 0;
  respWireBytes = 0;
  declare origFlags?: number;
  declare respFlags?: number;
  declare vlan?: number;
  declare innerVlan?: number;
  declare source?: string;

  #addrLen: number;
  #o0: number;
  #o1: number;
  #o2: number;
  #o3: number;
  #r0: number;
  #r1: number;
  #r2: number;
  #r3: number;
  #oPort: number;
  #rPort: number;
  #ipProto: number;
  #vlanKey: number;
  #innerKey: number;
  #tsSec: number;
  #tsNsec: number;
  #uid: string | undefined = undefined;
  #origH: string | undefined = undefined;
  #respH: string | undefined = undefined;
  #communityId: string | undefined = undefined;

  /** Copies the key (strings are derived from this copy, whatever is later written to the public fields); the caller fills the other numbers. `k` may be reused afterwards. */
  constructor(k: RecordKey) {
    this.#addrLen = k.addrLen;
    this.#o0 = k.o0;
    this.#o1 = k.o1;
    this.#o2 = k.o2;
    this.#o3 = k.o3;
    this.#r0 = k.r0;
    this.#r1 = k.r1;
    this.#r2 = k.r2;
    this.#r3 = k.r3;
    this.#oPort = k.oPort;
    this.#rPort = k.rPort;
    this.#ipProto = k.ipProto;
    this.#vlanKey = k.vlan;
    this.#innerKey = k.innerVlan;
    this.#tsSec = k.tsSec;
    this.#tsNsec = k.tsNsec;
    this.origP = k.oPort;
    this.respP = k.rPort;
    this.ipProto = k.ipProto;
  }

  get uid(): string {
    if (this.#uid === undefined) {
      const s = scratch;
      s.addrLen = this.#addrLen;
      s.o0 = this.#o0;
      s.o1 = this.#o1;
      s.o2 = this.#o2;
      s.o3 = this.#o3;
      s.r0 = this.#r0;
      s.r1 = this.#r1;
      s.r2 = this.#r2;
      s.r3 = this.#r3;
      s.oPort = this.#oPort;
      s.rPort = this.#rPort;
      s.ipProto = this.#ipProto;
      s.vlan = this.#vlanKey;
      s.innerVlan = this.#innerKey;
      s.tsSec = this.#tsSec;
      s.tsNsec = this.#tsNsec;
      this.#uid = flowUid(s);
    }
    return this.#uid;
  }
  set uid(v: string) {
    this.#uid = v;
  }

  get origH(): string {
    if (this.#origH === undefined)
      this.#origH = addressText(this.#addrLen, this.#o0, this.#o1, this.#o2, this.#o3);
    return this.#origH;
  }
  set origH(v: string) {
    this.#origH = v;
  }

  get respH(): string {
    if (this.#respH === undefined)
      this.#respH = addressText(this.#addrLen, this.#r0, this.#r1, this.#r2, this.#r3);
    return this.#respH;
  }
  set respH(v: string) {
    this.#respH = v;
  }

  get communityId(): string {
    if (this.#communityId === undefined)
      this.#communityId = communityIdOfWords(
        this.#addrLen,
        this.#o0,
        this.#o1,
        this.#o2,
        this.#o3,
        this.#r0,
        this.#r1,
        this.#r2,
        this.#r3,
        this.#ipProto,
        this.#oPort,
        this.#rPort,
      );
    return this.#communityId;
  }
  set communityId(v: string) {
    this.#communityId = v;
  }

  /** A plain object with every field (what JSON.stringify and util.inspect show). */
  toJSON(): FlowRecord {
    const out: FlowRecord = {
      ts: this.ts,
      uid: this.uid,
      origH: this.origH,
      origP: this.origP,
      respH: this.respH,
      respP: this.respP,
      proto: this.proto,
      service: this.service,
      duration: this.duration,
      origBytes: this.origBytes,
      respBytes: this.respBytes,
      connState: this.connState,
      missedBytes: this.missedBytes,
      history: this.history,
      origPkts: this.origPkts,
      origIpBytes: this.origIpBytes,
      respPkts: this.respPkts,
      respIpBytes: this.respIpBytes,
      ipProto: this.ipProto,
      origWireBytes: this.origWireBytes,
      respWireBytes: this.respWireBytes,
      communityId: this.communityId,
    };
    if (this.origFlags !== undefined) out.origFlags = this.origFlags;
    if (this.respFlags !== undefined) out.respFlags = this.respFlags;
    if (this.vlan !== undefined) out.vlan = this.vlan;
    if (this.innerVlan !== undefined) out.innerVlan = this.innerVlan;
    if (this.source !== undefined) out.source = this.source;
    return out;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): FlowRecord {
    return this.toJSON();
  }
}
