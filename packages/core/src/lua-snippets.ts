/**
 * Lua helper functions shared by the packages' scripts; a script splices in the ones it calls.
 *
 * - `wrong_type(key, kind)`: whether `key` exists with another Redis type than `kind`. Scripts
 *   check every key before their first write, so a foreign key fails a call without a half write.
 * - `hset_pairs(key, from)`: HSET of the field/value pairs in ARGV from position `from`, in
 *   batches of 100 pairs (Lua's `unpack` has a stack limit).
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
