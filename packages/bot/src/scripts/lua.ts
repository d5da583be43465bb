import {
  LUA_CHECK_TYPES,
  LUA_HSET_PAIRS,
  LUA_KEEP_INDEX,
  LUA_NOW_MS,
  LUA_SCRIPT_REPLY,
} from '@fullon/core/author';

/**
 * Lua shared by the bot scripts. Every deadline and token comes from the server clock
 * (`TIME`), so the clocks of the bots never matter.
 *
 * - `now_ms()`, `now_us()`: the server clock (core's `LUA_NOW_MS`).
 * - the `ScriptReply` table of reply codes (core's `LUA_SCRIPT_REPLY`).
 * - `check_types({key, kind, …})`, `corrupt(key, field, what)`: core's check; scripts check
 *   every key before their first write and return the corrupt reply unchanged, so a foreign key
 *   fails a call without a half write, and the invokers' `rejectCorrupt` makes it a
 *   `DecodeError` naming the key.
 * - `keep_index(index, ttl_ms)` (core's `LUA_KEEP_INDEX`): keeps an index key alive at least as
 *   long as its latest member.
 * - `lease_read(key)`: holder, token and expiry of a lease hash, or `false` when it is malformed.
 * - `lease_foreign(key)`: the corrupt reply naming `key` when its hash carries another key's
 *   name in its identity field `k` (another lease's whole hash copied onto it), else `false`.
 *   A hash with no `k` at all was written before leases carried their identity, and is
 *   accepted (see `keys.ts`). Scripts call it before their first write.
 * - `hset_pairs(key, from)`: HSET of the field/value pairs in ARGV from position `from`, in
 *   batches (Lua's `unpack` has a stack limit).
 * @internal
 */
export const BOT_LUA = `${LUA_CHECK_TYPES}${LUA_HSET_PAIRS}${LUA_NOW_MS}${LUA_KEEP_INDEX}${LUA_SCRIPT_REPLY}
local function num(n)
  return string.format('%.0f', n)
end
local function lease_read(key)
  local cur = redis.call('HMGET', key, 'h', 't', 'e')
  local token = tonumber(cur[2])
  local expires = tonumber(cur[3])
  if not cur[1] or not token or not expires then return false end
  return cur[1], token, expires, cur[2]
end
local function lease_foreign(key)
  local own = redis.call('HGET', key, 'k')
  if own and own ~= key then
    return corrupt(key, 'k', 'the lease names another key (a foreign lease copied here); nothing written')
  end
  return false
end
`;
