import type { CacheConnectionLike } from '@fullon/core';
import { defineScript } from '@fullon/core/author';
import { BOT_LUA } from './lua.js';

/**
 * Lists an index (leases of one kind, or bots with a status): drops members whose deadline
 * passed (server clock), then returns the rest.
 *
 * KEYS[1] the index. No ARGV.
 * Returns the members, or -1 when the index has a foreign type (nothing written).
 * @internal
 */
export const LIST_INDEX = defineScript(
  'bot.list',
  `${BOT_LUA}
if wrong_type(KEYS[1], 'zset') then return -1 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. num(now_ms()))
return redis.call('ZRANGE', KEYS[1], 0, -1)
`,
);

/**
 * Runs {@link LIST_INDEX}.
 * @param conn - Connection.
 * @param index - The index.
 * @returns The live members, or -1 for an index of a foreign type.
 */
export function listIndex(conn: CacheConnectionLike, index: string): Promise<string[] | -1> {
  return conn.runScript<string[] | -1>(LIST_INDEX, [index], []);
}
