import type { CacheConnectionLike, RedisArg } from '@fullon/core';
import { defineScript, LUA_CHECK_TYPES, rejectCorrupt } from '@fullon/core/author';

/**
 * Merges bars into a series by open time, publishes them, keeps the newest `maxBars` and
 * renews the TTL, in one step.
 *
 * Nothing can fail after the first write: the key's type is checked and the message published
 * (an ACL may refuse PUBLISH) before anything is written; every argument was validated by the
 * caller. A bar whose time is already stored replaces it, so the forming candle updates in
 * place and no time is ever stored twice: when the stored bars within the batch's time span
 * are few (at most twice the batch), they are read once and those rewritten removed, then the
 * batch is added with one ZADD; otherwise each time is replaced on its own (ZREMRANGEBYSCORE on
 * that exact time, then ZADD).
 *
 * KEYS[1] series (zset: member = bar bytes, score = time)
 * ARGV[1] TTL (ms); ARGV[2] maxBars; ARGV[3] channel; ARGV[4] message (every bar of the call);
 * then pairs (time, bar bytes), times distinct and ascending.
 * Returns the series' length afterwards, or core's corrupt reply naming the key when it holds
 * another Redis type (nothing written).
 * @internal
 */
export const UPSERT_BARS = defineScript(
  'ohlcv.upsert',
  `-- KEYS[1] series | ARGV[1] ttl ms, ARGV[2] maxBars, ARGV[3] channel, ARGV[4] message, then (time, bytes) pairs
${LUA_CHECK_TYPES}
local key = KEYS[1]
local bad = check_types({key, 'zset'})
if bad then return bad end
redis.call('PUBLISH', ARGV[3], ARGV[4])
local first, last = ARGV[5], ARGV[#ARGV - 1]
local bars = (#ARGV - 4) / 2
if redis.call('ZCOUNT', key, first, last) <= 2 * bars then
  -- Few stored bars in the batch's span (the usual case: the forming candle, a few late
  -- bars): read them once, drop those whose time is rewritten, add the batch in one ZADD.
  local stored = redis.call('ZRANGE', key, first, last, 'BYSCORE', 'WITHSCORES')
  if #stored > 0 then
    local incoming = {}
    for i = 5, #ARGV, 2 do incoming[tonumber(ARGV[i])] = true end
    local gone = {}
    for i = 1, #stored, 2 do
      if incoming[tonumber(stored[i + 1])] then gone[#gone + 1] = stored[i] end
    end
    for i = 1, #gone, 1000 do
      redis.call('ZREM', key, unpack(gone, i, math.min(i + 999, #gone)))
    end
  end
  for i = 5, #ARGV, 2000 do
    redis.call('ZADD', key, unpack(ARGV, i, math.min(i + 1999, #ARGV)))
  end
else
  -- A sparse batch over a long stored span: replace time by time.
  for i = 5, #ARGV, 2 do
    local t = ARGV[i]
    redis.call('ZREMRANGEBYSCORE', key, t, t)
    redis.call('ZADD', key, t, ARGV[i + 1])
  end
end
local n = redis.call('ZCARD', key)
local max = tonumber(ARGV[2])
if n > max then
  redis.call('ZREMRANGEBYRANK', key, 0, n - max - 1)
  n = max
end
redis.call('PEXPIRE', key, ARGV[1])
return n
`,
);

/** Arguments of {@link upsertBarsScript}. */
export interface UpsertBarsArgs {
  /** TTL of the series after this write, in ms. */
  ttlMs: string;
  /** Bars kept (the newest). */
  maxBars: string;
  /** The series' channel. */
  channel: string;
  /** The published message. */
  message: Buffer;
  /** Open times, distinct and ascending, as decimal strings. */
  times: readonly string[];
  /** Each bar's bytes, aligned with `times`. */
  members: readonly Buffer[];
}

/**
 * Runs {@link UPSERT_BARS}.
 * @param conn - Connection.
 * @param keys - The series key.
 * @param args - TTL, cap, channel, message and bars.
 * @returns The series' length afterwards.
 * @throws {DecodeError} naming the key when it holds another Redis type (nothing written).
 * @internal
 */
export function upsertBarsScript(
  conn: CacheConnectionLike,
  keys: { series: string },
  args: UpsertBarsArgs,
): Promise<number> {
  const argv: RedisArg[] = new Array<RedisArg>(4 + args.times.length * 2);
  argv[0] = args.ttlMs;
  argv[1] = args.maxBars;
  argv[2] = args.channel;
  argv[3] = args.message;
  for (let i = 0; i < args.times.length; i++) {
    argv[4 + 2 * i] = args.times[i] ?? '';
    argv[5 + 2 * i] = args.members[i] ?? '';
  }
  return conn.runScript<number, number>(UPSERT_BARS, [keys.series], argv, undefined, rejectCorrupt);
}
