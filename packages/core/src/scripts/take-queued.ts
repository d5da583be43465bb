import { LUA_NOW_MS, LUA_WRONG_TYPE } from './lua-snippets.js';
import { defineScript } from './script.js';
import { LUA_SCRIPT_REPLY } from './script-reply.js';

/** Length of the token that prefixes each in-flight entry (hex of 8 random bytes). */
export const TAKE_TOKEN_LENGTH = 16;

/**
 * Takes the head of a queue into its in-flight set, in one step. First, entries of the
 * in-flight set whose lease ran out go back to the head of the queue, earliest take first
 * (at most ARGV[3] per call); when the set holds ARGV[4] entries, its oldest go back early (a
 * possible duplicate, never a loss). Then the head of the queue is popped and recorded in the
 * in-flight set as `token .. item` with the score `now + lease`; the caller removes that entry
 * once it holds the item (ZREM), else it goes back on a later take.
 *
 * The in-flight set lives as long as the queue would have (its TTL is raised to the queue's
 * TTL, and to at least the lease), and not at all longer when the queue has no TTL. An item
 * put back into a queue that no longer exists gives the queue the in-flight set's TTL.
 * Every key's type and every stored entry is checked before the first write.
 *
 * KEYS[1] the queue (list); KEYS[2] its in-flight set (zset), same hash slot.
 * ARGV[1] token (TAKE_TOKEN_LENGTH characters); ARGV[2] lease (ms); ARGV[3] most entries put
 * back per call; ARGV[4] in-flight cap.
 * Returns (codes of `ScriptReply`) `{ok, item}`; `{none, ms}` when the queue is empty, `ms` until
 * the next lease runs out (`-1`: none in flight); `{wrongType, n}` when KEYS[n] holds another
 * type; `{corrupt}` when an in-flight entry is malformed. Nothing is written unless the reply is
 * `{ok, item}` or `{none, ms}`.
 */
export const TAKE_QUEUED = defineScript(
  'core.take-queued',
  `-- KEYS[1] queue, KEYS[2] in-flight | ARGV[1] token, ARGV[2] lease ms, ARGV[3] put-back limit, ARGV[4] cap
${LUA_WRONG_TYPE}${LUA_NOW_MS}${LUA_SCRIPT_REPLY}
if wrong_type(KEYS[1], 'list') then return {ScriptReply.wrongType, 1} end
if wrong_type(KEYS[2], 'zset') then return {ScriptReply.wrongType, 2} end
local now = now_ms()
local lease = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local back = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
local over = math.min(redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4]) + 1, limit)
if over > #back then back = redis.call('ZRANGE', KEYS[2], 0, over - 1) end
for i = 1, #back do
  if #back[i] < ${TAKE_TOKEN_LENGTH} then return {ScriptReply.corrupt} end
end
if #back > 0 then
  local existed = redis.call('EXISTS', KEYS[1]) == 1
  for i = #back, 1, -1 do
    redis.call('LPUSH', KEYS[1], string.sub(back[i], ${TAKE_TOKEN_LENGTH + 1}))
  end
  redis.call('ZREM', KEYS[2], unpack(back))
  local kept = redis.call('PTTL', KEYS[2])
  if not existed and kept > 0 then redis.call('PEXPIRE', KEYS[1], kept) end
end
local ttl = redis.call('PTTL', KEYS[1])
local item = redis.call('LPOP', KEYS[1])
if not item then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if first[2] == nil then return {ScriptReply.none, -1} end
  return {ScriptReply.none, math.max(tonumber(first[2]) - now, 0)}
end
local kept = redis.call('PTTL', KEYS[2])
redis.call('ZADD', KEYS[2], now + lease, ARGV[1] .. item)
if ttl == -1 then
  redis.call('PERSIST', KEYS[2])
else
  redis.call('PEXPIRE', KEYS[2], math.max(ttl, lease, kept))
end
return {ScriptReply.ok, item}
`,
);
