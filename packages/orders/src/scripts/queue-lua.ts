import { LUA_CHECK_TYPES, LUA_NOW_MS, LUA_SCRIPT_REPLY } from '@fullon/core/author';

/** The Redis type of each queue key, by KEYS position. */
const QUEUE_KEY_KINDS = ['list', 'hash', 'zset', 'hash', 'list', 'hash', 'zset'] as const;

/**
 * The key-type check of a queue script: `check_types` over the queue keys at the given KEYS
 * positions (1-based, see QUEUE_LUA), returning the corrupt reply before anything is written.
 * Needs {@link LUA_CHECK_TYPES} (spliced into QUEUE_LUA, and by scripts that do not use it).
 * @param positions - The KEYS positions the script touches.
 * @returns Lua: `do … end` returning early when a key has another Redis type.
 * @internal
 */
export function checkQueueTypes(positions: readonly number[]): string {
  const checks = positions.map((i) => `KEYS[${i}], '${QUEUE_KEY_KINDS[i - 1]}'`).join(', ');
  return `do local bad = check_types({${checks}}) if bad then return bad end end`;
}

/**
 * Lua shared by the queue scripts. Every queue script takes the same seven keys, all tagged
 * with the queue name: KEYS[1] pending list, KEYS[2] jobs hash, KEYS[3] leases zset, KEYS[4]
 * meta hash, KEYS[5] signal list, KEYS[6] dead hash, KEYS[7] dead index zset.
 *
 * Defines `check_types` and `corrupt` (core's {@link LUA_CHECK_TYPES}), `now_ms()` (core's
 * {@link LUA_NOW_MS}), the `ScriptReply` codes (core's {@link LUA_SCRIPT_REPLY}),
 * `attempts_of(id)` (claims so far from the meta hash, `nil` when the stored count is not a whole
 * number), `check_attempts(ids)` (the corrupt reply for the first id whose count is garbage,
 * else `false`: run it before the first write), `dead_letter(id, bytes, reason, attempts, at, cap)`
 * (bytes → dead letters, oldest dropped past `cap`), `bury(id, reason, attempts, at, cap)`
 * (claimed or queued order → dead letters), `requeue(id)` (claimed order → head of the queue, with a
 * wake-up token) and `sweep(expired, now, max_attempts, cap)` (the expired leases
 * `expired_leases(now, limit)` listed → head of the queue, or dead letters once `max_attempts`
 * claims were made).
 * @internal
 */
export const QUEUE_LUA = `${LUA_CHECK_TYPES}${LUA_NOW_MS}${LUA_SCRIPT_REPLY}
local function dead_letter(id, bytes, reason, attempts, at, cap)
  redis.call('HSET', KEYS[6], 'o:' .. id, bytes, 'r:' .. id, reason, 'n:' .. id, attempts, 't:' .. id, at)
  redis.call('ZADD', KEYS[7], at, id)
  local over = redis.call('ZCARD', KEYS[7]) - cap
  if over > 0 then
    local old = redis.call('ZPOPMIN', KEYS[7], over)
    for i = 1, #old, 2 do
      local o = old[i]
      redis.call('HDEL', KEYS[6], 'o:' .. o, 'r:' .. o, 'n:' .. o, 't:' .. o)
    end
  end
end
local function bury(id, reason, attempts, at, cap)
  local bytes = redis.call('HGET', KEYS[2], id)
  redis.call('HDEL', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], 'a:' .. id, 't:' .. id)
  if bytes then dead_letter(id, bytes, reason, attempts, at, cap) end
end
local function attempts_of(id)
  local a = redis.call('HGET', KEYS[4], 'a:' .. id)
  if not a then return 0 end
  if #a > 15 or not string.match(a, '^%d+$') then return nil end
  return tonumber(a)
end
local function check_attempts(ids)
  for i = 1, #ids do
    if not attempts_of(ids[i]) then
      return corrupt(KEYS[4], 'a:' .. ids[i], 'is not a whole number of claims; nothing written')
    end
  end
  return false
end
local function requeue(id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], 't:' .. id)
  redis.call('LPUSH', KEYS[1], id)
  redis.call('RPUSH', KEYS[5], '1')
end
local function expired_leases(now, limit)
  return redis.call('ZRANGE', KEYS[3], '-inf', now, 'BYSCORE', 'LIMIT', 0, limit)
end
local function sweep(expired, now, max_attempts, cap)
  local requeued, buried = 0, 0
  -- Latest deadline first, each to the head: the earliest claimed ends up first in line.
  for i = #expired, 1, -1 do
    local id = expired[i]
    local attempts = attempts_of(id) or 0
    if attempts >= max_attempts then
      bury(id, 'lease expired (visibilityMs passed without ack)', attempts, now, cap)
      buried = buried + 1
    else
      requeue(id)
      requeued = requeued + 1
    end
  end
  return requeued, buried
end
`;
