import { isUtf8 } from 'node:buffer';
import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import {
  BUFFERS,
  decodeListed,
  decodeStoredTime,
  flatPairs,
  isNameText,
  MAX_NAME_LENGTH,
} from '@fullon/core/author';
import { stampStatusScript } from './scripts/stamp-status.js';

// Status stamps: two sorted-set indexes (trade and user-trade statuses), member = status key,
// score = epoch ms. The cache picks the index; these functions read and write one of them.

/** Most stamps a status index keeps; past it, the oldest stamps are dropped. */
const MAX_STATUSES = '10000';

/**
 * Stamps a status key in a status index, keeping the index to its newest 10 000 stamps.
 * @param conn - The connection.
 * @param index - `[status index]`, the script's KEYS.
 * @param key - The status key, already validated.
 * @param at - The stamp, epoch ms.
 * @param ttlMs - The index's TTL in ms, as a decimal string.
 * @returns The script's reply, once stamped.
 * @throws {DecodeError} naming the index when it holds another Redis type.
 * @internal
 */
export function stamp(
  conn: CacheConnectionLike,
  index: readonly [index: string],
  key: string,
  at: number,
  ttlMs: string,
): Promise<unknown> {
  return stampStatusScript(conn, index, { key, at, cap: MAX_STATUSES, ttlMs });
}

/**
 * Stamps an exchange after a push was applied: a corrupt index is reported through the
 * connection's `onCorrupt` hook, not thrown (the push happened; a retry would push twice).
 * @param conn - The connection.
 * @param index - `[trade status index]`.
 * @param exchange - The exchange, already validated.
 * @param ttlMs - The index's TTL in ms, as a decimal string.
 * @internal
 */
export function stampPushed(
  conn: CacheConnectionLike,
  index: readonly [index: string],
  exchange: string,
  ttlMs: string,
): Promise<void> {
  return stamp(conn, index, exchange, Date.now(), ttlMs).then(
    () => undefined,
    (error: unknown) => {
      if (!DecodeError.is(error)) throw error;
      conn.reportCorrupt(error);
    },
  );
}

/**
 * One stamp of a status index.
 * @param conn - The connection.
 * @param index - The status index.
 * @param key - The status key, already validated.
 * @returns The stamp (epoch ms), or `null` when there is none.
 * @throws {DecodeError} naming the index and `key` when the stored stamp is not an epoch-ms time.
 * @internal
 */
export async function readStamp(
  conn: CacheConnectionLike,
  index: string,
  key: string,
): Promise<number | null> {
  const reply = await conn.send<string | null>(index, ['ZSCORE', index, key]);
  return reply === null ? null : decodeStoredTime(reply, index, key);
}

/**
 * Every stamp of a status index, from one read; a member or stamp that is garbage is skipped
 * and reported through the connection's `onCorrupt` hook.
 * @param conn - The connection.
 * @param index - The status index.
 * @returns Status key → stamp (epoch ms).
 * @internal
 */
export async function readStamps(
  conn: CacheConnectionLike,
  index: string,
): Promise<Record<string, number>> {
  const reply = await conn.send<Buffer[]>(
    index,
    ['ZRANGE', index, '0', '-1', 'WITHSCORES'],
    BUFFERS,
  );
  const entries: [string, number][] = [];
  for (const [member, scoreBytes] of flatPairs(reply)) {
    const score = scoreBytes.toString();
    const at = decodeListed(conn, () => {
      const key = statusKeyOf(member, index);
      return [key, decodeStoredTime(score, index, key)] as [string, number];
    });
    if (at !== undefined) entries.push(at);
  }
  // fromEntries defines own properties: a status key `__proto__` stays a key.
  return Object.fromEntries(entries);
}

/** A status index member as a status key: a name in well-formed UTF-8, else stored garbage. */
function statusKeyOf(member: Buffer, index: string): string {
  const key = member.toString('utf8');
  if (isUtf8(member) && key.length > 0 && key.length <= MAX_NAME_LENGTH && isNameText(key))
    return key;
  throw new DecodeError(index, undefined, 'a member is not a status key (a name)');
}
