import type { CacheConnectionLike } from '@fullon/core';
import { BUFFERS, defineScript, LUA_SCRIPT_REPLY, type ScriptReply } from '@fullon/core/author';

/**
 * Reads the stored bytes of several tickers of one exchange and drops from the index every
 * symbol whose ticker has expired, in one step (so a symbol written meanwhile is never dropped).
 * A key of another Redis type is reported, not fatal: one bad key never breaks a listing.
 *
 * KEYS[1] index `tick-index:{exchange}`; KEYS[1 + i] ticker hash of symbol i.
 * ARGV[i] symbol i.
 * Returns one entry per symbol: the layout bytes, nil when the ticker is gone, or
 * `ScriptReply.wrongType` when the key holds another type.
 * @internal
 */
const LIST_TICKERS = defineScript(
  'tick.list',
  `${LUA_SCRIPT_REPLY}
local out = {}
for i = 2, #KEYS do
  local bytes = redis.pcall('HGET', KEYS[i], 'v')
  if type(bytes) == 'table' and bytes.err then
    out[i - 1] = ScriptReply.wrongType
  elseif not bytes then
    redis.pcall('ZREM', KEYS[1], ARGV[i - 1])
    out[i - 1] = false
  else
    out[i - 1] = bytes
  end
end
return out
`,
);

/**
 * Runs {@link LIST_TICKERS}.
 * @internal
 * @param conn - Connection.
 * @param keys - The exchange's symbol `index` and the ticker hashes (`tickers`).
 * @param args - Their `symbols`, in the same order.
 * @returns Per ticker: bytes, `null` (gone) or `ScriptReply.wrongType`.
 */
export function listTickersScript(
  conn: CacheConnectionLike,
  keys: { index: string; tickers: readonly string[] },
  args: { symbols: readonly string[] },
): Promise<(Buffer | null | typeof ScriptReply.wrongType)[]> {
  return conn.runScript(LIST_TICKERS, [keys.index, ...keys.tickers], args.symbols, BUFFERS);
}
