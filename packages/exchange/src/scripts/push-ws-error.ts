import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, LUA_CHECK_TYPES, rejectCorrupt } from '@fullon/core/author';

/**
 * Appends a websocket error, keeps only the newest `cap`, and renews the list's TTL. A key of
 * another Redis type is reported before the first write (core's corrupt reply).
 *
 * KEYS[1] the error list.
 * ARGV[1] message; ARGV[2] cap; ARGV[3] TTL (ms).
 * Returns the list length after trimming, or core's corrupt reply (nothing written).
 */
const PUSH_WS_ERROR = defineScript(
  'exchange.push-ws-error',
  `-- KEYS[1] list | ARGV[1] message, ARGV[2] cap, ARGV[3] ttl ms
${LUA_CHECK_TYPES}
local bad = check_types({KEYS[1], 'list'})
if bad then return bad end
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
local cap = tonumber(ARGV[2])
if n > cap then
  redis.call('LTRIM', KEYS[1], -cap, -1)
  n = cap
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return n
`,
);

/**
 * Runs {@link PUSH_WS_ERROR}.
 * @internal
 * @param conn - Connection.
 * @param keys - The exchange's error list.
 * @param args - The message, the cap and the TTL.
 * @returns The list length after the push.
 * @throws {DecodeError} naming the list when it holds another Redis type; nothing is written.
 */
export function pushWsErrorScript(
  conn: CacheConnectionLike,
  keys: { list: string },
  args: { message: string; cap: number; ttlMs: number },
): Promise<number> {
  return conn.runScript<number, number>(
    PUSH_WS_ERROR,
    [keys.list],
    [args.message, String(args.cap), String(args.ttlMs)],
    undefined,
    rejectCorrupt,
  );
}
