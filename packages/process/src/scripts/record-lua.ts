import { LUA_CHECK_TYPES, LUA_SCRIPT_REPLY, MAX_EPOCH_MS, MIN_EPOCH_MS } from '@fullon/core/author';

/** Slots of the stored tuple, 1-based as Lua sees them (slot 1 is the layout version). */
export const SLOT = {
  version: 1,
  processId: 2,
  type: 3,
  component: 4,
  status: 5,
  message: 6,
  params: 7,
  createdAt: 8,
  updatedAt: 9,
  lastSeen: 10,
} as const;

const WIDTH = 10;

/**
 * Lua shared by the scripts that rewrite a record: `decode(raw, id)` returns the tuple table
 * or nil when the bytes are not a valid record of that id, `encode(t)` writes it back, and
 * core's `check_types`/`corrupt` (see `LUA_CHECK_TYPES`) check every key's type before the
 * first write. `ARGV[1]` must be the codec name (`msgpack` or `json`).
 *
 * The tuple holds only scalars and one map of name → JSON text, so both `cmsgpack` and
 * `cjson` round-trip it exactly: the map header is written by hand (so an empty map stays a
 * map), keys are sorted (same bytes for the same record), numbers are written with `%.17g`
 * in JSON (cjson keeps 14 digits).
 */
export const RECORD_LUA = `
${LUA_CHECK_TYPES}
${LUA_SCRIPT_REPLY}
local JSON = ARGV[1] == 'json'
local function decode(raw, id)
  local ok, t = pcall(JSON and cjson.decode or cmsgpack.unpack, raw)
  if not ok or type(t) ~= 'table' or #t ~= ${WIDTH} or t[1] ~= 1 or t[2] ~= id then return nil end
  for i = 3, 5 do
    if type(t[i]) ~= 'string' or #t[i] == 0 then return nil end
  end
  if type(t[6]) ~= 'string' or type(t[7]) ~= 'table' then return nil end
  for k, v in pairs(t[7]) do
    if type(k) ~= 'string' or type(v) ~= 'string' then return nil end
  end
  for i = 8, 10 do
    local x = t[i]
    if type(x) ~= 'number' or x ~= x or x < ${MIN_EPOCH_MS} or x > ${MAX_EPOCH_MS} then return nil end
  end
  return t
end
local function encode(t)
  local names = {}
  for k in pairs(t[7]) do names[#names + 1] = k end
  table.sort(names)
  local parts = {}
  if JSON then
    for i, k in ipairs(names) do parts[i] = cjson.encode(k) .. ':' .. cjson.encode(t[7][k]) end
    return '[1,' .. cjson.encode(t[2]) .. ',' .. cjson.encode(t[3]) .. ',' .. cjson.encode(t[4])
      .. ',' .. cjson.encode(t[5]) .. ',' .. cjson.encode(t[6]) .. ',{' .. table.concat(parts, ',')
      .. '},' .. string.format('%.17g', t[8]) .. ',' .. string.format('%.17g', t[9]) .. ','
      .. string.format('%.17g', t[10]) .. ']'
  end
  for i, k in ipairs(names) do parts[i] = cmsgpack.pack(k) .. cmsgpack.pack(t[7][k]) end
  local n = #names
  local header
  if n < 16 then header = string.char(0x80 + n)
  else header = string.char(0xde, math.floor(n / 256), n % 256) end
  return string.char(${0x90 + WIDTH}) .. cmsgpack.pack(1, t[2], t[3], t[4], t[5], t[6])
    .. header .. table.concat(parts) .. cmsgpack.pack(t[8], t[9], t[10])
end
`;

/** Entries of an index older than the TTL removed per write (their records have expired). */
export const PRUNE_PER_WRITE = 100;

/**
 * Lua shared by the scripts that write the indexes: `prune(key, cutoff)` drops up to
 * PRUNE_PER_WRITE entries older than `cutoff` from index `key`; `refresh(ttl)` renews the TTL
 * of KEYS[2..4] (the live and stopped indexes and the components hash).
 */
export const PRUNE_LUA = `
local function prune(key, cutoff)
  local old = redis.call('ZRANGE', key, '-inf', '(' .. cutoff, 'BYSCORE', 'LIMIT', 0, ${PRUNE_PER_WRITE})
  if #old > 0 then redis.call('ZREM', key, unpack(old)) end
end
local function refresh(ttl)
  for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
end
`;

/** Codecs whose bytes the record scripts can read and write. */
export const REWRITABLE_CODECS: readonly string[] = ['msgpack', 'json'];
