import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt } from '@fullon/core/author';
import { BOT_LUA } from './lua.js';

/**
 * Deletes bot status records and takes them out of the index, in one step.
 *
 * KEYS[1] the status index; KEYS[2..n+1] status hashes. ARGV[1..n] the botIds.
 * Returns how many records existed, or the corrupt reply naming the index when it has a foreign
 * type (nothing written).
 * @internal
 */
export const DELETE_BOTS = defineScript(
  'bot.delete',
  `${BOT_LUA}
local bad = check_types({KEYS[1], 'zset'})
if bad then return bad end
local removed = 0
for i = 1, #ARGV do
  removed = removed + redis.call('DEL', KEYS[i + 1])
  redis.call('ZREM', KEYS[1], ARGV[i])
end
return removed
`,
);

/**
 * Runs {@link DELETE_BOTS}.
 * @param conn - Connection.
 * @param keys - The status index and the status hashes, in the order of `args.botIds`.
 * @param args - The botIds, one per status hash.
 * @returns How many records existed.
 * @throws {DecodeError} naming the index when it holds a foreign Redis type (nothing written).
 */
export function deleteBotsScript(
  conn: CacheConnectionLike,
  keys: { index: string; statuses: readonly string[] },
  args: { botIds: readonly string[] },
): Promise<number> {
  return conn.runScript(
    DELETE_BOTS,
    [keys.index, ...keys.statuses],
    [...args.botIds],
    undefined,
    (reply: number) => rejectCorrupt(reply),
  );
}
