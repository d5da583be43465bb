import { defineScript, FullonCacheError } from '@fullon/core';
import { luaSlot, TickLayout } from '../schema.js';
import { INDEX_LUA } from './index-lua.js';

/** Status codes of {@link UPDATE_TICKER}. */
export const UpdateStatus = {
  missing: 0,
  corrupt: -1,
  bidAboveAsk: -2,
} as const;

/** Codecs whose bytes the merge script can read and write. */
export const MERGEABLE_CODECS: readonly string[] = ['msgpack', 'json'];

const WIDTH = TickLayout.fields.length + 1;
// The msgpack merge writes a fixarray header, which holds at most 15 elements.
if (WIDTH > 15) {
  throw new FullonCacheError(`tick.update: a ${WIDTH}-slot tuple needs an array16 header`);
}

/**
 * Merges fields into the stored tick, re-checks bid ≤ ask on the merged tick, stores it,
 * refreshes its TTL and index entry, and publishes it, in one step.
 *
 * The stored value is the tuple `[version, …fields]` under the connection's codec:
 * - msgpack: `cmsgpack` decodes it; the merged tuple is re-encoded slot by slot (a fixarray
 *   header, each value with `cmsgpack.pack`, nil as 0xc0), because `cmsgpack.pack` turns a
 *   table with nil holes into a map;
 * - json: `cjson` decodes it (a JSON null stays `cjson.null`, which `cjson.encode` writes back
 *   as null); numbers are written with `%.17g` (exact round trip; `cjson.encode` keeps only 14
 *   digits), everything else with `cjson.encode`.
 *
 * KEYS[1] ticker hash `tick:{exchange}:symbol`; KEYS[2] index `tick-index:{exchange}`.
 * ARGV[1] codec (`msgpack` or `json`); ARGV[2] TTL (ms); ARGV[3] channel; ARGV[4] symbol;
 * ARGV[5] new time, or '' to keep it; then pairs (tuple slot, number) from ARGV[6].
 * Returns `{status, bytes}`: status 1 merged, 2 merged and the symbol was new to the index;
 * or `{0}` no stored tick, `{-1}` stored value is not a tick of this layout, `{-2}` the merged
 * bid is above the ask (nothing written in those cases).
 * @internal
 */
export const UPDATE_TICKER = defineScript(
  'tick.update',
  `${INDEX_LUA}
local json = ARGV[1] == 'json'
local raw = redis.call('HGET', KEYS[1], 'v')
if not raw then return {${UpdateStatus.missing}} end
local ok, t = pcall(json and cjson.decode or cmsgpack.unpack, raw)
if not ok or type(t) ~= 'table' or t[1] ~= ${TickLayout.version} or table.maxn(t) > ${WIDTH}
  or type(t[${luaSlot('price')}]) ~= 'number' or type(t[${luaSlot('time')}]) ~= 'number'
  or type(t[${luaSlot('symbol')}]) ~= 'string' or type(t[${luaSlot('exchange')}]) ~= 'string' then
  return {${UpdateStatus.corrupt}}
end
for i = 6, #ARGV, 2 do
  t[tonumber(ARGV[i])] = tonumber(ARGV[i + 1])
end
local bid, ask = t[${luaSlot('bid')}], t[${luaSlot('ask')}]
if type(bid) == 'number' and type(ask) == 'number' and bid > ask then
  return {${UpdateStatus.bidAboveAsk}}
end
local parts = {}
for i = 1, ${WIDTH} do
  local value = t[i]
  if json then
    if value == nil then parts[i] = 'null'
    elseif type(value) == 'number' then parts[i] = string.format('%.17g', value)
    else parts[i] = cjson.encode(value) end
  else
    if value == nil then parts[i] = '\\192' else parts[i] = cmsgpack.pack(value) end
  end
end
local bytes
if json then
  bytes = '[' .. table.concat(parts, ',') .. ']'
else
  bytes = string.char(0x90 + ${WIDTH}) .. table.concat(parts)
end
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'v', bytes, 't', ARGV[5])
else
  redis.call('HSET', KEYS[1], 'v', bytes)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local added = index_touch(KEYS[2], ARGV[4], ARGV[2])
redis.call('PUBLISH', ARGV[3], bytes)
return {1 + added, bytes}
`,
);
