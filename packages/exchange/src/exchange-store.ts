import type { CacheConnection } from '@fullon/core';
import { ownedBy } from './exchange-input.js';
import { compareIds, readHash } from './hash-read.js';
import { COMPLETE_MARKER, exchangeKey, userExchangesKey } from './keys.js';
import { CatExchangeLayout, decodeCatExchange, decodeExchange, ExchangeLayout } from './layouts.js';
import type { CatExchange, Exchange, Id } from './schema.js';
import { replaceHash } from './scripts/replace-hash.js';
import { setExchangeScript } from './scripts/set-exchange.js';
import { storeUserExchanges } from './scripts/store-user-exchanges.js';

/**
 * Sorts exchange accounts by id, in place.
 * @param exchanges - Accounts.
 * @returns The same array.
 */
export function sortExchanges(exchanges: Exchange[]): Exchange[] {
  return exchanges.sort((a, b) => compareIds(a.exId, b.exId));
}

/**
 * Sorts catalog exchanges by id, in place.
 * @param catalog - Catalog exchanges.
 * @returns The same array.
 */
export function sortCatalog(catalog: CatExchange[]): CatExchange[] {
  return catalog.sort((a, b) => compareIds(a.catExId, b.catExId));
}

/**
 * Reads one exchange record.
 * @param conn - Connection.
 * @param key - The record's key.
 * @returns The record, or `undefined` on a miss.
 * @throws {DecodeError} when the stored value is corrupt.
 */
export async function readExchange(
  conn: CacheConnection,
  key: string,
): Promise<Exchange | undefined> {
  const bytes = await conn.send<Buffer | null>(key, ['GET', key], { buffers: true });
  return bytes === null ? undefined : decodeExchange(conn.codec, bytes, key);
}

/**
 * Reads a user's cached exchange list: the index, then its records. Corrupt records are
 * skipped and reported; records that moved to another user are left out.
 * @param conn - Connection.
 * @param key - The user's index.
 * @param uid - The user.
 * @param reloadIfPartial - Treat a listed record that is gone as a miss (a loader will refill).
 * @returns The accounts, or `undefined` on a miss.
 */
export async function readUserExchanges(
  conn: CacheConnection,
  key: string,
  uid: Id,
  reloadIfPartial: boolean,
): Promise<Exchange[] | undefined> {
  const members = await conn.send<string[]>(key, ['SMEMBERS', key]);
  if (members.length === 0) return undefined;
  const keys = members.filter((m) => m !== COMPLETE_MARKER).map((id) => exchangeKey(conn.keys, id));
  if (keys.length === 0) return [];
  // Same hash tag as the index, so one MGET serves a cluster too.
  const values = await conn.send<(Buffer | null)[]>(key, ['MGET', ...keys], { buffers: true });
  const exchanges: Exchange[] = [];
  for (const [i, bytes] of values.entries()) {
    // A listed record that is gone was deleted or expired: the list is stale.
    if (bytes === null) {
      if (reloadIfPartial) return undefined;
      continue;
    }
    const exchange = conn.decodeListed(() => decodeExchange(conn.codec, bytes, keys[i] ?? key));
    // A record that moved to another user stays listed under the old one until it expires.
    if (exchange !== undefined && ownedBy(exchange, uid)) exchanges.push(exchange);
  }
  return sortExchanges(exchanges);
}

/**
 * Reads the cached catalog; corrupt entries are skipped and reported.
 * @param conn - Connection.
 * @param key - The catalog hash.
 * @returns The catalog, or `undefined` on a miss.
 */
export async function readCatalog(
  conn: CacheConnection,
  key: string,
): Promise<CatExchange[] | undefined> {
  const fields = await readHash(conn, key);
  if (fields === undefined) return undefined;
  const catalog: CatExchange[] = [];
  for (const [field, bytes] of fields) {
    const entry = conn.decodeListed(() => decodeCatExchange(conn.codec, bytes, key, field));
    if (entry !== undefined) catalog.push(entry);
  }
  return sortCatalog(catalog);
}

/**
 * Stores one exchange record and lists it in its owner's index (one script).
 * @param conn - Connection.
 * @param ttlMs - TTL.
 * @param exchange - The record.
 * @param createIndex - Create the owner's index when absent.
 * @returns `true` when the index lists it.
 */
export async function storeExchange(
  conn: CacheConnection,
  ttlMs: number,
  exchange: Exchange,
  createIndex: boolean,
): Promise<boolean> {
  const listed = await conn.runScript<number>(
    setExchangeScript,
    [exchangeKey(conn.keys, exchange.exId), userExchangesKey(conn.keys, exchange.uid)],
    [
      String(ttlMs),
      createIndex ? '1' : '0',
      COMPLETE_MARKER,
      String(exchange.exId),
      ExchangeLayout.encode(conn.codec, exchange),
    ],
  );
  return listed === 1;
}

/**
 * Stores a user's complete list: the index replaced, every record written (one script).
 * @param conn - Connection.
 * @param ttlMs - TTL.
 * @param key - The user's index.
 * @param exchanges - The complete list.
 */
export async function storeUserList(
  conn: CacheConnection,
  ttlMs: number,
  key: string,
  exchanges: readonly Exchange[],
): Promise<void> {
  const keys = [key, ...exchanges.map((e) => exchangeKey(conn.keys, e.exId))];
  const args: (string | Buffer)[] = [String(ttlMs), COMPLETE_MARKER];
  for (const e of exchanges) args.push(String(e.exId));
  for (const e of exchanges) args.push(ExchangeLayout.encode(conn.codec, e));
  await conn.runScript(storeUserExchanges, keys, args);
}

/**
 * Replaces the cached catalog (one script).
 * @param conn - Connection.
 * @param ttlMs - TTL.
 * @param key - The catalog hash.
 * @param catalog - The complete catalog.
 */
export async function storeCatalog(
  conn: CacheConnection,
  ttlMs: number,
  key: string,
  catalog: readonly CatExchange[],
): Promise<void> {
  const args: (string | Buffer)[] = [String(ttlMs), COMPLETE_MARKER];
  for (const c of catalog) args.push(String(c.catExId), CatExchangeLayout.encode(conn.codec, c));
  await conn.runScript(replaceHash, [key], args);
}
