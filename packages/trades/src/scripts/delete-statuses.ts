import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, LUA_CHECK_TYPES, rejectCorrupt } from '@fullon/core/author';

/**
 * Counts the stamps of a status index and deletes the index, in one step (so the count is
 * exactly what was deleted, even while others stamp).
 *
 * KEYS[1] the status index (sorted set).
 * Returns the number of stamps deleted, or the corrupt reply (nothing deleted) when the index
 * holds another Redis type.
 */
export const DELETE_STATUSES = defineScript(
  'trades.delete-statuses',
  `-- KEYS[1] index
${LUA_CHECK_TYPES}
local bad = check_types({KEYS[1], 'zset'})
if bad then return bad end
local n = redis.call('ZCARD', KEYS[1])
redis.call('DEL', KEYS[1])
return n
`,
);

/**
 * Runs {@link DELETE_STATUSES}.
 * @param conn - The connection.
 * @param keys - `[status index]`. (The script takes no arguments.)
 * @returns How many stamps were deleted.
 * @throws {DecodeError} naming the index when it holds another Redis type.
 */
export function deleteStatusesScript(
  conn: CacheConnectionLike,
  keys: readonly [index: string],
): Promise<number> {
  return conn.runScript<number, number>(DELETE_STATUSES, keys, [], undefined, rejectCorrupt);
}
