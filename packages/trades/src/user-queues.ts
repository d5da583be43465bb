import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import { decodeListed, type TakeQueuedKeys, takeQueued } from '@fullon/core/author';
import { checkOwner, parseTrade } from './args.js';
import type { TradeKeys } from './keys.js';
import { encodeTrade, TradeLayout } from './layouts.js';
import type { ResolvedOptions } from './options.js';
import { pushList } from './push.js';
import type { Trade } from './schema.js';

// User trade queues: the push, the pop loop and the strict decode of what it takes.

/**
 * The work of {@link TradesCache.pushUserTrade}: checks the trade (it must be the user's, or
 * name no user) and pushes it to the user's queue.
 * @param conn - The connection.
 * @param keys - The package's keys.
 * @param user - The user, checked, as in keys.
 * @param exchange - Exchange name, already validated.
 * @param trade - The trade as given.
 * @param options - The cap and the TTL.
 * @returns The queue length after the push.
 * @throws {ValidationError} naming `userId` or the trade's field; nothing is written.
 * @throws {DecodeError} when the queue's drop counter is corrupt; nothing is written.
 * @internal
 */
export function pushUserQueue(
  conn: CacheConnectionLike,
  keys: TradeKeys,
  user: string,
  exchange: string,
  trade: unknown,
  options: ResolvedOptions,
): Promise<number> {
  const parsed = parseTrade(trade);
  checkOwner(parsed, user);
  const pushKeys = [keys.userTrades(exchange, user), keys.userDropped(exchange)] as const;
  return pushList(conn, pushKeys, user, [encodeTrade(conn.codec, parsed)], options);
}

/**
 * Takes the oldest trade of a user's queue, waiting until `timeoutMs` for one; an entry that is
 * not a trade of this user is taken off, reported through `onCorrupt` and skipped, and the pop
 * goes on within the same deadline.
 * @param conn - The connection.
 * @param keys - The queue and its in-flight set.
 * @param user - The user, as in keys.
 * @param timeoutMs - How long to wait, in ms; `0` does not wait.
 * @returns The trade, or `null` when none came in time.
 * @throws {DecodeError} naming the key when the queue or its in-flight set holds another Redis
 *   type.
 * @internal
 */
export async function takeUserTrade(
  conn: CacheConnectionLike,
  keys: TakeQueuedKeys,
  user: string,
  timeoutMs: number,
): Promise<Trade | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const wait = Math.max(0, deadline - Date.now());
    const bytes = await takeQueued(conn, keys, { timeoutMs: wait });
    if (bytes === null) return null;
    const trade = decodeListed(conn, () => decodeUserTrade(conn, bytes, keys.queue, user));
    if (trade !== undefined) return trade;
  }
}

/** Strict decode of a user's trade: it must be a trade of the user its key names. */
function decodeUserTrade(
  conn: CacheConnectionLike,
  bytes: Buffer,
  key: string,
  user: string,
): Trade {
  const trade = TradeLayout.decode(conn.codec, bytes, key);
  if (trade.userId !== undefined && String(trade.userId) !== user) {
    throw new DecodeError(
      key,
      undefined,
      `stored trade.userId is ${JSON.stringify(trade.userId)}, not the ${JSON.stringify(user)} its key names`,
    );
  }
  return trade;
}
