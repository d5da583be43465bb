import type { CacheConnectionLike } from '@fullon/core';
import { defineScript } from '@fullon/core/author';

/**
 * Deletes tickers of one exchange and their index entries together. The index entries go
 * first: a wrong-type index fails there, before any ticker is deleted.
 *
 * KEYS[1] index `tick-index:{exchange}`; KEYS[1 + i] ticker hash of symbol i.
 * ARGV[i] symbol i.
 * Returns how many ticker keys existed and were deleted.
 * @internal
 */
const DELETE_TICKERS = defineScript(
  'tick.delete',
  `
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
 * @param index - The exchange's symbol index.
 * @param tickers - Ticker hashes, one per symbol.
 * @param symbols - The symbols, in the same order.
 * @returns How many tickers existed.
 */
export function deleteTickersScript(
  conn: CacheConnectionLike,
  index: string,
  tickers: readonly string[],
  symbols: readonly string[],
): Promise<number> {
  return conn.runScript<number>(DELETE_TICKERS, [index, ...tickers], symbols);
}
