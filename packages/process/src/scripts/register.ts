import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt, type ScriptReply } from '@fullon/core/author';
import { PRUNE_LUA, RECORD_LUA } from './record-lua.js';

/**
 * Stores a new process record, enters it in the index its status calls for (live, or
 * stopped), points its component at it, prunes index entries older than the TTL and renews
 * the shared keys' TTL, in one step. Only the index keys' types are read, before any write.
 *
 * KEYS[1] record, KEYS[2] live index, KEYS[3] stopped index, KEYS[4] components.
 * ARGV[1] codec (unused: the bytes come encoded), ARGV[2] processId, ARGV[3] bytes, ARGV[4]
 * now (ms), ARGV[5] TTL (ms), ARGV[6] component, ARGV[7] '1' when the status is `stopped`.
 * Returns `ScriptReply.ok`, or core's corrupt reply naming the first key of another Redis type (nothing written).
 * @internal
 */
const REGISTER = defineScript(
  'process.register',
  `-- KEYS[1] record, KEYS[2] live, KEYS[3] stopped, KEYS[4] components | ARGV codec, id, bytes, now, ttl, component, stopped
${RECORD_LUA}
${PRUNE_LUA}
local bad = check_types({KEYS[1], 'string', KEYS[2], 'zset', KEYS[3], 'zset', KEYS[4], 'hash'})
if bad then return bad end
local now, ttl = tonumber(ARGV[4]), ARGV[5]
redis.call('SET', KEYS[1], ARGV[3], 'PX', ttl)
redis.call('ZADD', ARGV[7] == '1' and KEYS[3] or KEYS[2], now, ARGV[2])
redis.call('HSET', KEYS[4], ARGV[6], ARGV[2])
prune(KEYS[2], now - tonumber(ttl))
prune(KEYS[3], now - tonumber(ttl))
refresh(ttl)
return ScriptReply.ok
`,
);

/** Keys of {@link registerScript}: the record and the three shared keys. */
export interface RegisterKeys {
  /** The new record. */
  record: string;
  /** The live index. */
  live: string;
  /** The stopped index. */
  stopped: string;
  /** Component → processId. */
  components: string;
}

/** Arguments of {@link registerScript}. */
export interface RegisterArgs {
  /** The connection's codec name. */
  codec: string;
  /** The new id. */
  processId: string;
  /** The encoded record. */
  bytes: Buffer;
  /** Current time (ms). */
  now: number;
  /** Record TTL (ms). */
  ttlMs: string;
  /** Its component. */
  component: string;
  /** Whether it is registered as `stopped`. */
  stopped: boolean;
}

/**
 * Runs the register script.
 * @param conn - Connection.
 * @param keys - Record and shared keys.
 * @param args - The record and its context.
 * @returns `ScriptReply.ok`.
 * @throws {DecodeError} naming a key that holds another Redis type (nothing written).
 * @internal
 */
export function registerScript(
  conn: CacheConnectionLike,
  keys: RegisterKeys,
  args: RegisterArgs,
): Promise<typeof ScriptReply.ok> {
  return conn.runScript<typeof ScriptReply.ok, typeof ScriptReply.ok>(
    REGISTER,
    [keys.record, keys.live, keys.stopped, keys.components],
    [
      args.codec,
      args.processId,
      args.bytes,
      String(args.now),
      args.ttlMs,
      args.component,
      args.stopped ? '1' : '0',
    ],
    undefined,
    rejectCorrupt,
  );
}
