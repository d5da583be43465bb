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
 * @param index - The status index.
 * @param bots - Each bot's id and status hash.
 * @returns How many records existed.
 * @throws {DecodeError} naming the index when it holds a foreign Redis type (nothing written).
 */
export function deleteBotStatuses(
  conn: CacheConnectionLike,
  index: string,
  bots: readonly { botId: string; status: string }[],
): Promise<number> {
  return conn.runScript(
    DELETE_BOTS,
    [index, ...bots.map((b) => b.status)],
    bots.map((b) => b.botId),
    undefined,
    (reply: number) => rejectCorrupt(reply),
  );
}
