import { LUA_CHECK_TYPES, LUA_KEEP_INDEX, LUA_NOW_MS, type ScriptReply } from '@fullon/core/author';

/**
 * Lua shared by the write scripts: how a write records its symbol in the exchange index.
 *
 * The index is a sorted set of symbol → expiry deadline (server clock, ms). A write moves the
 * deadline; when a symbol is new, members whose deadline passed more than a second ago (their
 * ticker key has expired) are removed, so the index never outgrows the live tickers by more
 * than the symbols that expired since the last new one. The index key itself lives as long as
 * its longest-lived ticker (core's `keep_index`: `PEXPIRE … GT`, or a plain `PEXPIRE` on a fresh
 * key), so an exchange that stops ticking leaves nothing behind.
 *
 * Defines `now_ms()` and `keep_index()` (core's snippets) and `index_touch(index, symbol, ttl_ms)`
 * → `true` when the symbol was new. Its ZADD
 * is the first write of every write script (a wrong-type index fails there, before anything
 * else is written); nothing after it can fail.
 * @internal
 */
export const INDEX_LUA = `${LUA_NOW_MS}${LUA_KEEP_INDEX}
local function index_touch(index, symbol, ttl_ms)
  local now = now_ms()
  local added = redis.call('ZADD', index, string.format('%.0f', now + tonumber(ttl_ms)), symbol)
  if added == 1 then
    redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. string.format('%.0f', now - 1000))
  end
  keep_index(index, ttl_ms)
  return added == 1
end
`;

/**
 * What a tick write reports for each tick, one of core's `ScriptReply` codes: `stale` (the
 * stored tick is newer: nothing written or published), `ok` (written and published) or `added`
 * (written and published, and the symbol was new to its exchange's index).
 */
export type WriteStatus =
  | typeof ScriptReply.stale
  | typeof ScriptReply.ok
  | typeof ScriptReply.added;

/**
 * The opening of a script whose KEYS are the exchange's index (a sorted set) then tickers
 * (hashes): core's `check_types` over all of them, returning its corrupt reply (nothing
 * written) when one holds another Redis type.
 */
export const CHECK_INDEX_AND_TICKERS = `${LUA_CHECK_TYPES}
local checks = {KEYS[1], 'zset'}
for i = 2, #KEYS do
  checks[#checks + 1] = KEYS[i]
  checks[#checks + 1] = 'hash'
end
local bad = check_types(checks)
if bad then return bad end
`;
