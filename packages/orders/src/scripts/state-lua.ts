import { LUA_CHECK_TYPES, LUA_NOW_MS, LUA_SCRIPT_REPLY } from '@fullon/core/author';
import { TERMINAL_STATUSES } from '../schema.js';

/**
 * Lua: the key-type check of an order-state script, before its first write — the three index
 * keys, and KEYS[4] (the order, a string) when `withOrder`. Returns core's corrupt reply early.
 * @param withOrder - Whether the script takes the order's key.
 * @returns Lua for the script's head (after {@link STATE_LUA}).
 * @internal
 */
export function checkStateTypes(withOrder: boolean): string {
  const order = withOrder ? ", KEYS[4], 'string'" : '';
  return `do local bad = check_types({KEYS[1], 'hash', KEYS[2], 'zset', KEYS[3], 'zset'${order}}) if bad then return bad end end`;
}

/**
 * Lua shared by the order-state scripts. Every one takes the exchange's index keys first:
 * KEYS[1] index hash (id → status), KEYS[2] by-status zset, KEYS[3] expiry zset; then
 * KEYS[4] the order's key where it has one.
 *
 * Defines `check_types` and `corrupt` (core's {@link LUA_CHECK_TYPES}), `now_ms()` (core's
 * {@link LUA_NOW_MS}), the `ScriptReply` codes (core's {@link LUA_SCRIPT_REPLY}), `terminal(status)`, `unindex(id)`, `prune(now, limit)` (drops index
 * entries of terminal orders past their retention) and `store(id, bytes, status, ttl, now)`
 * (writes KEYS[4] — with a TTL when the status is terminal, without one otherwise — and
 * indexes it). `member(status, id)` builds the by-status member `<byte length>:<status>:<id>`;
 * its TypeScript copy is `statusMember` in `order-state.ts`, and the two must encode alike.
 * @internal
 */
export const STATE_LUA = `${LUA_CHECK_TYPES}${LUA_NOW_MS}${LUA_SCRIPT_REPLY}
local TERMINAL = {${TERMINAL_STATUSES.map((s) => `['${s}'] = true`).join(', ')}}
local function terminal(status)
  return TERMINAL[string.lower(status)] == true
end
local function member(status, id)
  return #status .. ':' .. status .. ':' .. id
end
local function unindex(id)
  local old = redis.call('HGET', KEYS[1], id)
  if old then redis.call('ZREM', KEYS[2], member(old, id)) end
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[3], id)
end
local function prune(now, limit)
  local expired = redis.call('ZRANGE', KEYS[3], '-inf', now, 'BYSCORE', 'LIMIT', 0, limit)
  for i = 1, #expired do unindex(expired[i]) end
  return #expired
end
local function store(id, bytes, status, ttl, now)
  local old = redis.call('HGET', KEYS[1], id)
  if old and old ~= status then redis.call('ZREM', KEYS[2], member(old, id)) end
  if terminal(status) then
    redis.call('SET', KEYS[4], bytes, 'PX', ttl)
    redis.call('ZADD', KEYS[3], now + ttl, id)
  else
    redis.call('SET', KEYS[4], bytes)
    redis.call('ZREM', KEYS[3], id)
  end
  redis.call('HSET', KEYS[1], id, status)
  redis.call('ZADD', KEYS[2], 0, member(status, id))
end
`;

/** Most expired index entries one write prunes. */
export const PRUNE_LIMIT = 100;
