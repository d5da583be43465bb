import type { CacheConnectionLike, RedisArg } from '@fullon/core';
import { BUFFERS, defineScript, rejectCorrupt, type ScriptReply } from '@fullon/core/author';
import { PRUNE_LUA, RECORD_LUA } from './record-lua.js';

/**
 * Changes a stored record in one step: status, message, a shallow merge of params (each
 * given name replaces that param; the others stay), `updatedAt`, and `lastSeen` on a
 * heartbeat. The record's index follows its status: `stopped` moves it to the stopped index
 * (and it then lives a TTL from now), anything else to the live index under its `lastSeen`.
 *
 * Nothing can fail after the first write: every key's type is checked and the stored
 * record decoded and checked (width, version, every slot's type, its id) and re-encoded before
 * anything is written. A record that does not decode is reported as corrupt, untouched.
 *
 * KEYS[1] record, KEYS[2] live index, KEYS[3] stopped index, KEYS[4] components.
 * ARGV[1] codec (`msgpack` or `json`), ARGV[2] processId, ARGV[3] now (ms), ARGV[4] TTL (ms),
 * ARGV[5] '1' for a heartbeat, ARGV[6] new status or '', ARGV[7] '1' when ARGV[8] is the new
 * message, ARGV[9] '1' to return the bytes, then pairs (param name, JSON text).
 * Returns `{status, bytes?}`: `ScriptReply.ok` written, `none` no record, `corrupt` a record that
 * does not decode; or core's corrupt reply naming
 * the first key of another Redis type (nothing written).
 * @internal
 */
export const UPDATE_PROCESS = defineScript(
  'process.update',
  `-- KEYS[1] record, KEYS[2] live, KEYS[3] stopped, KEYS[4] components | ARGV codec, id, now, ttl, heartbeat, status, hasMessage, message, reply, (name, json)...
${RECORD_LUA}
${PRUNE_LUA}
local bad = check_types({KEYS[1], 'string', KEYS[2], 'zset', KEYS[3], 'zset', KEYS[4], 'hash'})
if bad then return bad end
local raw = redis.call('GET', KEYS[1])
if not raw then return {ScriptReply.none} end
local t = decode(raw, ARGV[2])
if not t then return {ScriptReply.corrupt} end
local now, ttl, beat = tonumber(ARGV[3]), ARGV[4], ARGV[5] == '1'
if ARGV[6] ~= '' then t[5] = ARGV[6] end
if ARGV[7] == '1' then t[6] = ARGV[8] end
for i = 10, #ARGV, 2 do t[7][ARGV[i]] = ARGV[i + 1] end
t[9] = now
if beat then t[10] = now end
local bytes = encode(t)
local stopped = t[5] == 'stopped'
local wasStopped = redis.call('ZSCORE', KEYS[3], ARGV[2]) ~= false
-- A heartbeat renews the record's life; so does stopping (a stopped record lives a TTL from
-- its stop). Any other change keeps the expiry its last heartbeat gave it.
local renew = beat or (stopped and not wasStopped)
if renew then
  redis.call('SET', KEYS[1], bytes, 'PX', ttl)
else
  redis.call('SET', KEYS[1], bytes, 'KEEPTTL')
end
if stopped then
  redis.call('ZREM', KEYS[2], ARGV[2])
  if renew then redis.call('ZADD', KEYS[3], now, ARGV[2]) end
else
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('ZADD', KEYS[2], t[10], ARGV[2])
end
refresh(ttl)
if ARGV[9] == '1' then return {ScriptReply.ok, bytes} end
return {ScriptReply.ok}
`,
);

/** Keys of {@link updateScript}: the record and the three shared keys. */
/** Status of {@link updateScript}'s reply: `ok` written, `none` no record, `corrupt` a bad record. */
export type UpdateStatus =
  | typeof ScriptReply.ok
  | typeof ScriptReply.none
  | typeof ScriptReply.corrupt;

export interface UpdateKeys {
  /** The record. */
  record: string;
  /** The live index. */
  live: string;
  /** The stopped index. */
  stopped: string;
  /** Component → processId. */
  components: string;
}

/** Arguments of {@link updateScript}. */
export interface UpdateArgs {
  /** The connection's codec name (`msgpack` or `json`). */
  codec: string;
  /** The process. */
  processId: string;
  /** Current time (ms). */
  now: number;
  /** Record TTL (ms). */
  ttlMs: string;
  /** Whether this sets `lastSeen`. */
  heartbeat: boolean;
  /** New status, or undefined to keep it. */
  status: string | undefined;
  /** New message, or undefined to keep it. */
  message: string | undefined;
  /** Whether the reply should carry the new bytes. */
  reply: boolean;
  /** Params to set: name → JSON text. */
  params: Readonly<Record<string, string>> | undefined;
}

/**
 * Runs the update script.
 * @param conn - Connection.
 * @param keys - Record and shared keys.
 * @param args - The change.
 * @returns `[status]` or `[ScriptReply.ok, bytes]` (see the script).
 * @throws {DecodeError} naming a key that holds another Redis type (nothing written).
 * @internal
 */
export function updateScript(
  conn: CacheConnectionLike,
  keys: UpdateKeys,
  args: UpdateArgs,
): Promise<[UpdateStatus, Buffer?]> {
  const argv: RedisArg[] = [
    args.codec,
    args.processId,
    String(args.now),
    args.ttlMs,
    args.heartbeat ? '1' : '0',
    args.status ?? '',
    args.message === undefined ? '0' : '1',
    args.message ?? '',
    args.reply ? '1' : '0',
  ];
  if (args.params !== undefined) {
    for (const [name, text] of Object.entries(args.params)) argv.push(name, text);
  }
  return conn.runScript<[UpdateStatus, Buffer?], [UpdateStatus, Buffer?]>(
    UPDATE_PROCESS,
    [keys.record, keys.live, keys.stopped, keys.components],
    argv,
    // Buffers only when the bytes come back: a heartbeat's reply is one integer.
    args.reply ? BUFFERS : undefined,
    rejectCorrupt,
  );
}
