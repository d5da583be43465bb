/**
 * Lua shared by the queue scripts. Every queue script takes the same seven keys, all tagged
 * with the queue name: KEYS[1] pending list, KEYS[2] jobs hash, KEYS[3] leases zset, KEYS[4]
 * meta hash, KEYS[5] signal list, KEYS[6] dead hash, KEYS[7] dead index zset.
 *
 * Defines `now_ms()`, `bury(id, reason, attempts, at, cap)` (claimed or queued order → dead
 * letters, oldest dropped past `cap`), `requeue(id)` (claimed order → head of the queue, with a
 * wake-up token) and `sweep(now, max_attempts, cap, limit)` (expired leases → head of the queue,
 * or dead letters once `max_attempts` claims were made).
 * @internal
 */
export const QUEUE_LUA = `
local function now_ms()
  local clock = redis.call('TIME')
  return tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end
local function bury(id, reason, attempts, at, cap)
  local bytes = redis.call('HGET', KEYS[2], id)
  redis.call('HDEL', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], 'a:' .. id, 't:' .. id)
  if not bytes then return end
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
local function requeue(id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], 't:' .. id)
  redis.call('LPUSH', KEYS[1], id)
  redis.call('RPUSH', KEYS[5], '1')
end
local function sweep(now, max_attempts, cap, limit)
  local expired = redis.call('ZRANGE', KEYS[3], '-inf', now, 'BYSCORE', 'LIMIT', 0, limit)
  local requeued, buried = 0, 0
  -- Latest deadline first, each to the head: the earliest claimed ends up first in line.
  for i = #expired, 1, -1 do
    local id = expired[i]
    local attempts = tonumber(redis.call('HGET', KEYS[4], 'a:' .. id)) or 0
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
