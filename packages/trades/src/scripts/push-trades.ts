import type { CacheConnectionLike } from '@fullon/core';
import {
  defineScript,
  LUA_CHECK_TYPES,
  LUA_SCRIPT_REPLY,
  rejectCorrupt,
} from '@fullon/core/author';

/**
 * Appends trades to a list, keeps the newest `cap`, counts what the cap dropped, and renews the
 * TTLs — one step. Everything that could refuse is checked before the first write, so the
 * script never fails half-way: a list or counter key of another Redis type answers core's
 * corrupt reply, a drop counter that is not a whole number answers `ScriptReply.corrupt`; nothing is written.
 *
 * KEYS[1] the list; KEYS[2] the drop-counter hash of its exchange (same hash tag).
 * ARGV[1] the list's field in the counter hash; ARGV[2] cap; ARGV[3] TTL (ms);
 * ARGV[4…] the trades' layout bytes, oldest first.
 * Returns the list length after the push (≤ cap), `ScriptReply.corrupt` (corrupt counter,
 * nothing written) or
 * core's corrupt reply (a key of another type, nothing written).
 * @internal Imported by `bench/` by relative path, to run the very same script raw.
 */
export const PUSH_TRADES = defineScript(
  'trades.push',
  `-- KEYS[1] list, KEYS[2] drop counters | ARGV[1] counter field, ARGV[2] cap, ARGV[3] ttl ms, ARGV[4..] trades
${LUA_CHECK_TYPES}${LUA_SCRIPT_REPLY}
local bad = check_types({KEYS[1], 'list', KEYS[2], 'hash'})
if bad then return bad end
local cap = tonumber(ARGV[2])
local n = redis.call('LLEN', KEYS[1]) + #ARGV - 3
local drop = n - cap
if drop > 0 then
  local count = redis.call('HGET', KEYS[2], ARGV[1])
  if count and (not string.match(count, '^%d+$') or #count > 15) then return ScriptReply.corrupt end
end
redis.call('RPUSH', KEYS[1], unpack(ARGV, 4))
if drop > 0 then
  redis.call('LTRIM', KEYS[1], -cap, -1)
  redis.call('HINCRBY', KEYS[2], ARGV[1], drop)
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  n = cap
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return n
`,
);

/** The keys of one push: the list, then its exchange's drop-counter hash. */
export type PushKeys = readonly [list: string, dropped: string];

/** The arguments of one push. */
export interface PushArgs {
  /** The list's field in the drop-counter hash (the market or the user id). */
  readonly field: string;
  /** The list cap, as a decimal string. */
  readonly cap: string;
  /** The TTL in ms, as a decimal string. */
  readonly ttlMs: string;
  /** The trades' layout bytes, oldest first (at least one). */
  readonly trades: readonly Buffer[];
}

/**
 * Runs {@link PUSH_TRADES}.
 * @param conn - The connection.
 * @param keys - `[list, drop counters]` (passed to the script as they are, so a caller can
 *   build them once per list).
 * @param args - Counter field, cap, TTL and the trades.
 * @returns The list length after the push, or `ScriptReply.corrupt` when the drop counter is
 *   corrupt (nothing written).
 * @throws {DecodeError} naming the key when the list or the counter hash holds another Redis
 *   type; nothing is written.
 */
export function pushTradesScript(
  conn: CacheConnectionLike,
  keys: PushKeys,
  args: PushArgs,
): Promise<number> {
  const argv = new Array<string | Buffer>(3 + args.trades.length);
  argv[0] = args.field;
  argv[1] = args.cap;
  argv[2] = args.ttlMs;
  let at = 3;
  for (const bytes of args.trades) argv[at++] = bytes;
  return conn.runScript<number, number>(PUSH_TRADES, keys, argv, undefined, rejectCorrupt);
}
