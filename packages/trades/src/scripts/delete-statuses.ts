import type { CacheConnectionLike } from '@fullon/core';
import { defineScript } from '@fullon/core/author';

/**
 * Counts the stamps of a status index and deletes the index, in one step (so the count is
 * exactly what was deleted, even while others stamp).
 *
 * KEYS[1] the status index (sorted set).
 * Returns the number of stamps deleted.
 */
export const DELETE_STATUSES = defineScript(
  'trades.delete-statuses',
  `-- KEYS[1] index
local n = redis.call('ZCARD', KEYS[1])
redis.call('DEL', KEYS[1])
return n
`,
);

/**
 * Runs {@link DELETE_STATUSES}.
 * @param conn - The connection.
 * @param index - The status index.
 * @returns How many stamps were deleted.
 */
export function deleteStatuses(conn: CacheConnectionLike, index: string): Promise<number> {
  return conn.runScript<number>(DELETE_STATUSES, [index], []);
}
