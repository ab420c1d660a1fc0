/** Asset reads: the latest observation per address, as triage asks for it. */
import type Database from 'better-sqlite3';
import type { Asset } from '../../schema/asset.js';
import { formatAddress, parseAddress } from '../../util/ip.js';

export interface SqliteAssets {
  /** Latest observation of `address`, or of every address (text order), at most `limit`. */
  latest(address: string | undefined, limit: number): Asset[];
}

/** Prepares the asset queries once. */
export function sqliteAssets(db: Database.Database): SqliteAssets {
  const ofAddress = db.prepare(
    'SELECT data FROM assets WHERE address = ? ORDER BY ts DESC, uid DESC LIMIT min(?, 1)',
  );
  // One row per address: the newest by ts, ties broken by uid so the answer is stable.
  const ofAll = db.prepare(
    'SELECT data FROM (SELECT data, address, row_number() OVER ' +
      '(PARTITION BY address ORDER BY ts DESC, uid DESC) AS rank FROM assets) ' +
      'WHERE rank = 1 ORDER BY address LIMIT ?',
  );
  const parse = (rows: unknown[]) => (rows as { data: string }[]).map((r) => JSON.parse(r.data) as Asset);
  return {
    latest(address, limit) {
      if (address === undefined) return parse(ofAll.all(limit));
      return parse(ofAddress.all(canonical(address), limit));
    },
  };
}

/** Addresses are stored in Picket's text form; accept any other spelling of the same address. */
function canonical(address: string): string {
  const bytes = parseAddress(address.trim());
  return bytes ? formatAddress(bytes, bytes.length) : address;
}
