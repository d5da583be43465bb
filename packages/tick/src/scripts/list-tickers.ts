import type { CacheConnectionLike } from '@fullon/core';
import { defineScript } from '@fullon/core/author';

/** Marks a listed key that holds another Redis type than a ticker hash. */
export const WRONG_TYPE = -1;

/**
 * Reads the stored bytes of several tickers of one exchange and drops from the index every
 * symbol whose ticker has expired, in one step (so a symbol written meanwhile is never dropped).
 * A key of another Redis type is reported, not fatal: one bad key never breaks a listing.
 *
 * KEYS[1] index `tick-index:{exchange}`; KEYS[1 + i] ticker hash of symbol i.
 * ARGV[i] symbol i.
 * Returns one entry per symbol: the layout bytes, nil when the ticker is gone, or -1 when the
 * key holds another type.
 * @internal
 */
const LIST_TICKERS = defineScript(
  'tick.list',
  `
local out = {}
for i = 2, #KEYS do
  local bytes = redis.pcall('HGET', KEYS[i], 'v')
  if type(bytes) == 'table' and bytes.err then
    out[i - 1] = ${WRONG_TYPE}
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
 * Reads an exchange's symbol index; a key of another type answers -1 instead of failing.
 *
 * KEYS[1] index. Returns the members, or -1.
 * @internal
 */
const INDEX_MEMBERS = defineScript(
  'tick.index-members',
  `
local members = redis.pcall('ZRANGE', KEYS[1], 0, -1)
if members.err then return ${WRONG_TYPE} end
return members
`,
);

/**
 * Runs {@link LIST_TICKERS}.
 * @internal
 * @param conn - Connection.
 * @param index - The exchange's symbol index.
 * @param tickers - Ticker hashes.
 * @param symbols - Their symbols, in the same order.
 * @returns Per ticker: bytes, `null` (gone) or {@link WRONG_TYPE}.
 */
export function listTickersScript(
  conn: CacheConnectionLike,
  index: string,
  tickers: readonly string[],
  symbols: readonly string[],
): Promise<(Buffer | null | typeof WRONG_TYPE)[]> {
  return conn.runScript(LIST_TICKERS, [index, ...tickers], symbols, { buffers: true });
}

/**
 * Runs {@link INDEX_MEMBERS}.
 * @internal
 * @param conn - Connection.
 * @param index - The exchange's symbol index.
 * @returns The symbols, or {@link WRONG_TYPE}.
 */
export function indexMembersScript(
  conn: CacheConnectionLike,
  index: string,
): Promise<string[] | typeof WRONG_TYPE> {
  return conn.runScript(INDEX_MEMBERS, [index], []);
}
