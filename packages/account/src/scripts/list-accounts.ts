import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt } from '@fullon/core/author';
import { ACCOUNT_LUA } from './lua.js';

/**
 * Lists the accounts that have data: drops index members whose deadline passed (server
 * clock), then returns the rest.
 *
 * KEYS[1] the account index. No ARGV.
 * Returns `{'accounts', exIds}` (string form; wrapped, so no list of exIds can read as the
 * corrupt reply), or the corrupt reply naming the index when it has a foreign type (nothing
 * written).
 * @internal
 */
export const LIST_ACCOUNTS = defineScript(
  'account.list',
  `${ACCOUNT_LUA}
local bad = check_types({KEYS[1], 'zset'})
if bad then return bad end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.0f', now_ms()))
return {'accounts', redis.call('ZRANGE', KEYS[1], 0, -1)}
`,
);

/**
 * Runs {@link LIST_ACCOUNTS}. The script takes no arguments, so there is no `args` object.
 * @param conn - Connection.
 * @param keys - The account index.
 * @returns The live exIds.
 * @throws {DecodeError} naming the index when it has a foreign Redis type.
 */
export function listAccountsScript(
  conn: CacheConnectionLike,
  keys: { index: string },
): Promise<string[]> {
  return conn.runScript(
    LIST_ACCOUNTS,
    [keys.index],
    [],
    undefined,
    (reply: [string, string[]]) => rejectCorrupt(reply)[1],
  );
}
