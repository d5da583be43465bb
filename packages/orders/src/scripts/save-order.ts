import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt, ScriptReply } from '@fullon/core/author';
import type { StateKeys } from '../keys.js';
import { checkStateTypes, PRUNE_LIMIT, STATE_LUA } from './state-lua.js';

/**
 * Replaces an order and its index entries; a terminal status sets its retention, any other
 * status removes it.
 *
 * KEYS[1] index; KEYS[2] by-status; KEYS[3] expiry; KEYS[4] order key.
 * ARGV[1] order id; ARGV[2] bytes; ARGV[3] status (`''` when none); ARGV[4] retention (ms);
 * ARGV[5] prune limit.
 * Returns `ScriptReply.ok` when an order was replaced, `ScriptReply.added` when it was new, or
 * core's corrupt reply when a key
 * has another Redis type (nothing written).
 * @internal
 */
export const SAVE_ORDER = defineScript(
  'orders.save',
  `-- KEYS[1] index, [2] by-status, [3] expiry, [4] order | ARGV[1] id, [2] bytes, [3] status, [4] ttl, [5] prune limit
${STATE_LUA}
${checkStateTypes(true)}
local now = now_ms()
prune(now, tonumber(ARGV[5]))
local existed = redis.call('EXISTS', KEYS[4])
store(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), now)
if existed == 1 then return ScriptReply.ok end
return ScriptReply.added
`,
);

/**
 * Runs {@link SAVE_ORDER}.
 * @param conn - Connection.
 * @param keys - The exchange's index keys and the order's key.
 * @param args - Id, bytes, status, retention.
 * @returns Whether an order was replaced.
 * @internal
 */
export async function saveOrderScript(
  conn: CacheConnectionLike,
  keys: StateKeys & { order: string },
  args: { orderId: string; bytes: Buffer; status: string; ttlMs: number },
): Promise<boolean> {
  const reply = await conn.runScript<number, number>(
    SAVE_ORDER,
    [keys.index, keys.byStatus, keys.expiry, keys.order],
    [args.orderId, args.bytes, args.status, String(args.ttlMs), String(PRUNE_LIMIT)],
    undefined,
    rejectCorrupt,
  );
  return reply === ScriptReply.ok;
}
