import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt } from '@fullon/core/author';
import { BOT_LUA } from './lua.js';

/**
 * Lists an index (leases of one kind, or bots with a status): drops members whose deadline
 * passed (server clock), then returns the rest.
 *
 * KEYS[1] the index. No ARGV.
 * Returns `{'members', members}` (wrapped, so no list of members can read as the corrupt
 * reply), or the corrupt reply naming the index when it has a foreign type (nothing written).
 * @internal
 */
export const LIST_INDEX = defineScript(
  'bot.list',
  `${BOT_LUA}
local bad = check_types({KEYS[1], 'zset'})
if bad then return bad end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. num(now_ms()))
return {'members', redis.call('ZRANGE', KEYS[1], 0, -1)}
`,
);

/**
 * Runs {@link LIST_INDEX}.
 * @param conn - Connection.
 * @param keys - The index. The script takes no arguments, so there is no `args`.
 * @returns The live members.
 * @throws {DecodeError} naming the index when it holds a foreign Redis type.
 */
export function listIndexScript(
  conn: CacheConnectionLike,
  keys: { index: string },
): Promise<string[]> {
  return conn.runScript(
    LIST_INDEX,
    [keys.index],
    [],
    undefined,
    (reply: [string, string[]]) => rejectCorrupt(reply)[1],
  );
}
