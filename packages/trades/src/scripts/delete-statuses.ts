import type { CacheConnectionLike } from '@fullon/core';
import { defineScript } from '@fullon/core/author';

/**
 * Counts the live stamps of a status index and deletes the index, in one step (so the count is
 * exactly what was deleted, even while others stamp).
 *
 * KEYS[1] the status index (sorted set).
 * ARGV[1] cutoff (epoch ms): stamps older than it had expired and are not counted.
 * Returns the number of live stamps deleted.
 */
export const DELETE_STATUSES = defineScript(
  'trades.delete-statuses',
  `-- KEYS[1] index | ARGV[1] cutoff ms
local n = redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf')
redis.call('DEL', KEYS[1])
return n
`,
);

/**
 * Runs {@link DELETE_STATUSES}.
 * @param conn - The connection.
 * @param index - The status index.
 * @param cutoff - Stamps older than this (epoch ms) are not counted.
 * @returns How many live stamps were deleted.
 */
export function deleteStatuses(
  conn: CacheConnectionLike,
  index: string,
  cutoff: number,
): Promise<number> {
  return conn.runScript<number>(DELETE_STATUSES, [index], [String(cutoff)]);
}
