import type { CacheConnectionLike } from '@fullon/core';
import { defineScript } from '@fullon/core/author';
import { ACCOUNT_LUA } from './lua.js';

/**
 * Lists the accounts that have data: drops index members whose deadline passed (server
 * clock), then returns the rest.
 *
 * KEYS[1] the account index. No ARGV.
 * Returns the exIds (string form), or -1 when the index has a foreign type (nothing written).
 * @internal
 */
export const LIST_ACCOUNTS = defineScript(
  'account.list',
  `${ACCOUNT_LUA}
if wrong_type(KEYS[1], 'zset') then return -1 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.0f', now_ms()))
return redis.call('ZRANGE', KEYS[1], 0, -1)
`,
);

/**
 * Runs {@link LIST_ACCOUNTS}.
 * @param conn - Connection.
 * @param index - The account index.
 * @returns The live exIds, or -1 for an index of a foreign type.
 */
export function listAccounts(conn: CacheConnectionLike, index: string): Promise<string[] | -1> {
  return conn.runScript<string[] | -1>(LIST_ACCOUNTS, [index], []);
}
