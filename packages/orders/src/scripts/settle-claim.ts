import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt, type ScriptReply } from '@fullon/core/author';
import type { QueueKeys } from '../keys.js';
import { checkQueueTypes, QUEUE_LUA } from './queue-lua.js';
import type { TakeSettings } from './take-order.js';

/**
 * Ends a claim, if the caller still holds it (its token is the current one): `ack` removes the
 * order; `release` puts it back at the head of the queue, or in the dead letters once it was
 * claimed `max attempts` times; `bury` dead-letters it at once; `dead-letter` stores the bytes of an order a pop already
 * took as a dead letter (no claim involved).
 *
 * KEYS: the seven queue keys (see QUEUE_LUA).
 * ARGV[1] `ack` | `release` | `bury`; ARGV[2] order id; ARGV[3] token; ARGV[4] reason;
 * ARGV[5] max attempts; ARGV[6] dead-letter cap; ARGV[7] the order's bytes (`dead-letter` only).
 * Returns `ScriptReply.stale` when the token is not the current claim's (nothing written),
 * `ScriptReply.ok` acked or requeued, `ScriptReply.added` dead-lettered, or core's corrupt reply (a key of another Redis type, a claim count that is
 * not a whole number) with nothing written.
 * @internal Imported by `bench/` by relative path, to run the very same script raw.
 */
export const SETTLE_CLAIM = defineScript(
  'orders.settle',
  `-- KEYS: queue keys | ARGV[1] action, [2] id, [3] token, [4] reason, [5] max attempts, [6] dead cap, [7] bytes
${QUEUE_LUA}
${checkQueueTypes([1, 2, 3, 4, 5, 6, 7])}
local id = ARGV[2]
if ARGV[1] == 'dead-letter' then
  -- A popped order's bytes (it left the queue already): no claim to check.
  dead_letter(id, ARGV[7], ARGV[4], 0, now_ms(), tonumber(ARGV[6]))
  return ScriptReply.added
end
if redis.call('HGET', KEYS[4], 't:' .. id) ~= ARGV[3] then return ScriptReply.stale end
if ARGV[1] ~= 'ack' then
  local bad = check_attempts({id})
  if bad then return bad end
end
if ARGV[1] == 'ack' then
  redis.call('HDEL', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], 'a:' .. id, 't:' .. id)
  return ScriptReply.ok
end
local attempts = attempts_of(id)
if ARGV[1] == 'bury' or attempts >= tonumber(ARGV[5]) then
  bury(id, ARGV[4], attempts, now_ms(), tonumber(ARGV[6]))
  return ScriptReply.added
end
requeue(id)
return ScriptReply.ok
`,
);

/**
 * What {@link settleClaimScript} answers, one of core's `ScriptReply` codes: `stale` (the token
 * is not the current claim's), `ok` (acked or requeued) or `added` (dead-lettered).
 */
export type SettleReply =
  | typeof ScriptReply.stale
  | typeof ScriptReply.ok
  | typeof ScriptReply.added;

/**
 * Runs {@link SETTLE_CLAIM}.
 * @param conn - Connection.
 * @param keys - The queue's keys.
 * @param args - Action, order id, token, reason, settings, and the bytes of a popped order.
 * @returns Stale, done or dead-lettered.
 * @internal
 */
export function settleClaimScript(
  conn: CacheConnectionLike,
  keys: QueueKeys,
  args: {
    action: 'ack' | 'release' | 'bury' | 'dead-letter';
    orderId: string;
    token: string;
    reason: string;
    /** The order's bytes, for `dead-letter`. */
    bytes?: Buffer;
  } & TakeSettings,
): Promise<SettleReply> {
  return conn.runScript<SettleReply, SettleReply>(
    SETTLE_CLAIM,
    keys.all,
    [
      args.action,
      args.orderId,
      args.token,
      args.reason,
      String(args.maxAttempts),
      String(args.deadCap),
      args.bytes ?? '',
    ],
    undefined,
    rejectCorrupt,
  );
}
