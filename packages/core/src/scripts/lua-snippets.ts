import { DecodeError } from '../errors.js';

/**
 * Lua helper functions shared by the packages' scripts; a script splices in the ones it calls.
 *
 * - `wrong_type(key, kind)`: whether `key` exists with another Redis type than `kind`. Scripts
 *   check every key before their first write, so a foreign key fails a call without a half write.
 * - `hset_pairs(key, from)`: HSET of the field/value pairs in ARGV from position `from`, in
 *   batches of 100 pairs (Lua's `unpack` has a stack limit).
 * - `check_types(checks)` and `corrupt(key, field, what)`: see {@link LUA_CHECK_TYPES}, the check
 *   new scripts use (it names the offending key; `wrong_type` only says there is one).
 * - `now_ms()`, `now_us()`: the server clock, see {@link LUA_NOW_MS}.
 * - `keep_index(index, ttl_ms)`: see {@link LUA_KEEP_INDEX}.
 * - the `ScriptReply` table of reply codes: see `LUA_SCRIPT_REPLY`.
 */
export const LUA_WRONG_TYPE = `
local function wrong_type(key, kind)
  local t = redis.call('TYPE', key).ok
  return t ~= 'none' and t ~= kind
end
`;

/** Defines `hset_pairs(key, from)`; see the list above {@link LUA_WRONG_TYPE}. */
export const LUA_HSET_PAIRS = `
local function hset_pairs(key, from)
  local batch = {}
  for i = from, #ARGV do
    batch[#batch + 1] = ARGV[i]
    if #batch == 200 then
      redis.call('HSET', key, unpack(batch))
      batch = {}
    end
  end
  if #batch > 0 then redis.call('HSET', key, unpack(batch)) end
end
`;

/**
 * Defines `now_ms()` and `now_us()`: the server clock (`TIME`) in whole milliseconds and in
 * microseconds. Deadlines and stamps use it, so the clients' clocks never matter. Reading `TIME`
 * makes a script non-deterministic, which Redis 7 replicates by effects (the default).
 */
export const LUA_NOW_MS = `
local function now_ms()
  local clock = redis.call('TIME')
  return tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end
local function now_us()
  local clock = redis.call('TIME')
  return tonumber(clock[1]) * 1000000 + tonumber(clock[2])
end
`;

/**
 * Defines `keep_index(index, ttl_ms)`: keeps an index key alive at least as long as its
 * latest-living member (`PEXPIRE … GT` never shortens it), and gives a key without a TTL (a fresh
 * one: `GT` treats no TTL as infinite and refuses) its first one. Call it after writing a member
 * whose own TTL is `ttl_ms`.
 */
export const LUA_KEEP_INDEX = `
local function keep_index(index, ttl_ms)
  if redis.call('PEXPIRE', index, ttl_ms, 'GT') == 0 and redis.call('PTTL', index) == -1 then
    redis.call('PEXPIRE', index, ttl_ms)
  end
end
`;

/**
 * Tag of the reply {@link LUA_CHECK_TYPES}'s `check_types` and `corrupt` build: a script that
 * returns `{CORRUPT_REPLY_TAG, key, field, what}` found stored garbage and wrote nothing.
 */
export const CORRUPT_REPLY_TAG = 'fullon:corrupt';

/**
 * Defines `corrupt(key, field, what)` and `check_types(checks)`, the key-type check every script
 * runs before its first write:
 *
 * - `check_types({KEYS[1], 'list', KEYS[2], 'hash', …})`: `false` when every key is absent or
 *   has its kind; else the corrupt reply naming the first key of another Redis type.
 * - `corrupt(key, field, what)`: the reply for stored garbage (`field` may be `false`).
 *
 * A script returns that reply unchanged (`if bad then return bad end`), and its invoker passes
 * the script's reply through {@link rejectCorrupt}, which turns it into a `DecodeError` naming
 * the key: a key of the wrong type in a package's own key family is stored garbage, not a
 * command error.
 * @example
 * ```lua
 * local bad = check_types({KEYS[1], 'list', KEYS[2], 'hash'})
 * if bad then return bad end
 * ```
 */
export const LUA_CHECK_TYPES = `
local function corrupt(key, field, what)
  return {'${CORRUPT_REPLY_TAG}', key, field or '', what}
end
local function check_types(checks)
  for i = 1, #checks, 2 do
    local key, kind = checks[i], checks[i + 1]
    local t = redis.call('TYPE', key).ok
    if t ~= 'none' and t ~= kind then
      return corrupt(key, false, 'holds a Redis ' .. t .. ', not a ' .. kind .. '; nothing written')
    end
  end
  return false
end
`;

/**
 * Reads a script's reply: the corrupt reply of {@link LUA_CHECK_TYPES} becomes a `DecodeError`
 * naming the key (and field); any other reply is returned unchanged. Pass it as (or call it
 * first in) the `map` of `conn.runScript`.
 * @param reply - The script's raw reply (strings or Buffers).
 * @returns `reply`.
 * @throws {DecodeError} when the script reported stored garbage.
 */
export function rejectCorrupt<T>(reply: T): T {
  if (!Array.isArray(reply) || reply.length !== 4) return reply;
  const [tag, key, field, what] = reply.map((part: unknown) =>
    Buffer.isBuffer(part) ? part.toString() : typeof part === 'string' ? part : undefined,
  );
  if (tag !== CORRUPT_REPLY_TAG || key === undefined) return reply;
  throw new DecodeError(key, field === '' ? undefined : field, what ?? 'stored garbage');
}
