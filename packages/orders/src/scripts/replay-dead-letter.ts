import type { CacheConnectionLike } from '@fullon/core';
import {
  defineScript,
  LUA_CHECK_TYPES,
  LUA_SCRIPT_REPLY,
  rejectCorrupt,
  type ScriptReply,
} from '@fullon/core/author';
import type { QueueKeys } from '../keys.js';
import { checkQueueTypes } from './queue-lua.js';

/**
 * Moves a dead letter back to the tail of its queue, attempts reset.
 *
 * KEYS: the seven queue keys (see QUEUE_LUA).
 * ARGV[1] order id.
 * Returns `ScriptReply.ok` replayed, `ScriptReply.none` no such dead letter,
 * `ScriptReply.conflict` the id is queued or claimed already (nothing written: the dead letter
 * stays), or core's corrupt reply when a key has another Redis type
 * (nothing written).
 * @internal
 */
export const REPLAY_DEAD_LETTER = defineScript(
  'orders.replay',
  `-- KEYS: queue keys | ARGV[1] id
${LUA_CHECK_TYPES}${LUA_SCRIPT_REPLY}
${checkQueueTypes([1, 2, 5, 6, 7])}
local id = ARGV[1]
local bytes = redis.call('HGET', KEYS[6], 'o:' .. id)
if not bytes then return ScriptReply.none end
if redis.call('HEXISTS', KEYS[2], id) == 1 then return ScriptReply.conflict end
redis.call('HDEL', KEYS[6], 'o:' .. id, 'r:' .. id, 'n:' .. id, 't:' .. id)
redis.call('ZREM', KEYS[7], id)
redis.call('HSET', KEYS[2], id, bytes)
redis.call('RPUSH', KEYS[1], id)
redis.call('RPUSH', KEYS[5], '1')
return ScriptReply.ok
`,
);

/** What {@link replayDeadLetterScript} answers: one of core's `ScriptReply` codes. */
export type ReplayReply =
  | typeof ScriptReply.ok
  | typeof ScriptReply.none
  | typeof ScriptReply.conflict;

/**
 * Runs {@link REPLAY_DEAD_LETTER}.
 * @param conn - Connection.
 * @param keys - The queue's keys.
 * @param args - The dead letter's order id.
 * @returns `ScriptReply.ok` replayed, `none` not found, `conflict` already queued or claimed.
 * @internal
 */
export function replayDeadLetterScript(
  conn: CacheConnectionLike,
  keys: QueueKeys,
  args: { orderId: string },
): Promise<ReplayReply> {
  return conn.runScript<ReplayReply, ReplayReply>(
    REPLAY_DEAD_LETTER,
    keys.all,
    [args.orderId],
    undefined,
    rejectCorrupt,
  );
}
