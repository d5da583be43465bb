import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, LUA_CHECK_TYPES, rejectCorrupt } from '@fullon/core/author';

/**
 * Deletes tickers of one exchange and their index entries together. The index's type is checked
 * first: an index of another Redis type gets the corrupt reply of `LUA_CHECK_TYPES` and nothing
 * is deleted. A ticker key is deleted whatever its type (DEL cannot fail): deleting a ticker
 * that holds garbage is what the caller asked for, and the only way to remove it.
 *
 * KEYS[1] index `tick-index:{exchange}`; KEYS[1 + i] ticker hash of symbol i.
 * ARGV[i] symbol i.
 * Returns how many ticker keys existed and were deleted, or the corrupt reply.
 * @internal
 */
const DELETE_TICKERS = defineScript(
  'tick.delete',
  `${LUA_CHECK_TYPES}
local bad = check_types({KEYS[1], 'zset'})
if bad then return bad end
for i = 1, #ARGV do redis.call('ZREM', KEYS[1], ARGV[i]) end
local deleted = 0
for i = 2, #KEYS do deleted = deleted + redis.call('DEL', KEYS[i]) end
return deleted
`,
);

/**
 * Runs {@link DELETE_TICKERS}.
 * @internal
 * @param conn - Connection.
 * @param keys - The exchange's symbol `index` and the ticker hashes (`tickers`), one per symbol.
 * @param args - The `symbols`, in the same order as `keys.tickers`.
 * @returns How many tickers existed.
 * @throws {DecodeError} naming the index when it holds another Redis type; nothing is deleted.
 */
export function deleteTickersScript(
  conn: CacheConnectionLike,
  keys: { index: string; tickers: readonly string[] },
  args: { symbols: readonly string[] },
): Promise<number> {
  return conn.runScript<number, number>(
    DELETE_TICKERS,
    [keys.index, ...keys.tickers],
    args.symbols,
    undefined,
    rejectCorrupt,
  );
}
