import type { CacheConnectionLike, RedisArg } from '@fullon/core';
import { defineScript } from '@fullon/core/author';

/**
 * Merges bars into a series by open time, publishes them, keeps the newest `maxBars` and
 * renews the TTL, in one step.
 *
 * Nothing can fail after the first write: the key's type is checked and the message published
 * (an ACL may refuse PUBLISH) before anything is written; every argument was validated by the
 * caller. A bar whose time is already stored replaces it (ZREMRANGEBYSCORE on that exact time,
 * then ZADD), so the forming candle updates in place and no time is ever stored twice.
 *
 * KEYS[1] series (zset: member = bar bytes, score = time)
 * ARGV[1] TTL (ms); ARGV[2] maxBars; ARGV[3] channel; ARGV[4] message (every bar of the call);
 * then pairs (time, bar bytes), times distinct.
 * Returns the series' length afterwards, or -1 when the key holds another type (nothing written).
 * @internal
 */
export const UPSERT_BARS = defineScript(
  'ohlcv.upsert',
  `-- KEYS[1] series | ARGV[1] ttl ms, ARGV[2] maxBars, ARGV[3] channel, ARGV[4] message, then (time, bytes) pairs
local key = KEYS[1]
local kind = redis.call('TYPE', key).ok
if kind ~= 'zset' and kind ~= 'none' then return -1 end
redis.call('PUBLISH', ARGV[3], ARGV[4])
for i = 5, #ARGV, 2 do
  local t = ARGV[i]
  redis.call('ZREMRANGEBYSCORE', key, t, t)
  redis.call('ZADD', key, t, ARGV[i + 1])
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

/** What {@link upsertBars} answers when the key holds something other than a series. */
export const WRONG_TYPE = -1;

/** Arguments of {@link upsertBars}. */
export interface UpsertBarsArgs {
  /** TTL of the series after this write, in ms. */
  ttlMs: string;
  /** Bars kept (the newest). */
  maxBars: string;
  /** The series' channel. */
  channel: string;
  /** The published message. */
  message: Buffer;
  /** Open times, distinct, as decimal strings. */
  times: readonly string[];
  /** Each bar's bytes, aligned with `times`. */
  members: readonly Buffer[];
}

/**
 * Runs {@link UPSERT_BARS}.
 * @param conn - Connection.
 * @param key - The series key.
 * @param args - TTL, cap, channel, message and bars.
 * @returns The series' length afterwards, or {@link WRONG_TYPE}.
 * @internal
 */
export function upsertBars(
  conn: CacheConnectionLike,
  key: string,
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
  return conn.runScript<number>(UPSERT_BARS, [key], argv);
}
