import type { CacheConnectionLike, RedisArg } from '@fullon/core';
import { defineScript, rejectCorrupt } from '@fullon/core/author';
import { BOT_LUA } from './lua.js';

/**
 * Merges entries into a bot's status record (or replaces the record), stamps it with the
 * server time, renews its TTL and records the bot in the index, in one step.
 *
 * KEYS[1] the status hash; KEYS[2] the status index.
 * ARGV[1] botId; ARGV[2] TTL (ms); ARGV[3] `1` to replace instead of merge; ARGV[4..] entry
 * field, bytes pairs.
 * Returns the update time (server ms), or the corrupt reply naming a key of a foreign type
 * (nothing written).
 * @internal
 */
export const UPDATE_BOT = defineScript(
  'bot.update',
  `${BOT_LUA}
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'zset'})
if bad then return bad end
local now = now_ms()
if ARGV[3] == '1' then redis.call('DEL', KEYS[1]) end
redis.call('HSET', KEYS[1], '', num(now))
hset_pairs(KEYS[1], 4)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], 'GT', num(now + tonumber(ARGV[2])), ARGV[1])
keep_index(KEYS[2], ARGV[2])
return now
`,
);

/**
 * Runs {@link UPDATE_BOT}.
 * @param conn - Connection.
 * @param keys - The status hash and the status index.
 * @param args - Bot, TTL, whether to replace, the encoded entries.
 * @returns The update time (server ms).
 * @throws {DecodeError} naming a key of a foreign Redis type (nothing written).
 */
export function updateBotScript(
  conn: CacheConnectionLike,
  keys: { status: string; index: string },
  args: {
    botId: string;
    ttl: string;
    replace: boolean;
    entries: readonly (readonly [string, Buffer])[];
  },
): Promise<number> {
  const argv: RedisArg[] = [args.botId, args.ttl, args.replace ? '1' : '0'];
  for (const [field, bytes] of args.entries) argv.push(field, bytes);
  return conn.runScript(UPDATE_BOT, [keys.status, keys.index], argv, undefined, (reply: number) =>
    rejectCorrupt(reply),
  );
}
