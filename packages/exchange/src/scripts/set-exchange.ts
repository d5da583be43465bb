import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, LUA_SCRIPT_REPLY, type ScriptReply } from '@fullon/core/author';

/**
 * Stores an exchange record and lists its id in its owner's index, in one step. An absent index
 * is created only when the caller says so (no list loader: the cache is the source of users'
 * lists). The completeness marker is never added here: one account is not the whole list, so
 * only a complete load or replace (`store-user-exchanges`) marks an index complete. An index of
 * the wrong Redis type is reported before anything is written.
 *
 * KEYS[1] the exchange record; KEYS[2] the owner's index set.
 * ARGV[1] TTL (ms); ARGV[2] `1` to create an absent index; ARGV[3] exchange id; ARGV[4] record bytes.
 * Returns a {@link SetExchangeReply}: `ScriptReply.added` stored and listed in the index, `ok`
 * stored only (the index was absent), `wrongType` nothing written.
 */
const SET_EXCHANGE = defineScript(
  'exchange.set',
  `-- KEYS[1] record, KEYS[2] index | ARGV[1] ttl ms, ARGV[2] create flag, ARGV[3] id, ARGV[4] bytes
${LUA_SCRIPT_REPLY}
local kind = redis.call('TYPE', KEYS[2]).ok
if kind ~= 'none' and kind ~= 'set' then return ScriptReply.wrongType end
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[1])
if kind == 'set' or ARGV[2] == '1' then
  redis.call('SADD', KEYS[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
  return ScriptReply.added
end
return ScriptReply.ok
`,
);

/**
 * What {@link setExchangeScript} answers: `added` stored, and its owner's index lists it; `ok`
 * stored, the owner's index was absent and left to the list loader; `wrongType` nothing
 * written, the owner's index key holds another Redis type.
 */
export type SetExchangeReply =
  | typeof ScriptReply.added
  | typeof ScriptReply.ok
  | typeof ScriptReply.wrongType;

/**
 * Runs {@link SET_EXCHANGE}.
 * @internal
 * @param conn - Connection.
 * @param keys - The record and its owner's index.
 * @param args - TTL, whether to create an absent index, the id and the record's bytes.
 * @returns What happened.
 */
export function setExchangeScript(
  conn: CacheConnectionLike,
  keys: { record: string; index: string },
  args: { ttlMs: number; createIndex: boolean; exId: string; bytes: Buffer },
): Promise<SetExchangeReply> {
  return conn.runScript<SetExchangeReply>(
    SET_EXCHANGE,
    [keys.record, keys.index],
    [String(args.ttlMs), args.createIndex ? '1' : '0', args.exId, args.bytes],
  );
}
