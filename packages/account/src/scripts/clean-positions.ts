import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt } from '@fullon/core/author';
import { ACCOUNT_LUA } from './lua.js';

/**
 * Deletes the positions of several accounts in one step; an account whose balances are gone
 * too leaves the index. Every key is checked before the first write.
 *
 * KEYS[1] the account index; KEYS[2..n+1] positions hashes; KEYS[n+2..2n+1] the same accounts'
 * balances hashes. ARGV[1..n] the exIds.
 * Returns how many positions were deleted, or the corrupt reply naming a key of a foreign type
 * (nothing written).
 * @internal
 */
export const CLEAN_POSITIONS = defineScript(
  'account.clean',
  `${ACCOUNT_LUA}
local n = #ARGV
local checks = {KEYS[1], 'zset'}
for i = 2, 2 * n + 1 do
  checks[#checks + 1] = KEYS[i]
  checks[#checks + 1] = 'hash'
end
local bad = check_types(checks)
if bad then return bad end
local removed = 0
for i = 1, n do removed = removed + redis.call('HLEN', KEYS[i + 1]) end
for i = 1, n do
  redis.call('DEL', KEYS[i + 1])
  index_leave(KEYS[1], ARGV[i], KEYS[n + i + 1])
end
return removed
`,
);

/**
 * Runs {@link CLEAN_POSITIONS}.
 * @param conn - Connection.
 * @param keys - The account index, and the accounts' positions and balances hashes (in the
 *   order of `args.exIds`).
 * @param args - The accounts' exIds.
 * @returns How many positions were deleted.
 * @throws {DecodeError} naming a key of a foreign Redis type (nothing written).
 */
export function cleanPositionsScript(
  conn: CacheConnectionLike,
  keys: { index: string; positions: readonly string[]; balances: readonly string[] },
  args: { exIds: readonly string[] },
): Promise<number> {
  return conn.runScript(
    CLEAN_POSITIONS,
    [keys.index, ...keys.positions, ...keys.balances],
    [...args.exIds],
    undefined,
    (reply: number) => rejectCorrupt(reply),
  );
}
