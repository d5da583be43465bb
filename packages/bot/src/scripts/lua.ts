import { LUA_CHECK_TYPES, LUA_HSET_PAIRS } from '@fullon/core/author';

/**
 * Lua shared by the bot scripts. Every deadline and token comes from the server clock
 * (`TIME`), so the clocks of the bots never matter.
 *
 * - `now_ms()`, `now_us()`: the server clock.
 * - `check_types({key, kind, …})`, `corrupt(key, field, what)`: core's check; scripts check
 *   every key before their first write and return the corrupt reply unchanged, so a foreign key
 *   fails a call without a half write, and the invokers' `rejectCorrupt` makes it a
 *   `DecodeError` naming the key.
 * - `keep_index(index, ttl_ms)`: keeps an index key alive at least as long as its latest member.
 * - `lease_read(key)`: holder, token and expiry of a lease hash, or `false` when it is malformed.
 * - `lease_foreign(key)`: the corrupt reply naming `key` when its hash carries another key's
 *   name in its identity field `k` (another lease's whole hash copied onto it), else `false`.
 *   A hash with no `k` at all was written before leases carried their identity, and is
 *   accepted (see `keys.ts`). Scripts call it before their first write.
 * - `hset_pairs(key, from)`: HSET of the field/value pairs in ARGV from position `from`, in
 *   batches (Lua's `unpack` has a stack limit).
 * @internal
 */
export const BOT_LUA = `${LUA_CHECK_TYPES}${LUA_HSET_PAIRS}
local function now_us()
  local clock = redis.call('TIME')
  return tonumber(clock[1]) * 1000000 + tonumber(clock[2])
end
local function now_ms()
  return math.floor(now_us() / 1000)
end
local function num(n)
  return string.format('%.0f', n)
end
local function keep_index(index, ttl_ms)
  if redis.call('PEXPIRE', index, ttl_ms, 'GT') == 0 and redis.call('PTTL', index) == -1 then
    redis.call('PEXPIRE', index, ttl_ms)
  end
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
