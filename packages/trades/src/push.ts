import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import { ScriptReply } from '@fullon/core/author';
import type { ResolvedOptions } from './options.js';
import { type PushKeys, pushTradesScript } from './scripts/push-trades.js';

// The pushes both kinds of list share (a market's pending trades, a user's queue): a capped
// push that counts what the cap drops, and the read of that drop counter.

const COUNTER = /^\d{1,15}$/;

/**
 * What a push answers when its list's drop counter is corrupt (nothing was pushed).
 * @param dropped - The drop-counter hash.
 * @param field - The list's field in it.
 * @returns The error, to throw.
 * @internal
 */
export function corruptCounter(dropped: string, field: string): DecodeError {
  return new DecodeError(
    dropped,
    field,
    'the drop counter is not a whole number (or the key is not a hash); nothing was pushed',
  );
}

/**
 * Appends encoded trades to one list, capped, in one script call.
 * @param conn - The connection.
 * @param keys - `[list, drop counters]`.
 * @param field - The list's field in the drop-counter hash (the market or the user id).
 * @param items - The trades' layout bytes, oldest first (at least one).
 * @param options - The cap and the TTL.
 * @returns The list length after the push.
 * @throws {DecodeError} naming the key when the list or its drop counter is corrupt; nothing
 *   is written.
 * @internal
 */
export async function pushList(
  conn: CacheConnectionLike,
  keys: PushKeys,
  field: string,
  items: Buffer[],
  options: ResolvedOptions,
): Promise<number> {
  const length = await pushTradesScript(conn, keys, {
    field,
    cap: options.cap,
    ttlMs: options.ttlMs,
    trades: items,
  });
  if (length === ScriptReply.corrupt) throw corruptCounter(keys[1], field);
  return length;
}

/**
 * How many trades of one list the cap dropped.
 * @param conn - The connection.
 * @param dropped - The drop-counter hash.
 * @param field - The list's field in it.
 * @returns The count; `0` when none was dropped.
 * @throws {DecodeError} when the stored counter is not a whole number.
 * @internal
 */
export async function readDropped(
  conn: CacheConnectionLike,
  dropped: string,
  field: string,
): Promise<number> {
  const reply = await conn.send<string | null>(dropped, ['HGET', dropped, field]);
  if (reply === null) return 0;
  if (!COUNTER.test(reply)) {
    throw new DecodeError(dropped, field, 'the drop counter is not a whole number');
  }
  return Number(reply);
}
