import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import {
  BUFFERS,
  COMPLETE_MARKER,
  decodeListed,
  type Id,
  readCompleteHash,
  replaceCompleteHash,
  ScriptReply,
} from '@fullon/core/author';
import { sameId } from './exchange-input.js';
import type { ExchangeKeys } from './keys.js';
import { CatExchangeLayout, ExchangeLayout, withId } from './layouts.js';
import type { CatExchange, Exchange } from './schema.js';
import { setExchangeScript } from './scripts/set-exchange.js';
import { storeUserExchangesScript } from './scripts/store-user-exchanges.js';

/** Orders ids as people expect: numerically where both look like numbers, else by text. */
function compareIds(a: Id, b: Id): number {
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

/**
 * Sorts exchange accounts by id, in place.
 * @internal
 */
export function sortExchanges(exchanges: Exchange[]): Exchange[] {
  return exchanges.sort((a, b) => compareIds(a.exId, b.exId));
}

/**
 * Sorts catalog exchanges by id, in place.
 * @internal
 */
export function sortCatalog(catalog: CatExchange[]): CatExchange[] {
  return catalog.sort((a, b) => compareIds(a.catExId, b.catExId));
}

/**
 * Reads one exchange record (strict decode: it must be the account its key names).
 * @internal
 * @returns The record, or `undefined` on a miss.
 * @throws {DecodeError} when the stored value is corrupt or another account's.
 */
export async function readExchange(
  conn: CacheConnectionLike,
  keys: ExchangeKeys,
  exId: Id,
): Promise<Exchange | undefined> {
  const key = keys.exchange(exId);
  const bytes = await conn.send<Buffer | null>(key, ['GET', key], BUFFERS);
  return bytes === null
    ? undefined
    : withId(ExchangeLayout.decode(conn.codec, bytes, key), 'exId', exId, key);
}

/**
 * Reads a user's cached exchange list: the index, then its records. Corrupt records (and
 * records stored under another account's key) are skipped and reported; records that moved to
 * another user are left out.
 *
 * The index is complete only when it holds the marker (a complete load or `setExchanges` wrote
 * it). Without the marker it holds just the accounts written one by one: with a list loader
 * that is a miss (the loader answers), without one those known accounts are the answer.
 * @internal
 * @param conn - Connection.
 * @param keys - The package's keys.
 * @param userId - The user.
 * @param hasLoader - A list loader is configured: an incomplete or stale list is a miss.
 * @returns The accounts, or `undefined` on a miss.
 */
export async function readUserExchanges(
  conn: CacheConnectionLike,
  keys: ExchangeKeys,
  userId: Id,
  hasLoader: boolean,
): Promise<Exchange[] | undefined> {
  const index = keys.userExchanges(userId);
  const members = await conn.send<string[]>(index, ['SMEMBERS', index]);
  const complete = members.includes(COMPLETE_MARKER);
  if (!complete && hasLoader) return undefined;
  const ids = members.filter((m) => m !== COMPLETE_MARKER);
  if (ids.length === 0) return [];
  const records = ids.map((id) => keys.exchange(id));
  // Same hash tag as the index, so one MGET serves a cluster too.
  const values = await conn.send<(Buffer | null)[]>(index, ['MGET', ...records], BUFFERS);
  const exchanges: Exchange[] = [];
  for (const [i, bytes] of values.entries()) {
    // A listed record that is gone was deleted or expired: the list is stale.
    if (bytes === null) {
      if (hasLoader) return undefined;
      continue;
    }
    const key = records[i] ?? index;
    const id = ids[i] ?? '';
    const exchange = decodeListed(conn, () =>
      withId(ExchangeLayout.decode(conn.codec, bytes, key), 'exId', id, key),
    );
    // A record that moved to another user stays listed under the old one until it expires.
    if (exchange !== undefined && sameId(exchange.userId, userId)) exchanges.push(exchange);
  }
  return sortExchanges(exchanges);
}

/**
 * Reads the cached catalog; corrupt entries (or entries under another id's field) are skipped
 * and reported.
 * @internal
 * @returns The catalog, or `undefined` on a miss.
 */
export async function readCatalog(
  conn: CacheConnectionLike,
  key: string,
): Promise<CatExchange[] | undefined> {
  const fields = await readCompleteHash(conn, key);
  if (fields === undefined) return undefined;
  const catalog: CatExchange[] = [];
  for (const [field, bytes] of fields) {
    const entry = decodeListed(conn, () =>
      withId(CatExchangeLayout.decode(conn.codec, bytes, key, field), 'catExId', field, key, field),
    );
    if (entry !== undefined) catalog.push(entry);
  }
  return sortCatalog(catalog);
}

/**
 * Stores one exchange record and lists it in its owner's index (one script). Never marks the
 * index complete.
 * @internal
 * @param createIndex - Create the owner's index when absent (no list loader).
 * @returns Whether the index lists it.
 * @throws {DecodeError} when the owner's index key holds another Redis type; nothing written.
 */
export async function storeExchange(
  conn: CacheConnectionLike,
  keys: ExchangeKeys,
  ttlMs: number,
  exchange: Exchange,
  createIndex: boolean,
): Promise<boolean> {
  const scriptKeys = {
    record: keys.exchange(exchange.exId),
    index: keys.userExchanges(exchange.userId),
  };
  const reply = await setExchangeScript(conn, scriptKeys, {
    ttlMs,
    createIndex,
    exId: String(exchange.exId),
    bytes: ExchangeLayout.encode(conn.codec, exchange),
  });
  if (reply === ScriptReply.wrongType) {
    throw new DecodeError(
      scriptKeys.index,
      undefined,
      'not a set of exchange ids; nothing was written',
    );
  }
  return reply === ScriptReply.added;
}

/**
 * Stores a user's complete list: the index replaced and marked complete, every record written
 * (one script).
 * @internal
 */
export async function storeUserList(
  conn: CacheConnectionLike,
  keys: ExchangeKeys,
  ttlMs: number,
  userId: Id,
  exchanges: readonly Exchange[],
): Promise<void> {
  await storeUserExchangesScript(
    conn,
    {
      index: keys.userExchanges(userId),
      records: exchanges.map((e) => keys.exchange(e.exId)),
    },
    {
      ttlMs,
      records: exchanges.map((e) => ({
        exId: String(e.exId),
        bytes: ExchangeLayout.encode(conn.codec, e),
      })),
    },
  );
}

/**
 * Replaces the cached catalog (one script).
 * @internal
 */
export async function storeCatalog(
  conn: CacheConnectionLike,
  ttlMs: number,
  key: string,
  catalog: readonly CatExchange[],
): Promise<void> {
  const entries = catalog.map(
    (c) => [String(c.catExId), CatExchangeLayout.encode(conn.codec, c)] as const,
  );
  await replaceCompleteHash(conn, key, entries, ttlMs);
}
