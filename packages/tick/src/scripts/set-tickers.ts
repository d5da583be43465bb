import type { CacheConnectionLike, RedisArg } from '@fullon/core';
import { defineScript, LUA_SCRIPT_REPLY, rejectCorrupt } from '@fullon/core/author';
import { CHECK_INDEX_AND_TICKERS, INDEX_LUA, type WriteStatus } from './index-lua.js';

/** ARGV entries per tick in {@link SET_TICKERS}. */
const STRIDE = 4;

/**
 * {@link SET_TICKER} for many ticks of one exchange (one slot) in one call, in order. Every
 * key's type is checked first (a key of another Redis type: the corrupt reply, nothing
 * written). Three passes keep the rule that nothing fails after the first write: decide every tick (a later
 * tick of the same symbol in the batch counts as stored), publish every written tick, then
 * write.
 *
 * KEYS[1] index `tick-index:{exchange}`; KEYS[1 + i] ticker hash of tick i.
 * ARGV[1] `1` to force; ARGV[2] TTL (ms); then per tick i, from ARGV[3 + 4(i-1)]:
 * time (ms), layout bytes, channel, symbol.
 * Returns one {@link WriteStatus} per tick, or the corrupt reply.
 * @internal
 */
const SET_TICKERS = defineScript(
  'tick.set-many',
  `${INDEX_LUA}${LUA_SCRIPT_REPLY}
${CHECK_INDEX_AND_TICKERS}local force = ARGV[1] == '1'
local ttl = ARGV[2]
local n = #KEYS - 1
local out = {}
local latest = {}
for i = 1, n do
  local key = KEYS[i + 1]
  local time = tonumber(ARGV[3 + (i - 1) * ${STRIDE}])
  local known = latest[key]
  if known == nil then
    local stored = redis.call('HGET', key, 't')
    known = stored and tonumber(stored) or false
  end
  if force or not known or known <= time then
    out[i] = ScriptReply.ok
    latest[key] = time
  else
    out[i] = ScriptReply.stale
    latest[key] = known
  end
end
for i = 1, n do
  local base = 3 + (i - 1) * ${STRIDE}
  if out[i] == ScriptReply.ok then redis.call('PUBLISH', ARGV[base + 2], ARGV[base + 1]) end
end
for i = 1, n do
  local base = 3 + (i - 1) * ${STRIDE}
  if out[i] == ScriptReply.ok then
    if index_touch(KEYS[1], ARGV[base + 3], ttl) then out[i] = ScriptReply.added end
    redis.call('HSET', KEYS[i + 1], 'v', ARGV[base + 1], 't', ARGV[base])
    redis.call('PEXPIRE', KEYS[i + 1], ttl)
  end
end
return out
`,
);

/** One tick of a batch write (its ticker hash is in the keys, at the same position). */
export interface BatchTick {
  /** Its channel. */
  readonly channel: string;
  /** Symbol. */
  readonly symbol: string;
  /** Time (ms). */
  readonly time: number;
  /** Layout bytes. */
  readonly bytes: Buffer;
}

/**
 * Runs {@link SET_TICKERS} for ticks of one exchange.
 * @internal
 * @param conn - Connection.
 * @param keys - The exchange's symbol `index` and the ticker hash of each tick (`tickers`).
 * @param args - The `ticks` in write order, `force` (write even older ticks) and `ttlMs` (a
 *   string of ms).
 * @returns One status per tick.
 * @throws {DecodeError} naming a key of another Redis type; nothing is written.
 */
export function setTickersScript(
  conn: CacheConnectionLike,
  keys: { index: string; tickers: readonly string[] },
  args: { ticks: readonly BatchTick[]; force: boolean; ttlMs: string },
): Promise<WriteStatus[]> {
  const argv: RedisArg[] = [args.force ? '1' : '0', args.ttlMs];
  for (const tick of args.ticks) {
    argv.push(String(tick.time), tick.bytes, tick.channel, tick.symbol);
  }
  return conn.runScript<WriteStatus[], WriteStatus[]>(
    SET_TICKERS,
    [keys.index, ...keys.tickers],
    argv,
    undefined,
    rejectCorrupt,
  );
}
