import type { CacheConnectionLike } from '@fullon/core';
import {
  defineScript,
  LUA_CHECK_TYPES,
  LUA_SCRIPT_REPLY,
  rejectCorrupt,
} from '@fullon/core/author';

/**
 * Stamps one status key in a status index, keeps the index to its newest `cap` stamps, and
 * renews its TTL. The index is a sorted set (member = status key, score = epoch ms), so
 * listing every status reads one key: no SCAN.
 *
 * KEYS[1] the status index (sorted set).
 * ARGV[1] status key; ARGV[2] stamp (epoch ms); ARGV[3] cap; ARGV[4] TTL (ms).
 * Returns `ScriptReply.ok`, or core's corrupt reply when the index holds another Redis type (nothing written).
 * @internal Imported by `bench/` by relative path, to run the very same script raw.
 */
export const STAMP_STATUS = defineScript(
  'trades.stamp-status',
  `-- KEYS[1] index | ARGV[1] status key, ARGV[2] at ms, ARGV[3] cap, ARGV[4] ttl ms
${LUA_CHECK_TYPES}${LUA_SCRIPT_REPLY}
local bad = check_types({KEYS[1], 'zset'})
if bad then return bad end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
if over > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return ScriptReply.ok
`,
);

/** The arguments of one stamp. */
export interface StampArgs {
  /** The status key (the member). */
  readonly key: string;
  /** The stamp, epoch ms. */
  readonly at: number;
  /** Most stamps the index keeps (the oldest go first), as a decimal string. */
  readonly cap: string;
  /** The index's TTL in ms, as a decimal string. */
  readonly ttlMs: string;
}

/**
 * Runs {@link STAMP_STATUS}.
 * @param conn - The connection.
 * @param keys - `[status index]` (passed to the script as it is, so a caller can build it once).
 * @param args - Status key, stamp, cap and TTL.
 * @returns The script's reply (`ScriptReply.ok`), once stamped.
 * @throws {DecodeError} naming the index when it holds another Redis type; nothing is written.
 */
export function stampStatusScript(
  conn: CacheConnectionLike,
  keys: readonly [index: string],
  args: StampArgs,
): Promise<unknown> {
  const argv = [args.key, String(args.at), args.cap, args.ttlMs];
  return conn.runScript(STAMP_STATUS, keys, argv, undefined, rejectCorrupt);
}
