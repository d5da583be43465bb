import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt } from '@fullon/core/author';
import type { StateKeys } from '../keys.js';
import { checkStateTypes, PRUNE_LIMIT, STATE_LUA } from './state-lua.js';

/**
 * Drops index entries of terminal orders past their retention.
 *
 * KEYS[1] index; KEYS[2] by-status; KEYS[3] expiry.
 * ARGV[1] prune limit.
 * Returns how many entries were dropped, or core's corrupt reply when a key has another Redis
 * type (nothing written).
 * @internal
 */
export const PRUNE_ORDERS = defineScript(
  'orders.prune',
  `-- KEYS[1] index, [2] by-status, [3] expiry | ARGV[1] prune limit
${STATE_LUA}
${checkStateTypes(false)}
return prune(now_ms(), tonumber(ARGV[1]))
`,
);

/**
 * Runs {@link PRUNE_ORDERS} until a call drops fewer than the limit.
 * @param conn - Connection.
 * @param keys - The exchange's index keys.
 * @returns How many entries were dropped.
 * @internal
 */
export async function pruneOrdersScript(
  conn: CacheConnectionLike,
  keys: StateKeys,
): Promise<number> {
  let total = 0;
  for (;;) {
    const dropped = await conn.runScript<number, number>(
      PRUNE_ORDERS,
      [keys.index, keys.byStatus, keys.expiry],
      [String(PRUNE_LIMIT)],
      undefined,
      rejectCorrupt,
    );
    total += dropped;
    if (dropped < PRUNE_LIMIT) return total;
  }
}
