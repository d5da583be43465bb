/**
 * Lua shared by the write scripts: how a write records its symbol in the exchange index.
 *
 * The index is a sorted set of symbol → expiry deadline (server clock, ms). A write moves the
 * deadline; when a symbol is new, members whose deadline passed more than a second ago (their
 * ticker key has expired) are removed, so the index never outgrows the live tickers by more
 * than the symbols that expired since the last new one. The index key itself lives as long as
 * its longest-lived ticker (`PEXPIRE … GT`, or a plain `PEXPIRE` on a fresh key), so an exchange
 * that stops ticking leaves nothing behind.
 *
 * Defines `now_ms()`, `index_touch(index, symbol, ttl_ms)` → 1 when the symbol was new. Its ZADD
 * is the first write of every write script (a wrong-type index fails there, before anything
 * else is written); nothing after it can fail.
 * @internal
 */
export const INDEX_LUA = `
local function now_ms()
  local clock = redis.call('TIME')
  return tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end
local function index_touch(index, symbol, ttl_ms)
  local now = now_ms()
  local added = redis.call('ZADD', index, string.format('%.0f', now + tonumber(ttl_ms)), symbol)
  if added == 1 then
    redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. string.format('%.0f', now - 1000))
  end
  if redis.call('PEXPIRE', index, ttl_ms, 'GT') == 0 and redis.call('PTTL', index) == -1 then
    redis.call('PEXPIRE', index, ttl_ms)
  end
  return added
end
`;

/** What a tick write reports for each tick. */
export const WriteStatus = {
  /** The stored tick is newer: nothing written or published. */
  stale: 0,
  /** Written and published. */
  written: 1,
  /** Written and published, and the symbol was new to its exchange's index. */
  added: 2,
} as const;
/** One of {@link WriteStatus}. */
export type WriteStatus = (typeof WriteStatus)[keyof typeof WriteStatus];
