/**
 * Column lists and the mapping between schema records and SQLite rows. Writes
 * bind positionally (fastest in better-sqlite3); reads alias columns to the
 * record's names and drop NULL optionals so a record round-trips exactly.
 */

import type { Asset } from '../../schema/asset.js';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';

export const flowColumns = [
  'uid',
  'ts',
  'orig_h',
  'orig_p',
  'resp_h',
  'resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'missed_bytes',
  'history',
  'orig_pkts',
  'orig_ip_bytes',
  'resp_pkts',
  'resp_ip_bytes',
  'ip_proto',
  'orig_wire_bytes',
  'resp_wire_bytes',
  'vlan',
  'inner_vlan',
  'community_id',
  'source',
] as const;

/** Positional values in `flowColumns` order. */
export function flowParams(f: FlowRecord): unknown[] {
  return [
    f.uid,
    f.ts,
    f.origH,
    f.origP,
    f.respH,
    f.respP,
    f.proto,
    f.service,
    f.duration,
    f.origBytes,
    f.respBytes,
    f.connState,
    f.missedBytes,
    f.history,
    f.origPkts,
    f.origIpBytes,
    f.respPkts,
    f.respIpBytes,
    f.ipProto,
    f.origWireBytes,
    f.respWireBytes,
    f.vlan ?? null,
    f.innerVlan ?? null,
    f.communityId,
    f.source ?? null,
  ];
}

/** SELECT list that names columns as FlowRecord fields. */
export const flowSelect = flowColumns.map((c) => `${c} AS ${camel(c)}`).join(', ');

type Nullable<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: T[P] | null };
export type FlowRow = Nullable<FlowRecord, 'vlan' | 'innerVlan' | 'source'>;

export function flowFromRow(row: FlowRow): FlowRecord {
  const { vlan, innerVlan, source, ...rest } = row;
  const f: FlowRecord = rest;
  if (vlan !== null) f.vlan = vlan;
  if (innerVlan !== null) f.innerVlan = innerVlan;
  if (source !== null) f.source = source;
  return f;
}

export const httpColumns = [
  'uid',
  'trans_depth',
  'ts',
  'orig_h',
  'orig_p',
  'resp_h',
  'resp_p',
  'method',
  'uri',
  'version',
  'host',
  'user_agent',
  'request_headers',
  'request_body_len',
  'request_body_prefix',
  'status_code',
  'status_msg',
  'response_headers',
  'response_body_len',
  'response_body_prefix',
  'response_content_type',
  'server',
] as const;

/** Headers are stored as JSON arrays of [name, value] pairs: order and repeats are kept. */
export function httpParams(t: HttpTransaction): unknown[] {
  return [
    t.uid,
    t.transDepth,
    t.ts,
    t.origH,
    t.origP,
    t.respH,
    t.respP,
    t.method,
    t.uri,
    t.version,
    t.host,
    t.userAgent,
    JSON.stringify(t.requestHeaders),
    t.requestBodyLen,
    t.requestBodyPrefix,
    t.statusCode,
    t.statusMsg,
    JSON.stringify(t.responseHeaders),
    t.responseBodyLen,
    t.responseBodyPrefix,
    t.responseContentType,
    t.server,
  ];
}

export const httpSelect = httpColumns.map((c) => `${c} AS ${camel(c)}`).join(', ');

export type HttpRow = Omit<HttpTransaction, 'requestHeaders' | 'responseHeaders'> & {
  requestHeaders: string;
  responseHeaders: string;
};

export function httpFromRow(row: HttpRow): HttpTransaction {
  return {
    ...row,
    requestHeaders: JSON.parse(row.requestHeaders) as [string, string][],
    responseHeaders: JSON.parse(row.responseHeaders) as [string, string][],
  };
}

export const sshColumns = ['uid', 'ts', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'client', 'server'] as const;

export function sshParams(b: SshBanner): unknown[] {
  return [b.uid, b.ts, b.origH, b.origP, b.respH, b.respP, b.client, b.server];
}

export const sshSelect = sshColumns.map((c) => `${c} AS ${camel(c)}`).join(', ');

/** `INSERT ... ON CONFLICT (key) DO UPDATE` over every non-key column: re-running replaces, never duplicates. */
export const eventColumns = [
  'uid',
  'ts',
  'type',
  'class_uid',
  'src',
  'dst',
  'dst_port',
  'source_kind',
  'data',
] as const;

/** The indexed fields as columns, the whole event as JSON (events vary by source; queries filter on few fields). */
export function eventParams(e: Event): unknown[] {
  return [
    e.uid,
    e.ts,
    e.type,
    e.classUid,
    e.src,
    e.dst ?? null,
    e.dstPort ?? null,
    e.source.kind,
    JSON.stringify(e),
  ];
}

export const assetColumns = ['uid', 'ts', 'address', 'status', 'scanner', 'data'] as const;

/** Like events: the fields queries use as columns, the whole observation as JSON. */
export function assetParams(a: Asset): unknown[] {
  return [a.uid, a.ts, a.address, a.status, a.source.scanner, JSON.stringify(a)];
}

export function upsertSql(table: string, columns: readonly string[], key: readonly string[]): string {
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`
  );
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
