import {
  LUA_CHECK_TYPES,
  LUA_HSET_PAIRS,
  LUA_KEEP_INDEX,
  LUA_NOW_MS,
  LUA_SCRIPT_REPLY,
} from '@fullon/core/author';

/**
 * Lua shared by the account scripts.
 *
 * - `now_ms()` (core's `LUA_NOW_MS`): the server clock in ms (deadlines use it, so client clocks
 *   never matter).
 * - `keep_index(index, ttl_ms)` (core's `LUA_KEEP_INDEX`) and the `ScriptReply` table of reply
 *   codes (core's `LUA_SCRIPT_REPLY`).
 * - `check_types({key, kind, …})`: `false`, or core's corrupt reply naming the first key of
 *   another Redis type. Scripts check every key before their first write and return that reply
 *   unchanged, so a foreign key fails the call without a half write; the invokers pass the
 *   reply through `rejectCorrupt`, which makes it a `DecodeError` naming the key.
 * - `index_touch(index, exId, ttl_ms)`: records that an account has data until now + TTL (the
 *   later deadline wins) and keeps the index key alive as long as its latest member.
 * - `index_leave(index, exId, other)`: drops the account from the index when `other` (its
 *   other hash) is gone too.
 * - `hset_pairs(key, from)`: HSET of the field/value pairs in ARGV from position `from`, in
 *   batches (Lua's `unpack` has a stack limit).
 * @internal
 */
export const ACCOUNT_LUA = `${LUA_CHECK_TYPES}${LUA_HSET_PAIRS}${LUA_NOW_MS}${LUA_KEEP_INDEX}${LUA_SCRIPT_REPLY}
local function index_touch(index, ex_id, ttl_ms)
  local deadline = string.format('%.0f', now_ms() + tonumber(ttl_ms))
  redis.call('ZADD', index, 'GT', deadline, ex_id)
  keep_index(index, ttl_ms)
end
local function index_leave(index, ex_id, other)
  if redis.call('EXISTS', other) == 0 then redis.call('ZREM', index, ex_id) end
end
`;
