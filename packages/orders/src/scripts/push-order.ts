import type { CacheConnectionLike } from '@fullon/core';
import {
  defineScript,
  LUA_CHECK_TYPES,
  LUA_SCRIPT_REPLY,
  rejectCorrupt,
  ScriptReply,
} from '@fullon/core/author';

/**
 * Queues an order at the tail unless its id is already queued or claimed.
 *
 * KEYS[1] pending list; KEYS[2] jobs hash; KEYS[3] signal list.
 * ARGV[1] order id; ARGV[2] order bytes.
 * Returns `{status, length}`: status `ScriptReply.ok` when added, `ScriptReply.conflict` when the
 * id was already queued or claimed (nothing written); length of the pending list after the call. Or core's corrupt reply when a
 * key has another Redis type (nothing written).
 * @internal Imported by `bench/` by relative path, to run the very same script raw.
 */
export const PUSH_ORDER = defineScript(
  'orders.push',
  `-- KEYS[1] pending, KEYS[2] jobs, KEYS[3] signal | ARGV[1] id, ARGV[2] bytes
${LUA_CHECK_TYPES}${LUA_SCRIPT_REPLY}
local bad = check_types({KEYS[1], 'list', KEYS[2], 'hash', KEYS[3], 'list'})
if bad then return bad end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  return {ScriptReply.conflict, redis.call('LLEN', KEYS[1])}
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local length = redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[3], '1')
return {ScriptReply.ok, length}
`,
);

/** What {@link pushOrderScript} answers. */
export interface PushReply {
  /** Whether the order was added (false: its id was already queued or claimed). */
  queued: boolean;
  /** Orders waiting in the queue after the call (claimed ones not counted). */
  length: number;
}

/**
 * Runs {@link PUSH_ORDER}.
 * @param conn - Connection.
 * @param keys - The queue's pending, jobs and signal keys.
 * @param args - The order's id and bytes.
 * @returns Whether it was queued, and the queue length.
 * @internal
 */
export function pushOrderScript(
  conn: CacheConnectionLike,
  keys: { pending: string; jobs: string; signal: string },
  args: { orderId: string; bytes: Buffer },
): Promise<PushReply> {
  return conn.runScript(
    PUSH_ORDER,
    [keys.pending, keys.jobs, keys.signal],
    [args.orderId, args.bytes],
    undefined,
    toPushReply,
  );
}

/** Reads the script's reply `[ok | conflict, length]`. */
function toPushReply(reply: [number, number]): PushReply {
  const [status, length] = rejectCorrupt(reply);
  return { queued: status === ScriptReply.ok, length };
}
