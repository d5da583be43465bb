import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt, ScriptReply } from '@fullon/core/author';
import type { StateKeys } from '../keys.js';
import { checkStateTypes, PRUNE_LIMIT, STATE_LUA } from './state-lua.js';

/**
 * Deletes an order and its index entries.
 *
 * KEYS[1] index; KEYS[2] by-status; KEYS[3] expiry; KEYS[4] order key.
 * ARGV[1] order id; ARGV[2] prune limit.
 * Returns `ScriptReply.ok` when the order existed, `ScriptReply.none` when it did not, or core's
 * corrupt reply when a key has another Redis type
 * (nothing written).
 * @internal
 */
export const DELETE_ORDER = defineScript(
  'orders.delete',
  `-- KEYS[1] index, [2] by-status, [3] expiry, [4] order | ARGV[1] id, [2] prune limit
${STATE_LUA}
${checkStateTypes(true)}
prune(now_ms(), tonumber(ARGV[2]))
local existed = redis.call('DEL', KEYS[4])
unindex(ARGV[1])
if existed == 1 then return ScriptReply.ok end
return ScriptReply.none
`,
);

/**
 * Runs {@link DELETE_ORDER}.
 * @param conn - Connection.
 * @param keys - The exchange's index keys and the order's key.
 * @param args - The order's id.
 * @returns Whether it existed.
 * @internal
 */
export async function deleteOrderScript(
  conn: CacheConnectionLike,
  keys: StateKeys & { order: string },
  args: { orderId: string },
): Promise<boolean> {
  const reply = await conn.runScript<number, number>(
    DELETE_ORDER,
    [keys.index, keys.byStatus, keys.expiry, keys.order],
    [args.orderId, String(PRUNE_LIMIT)],
    undefined,
    rejectCorrupt,
  );
  return reply === ScriptReply.ok;
}
