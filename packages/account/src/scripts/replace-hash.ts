import type { CacheConnectionLike, RedisArg } from '@fullon/core';
import { defineScript, rejectCorrupt } from '@fullon/core/author';
import { ACCOUNT_LUA } from './lua.js';

/**
 * Replaces every field of an account hash (all balances, or all positions) in one step: old
 * fields go, the new ones are written with a fresh TTL, and the account index follows (an
 * empty replacement leaves the index once the account's other hash is gone too).
 *
 * KEYS[1] the hash; KEYS[2] the account's other hash; KEYS[3] the account index.
 * ARGV[1] exId; ARGV[2] TTL (ms); ARGV[3..] field, value pairs (none: clear).
 * Returns how many fields the hash held before, or the corrupt reply naming a key of a foreign
 * type (nothing written).
 * @internal
 */
export const REPLACE_HASH = defineScript(
  'account.replace',
  `${ACCOUNT_LUA}
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'hash', KEYS[3], 'zset'})
if bad then return bad end
local before = redis.call('HLEN', KEYS[1])
redis.call('DEL', KEYS[1])
if #ARGV > 2 then
  hset_pairs(KEYS[1], 3)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  index_touch(KEYS[3], ARGV[1], ARGV[2])
else
  index_leave(KEYS[3], ARGV[1], KEYS[2])
end
return before
`,
);

/**
 * Runs {@link REPLACE_HASH}.
 * @param conn - Connection.
 * @param keys - The hash, the account's other hash, the account index.
 * @param args - The account, its TTL and the new fields (encoded values).
 * @returns How many fields the hash held before.
 * @throws {DecodeError} naming a key of a foreign Redis type (nothing written).
 */
export function replaceHashScript(
  conn: CacheConnectionLike,
  keys: { hash: string; other: string; index: string },
  args: { exId: string; ttl: string; entries: readonly (readonly [string, Buffer])[] },
): Promise<number> {
  const argv: RedisArg[] = [args.exId, args.ttl];
  for (const [field, bytes] of args.entries) argv.push(field, bytes);
  return conn.runScript(
    REPLACE_HASH,
    [keys.hash, keys.other, keys.index],
    argv,
    undefined,
    (reply: number) => rejectCorrupt(reply),
  );
}
