import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, LUA_SCRIPT_REPLY, rejectCorrupt } from '@fullon/core/author';
import { CHECK_INDEX_AND_TICKERS } from './index-lua.js';

/**
 * Checks, without writing, that one exchange's index and ticker keys have their Redis types.
 * `setTickers` runs it for every exchange of a batch that spans several (several slots, so no
 * one script sees them all) before the first write: stored garbage under any exchange then
 * fails the whole batch with nothing written, instead of leaving the other exchanges written.
 *
 * KEYS[1] index `tick-index:{exchange}`; KEYS[1 + i] ticker hash i.
 * Returns `ScriptReply.ok`, or the corrupt reply of `LUA_CHECK_TYPES`.
 * @internal
 */
const CHECK_KEYS = defineScript(
  'tick.check-keys',
  `${LUA_SCRIPT_REPLY}
${CHECK_INDEX_AND_TICKERS}return ScriptReply.ok
`,
);

/**
 * Runs {@link CHECK_KEYS}.
 * @internal
 * @param conn - Connection (the operation's, so `close()` drains it with the writes).
 * @param keys - The exchange's symbol `index` and its ticker hashes (`tickers`).
 * @throws {DecodeError} naming the first key of another Redis type.
 */
export async function checkTickerKeysScript(
  conn: CacheConnectionLike,
  keys: { index: string; tickers: readonly string[] },
): Promise<void> {
  await conn.runScript<number, number>(
    CHECK_KEYS,
    [keys.index, ...keys.tickers],
    [],
    undefined,
    rejectCorrupt,
  );
}
