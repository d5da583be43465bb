import { defineScript, FullonCacheError } from '@fullon/core';
import { luaSlot, TickLayout } from '../schema.js';
import { INDEX_LUA } from './index-lua.js';

/** Status codes of {@link UPDATE_TICKER}. */
export const UpdateStatus = {
  missing: 0,
  corrupt: -1,
  bidAboveAsk: -2,
} as const;

const WIDTH = TickLayout.fields.length + 1;
// The merge writes a msgpack fixarray header, which holds at most 15 elements.
if (WIDTH > 15)
  throw new FullonCacheError(`tick.update: a ${WIDTH}-slot tuple needs an array16 header`);

/**
 * Merges fields into the stored tick, re-checks bid ≤ ask on the merged tick, stores it,
 * refreshes its TTL and index entry, and publishes it, in one step.
 *
 * The stored value is the msgpack tuple `[version, …fields]`; `cmsgpack` decodes it and the
 * merged tuple is re-encoded element by element (a fixarray header, then each slot, nil as
 * 0xc0), because `cmsgpack.pack` turns a table with nil holes into a map.
 *
 * KEYS[1] ticker hash `tick:{exchange}:symbol`; KEYS[2] index `tick-index:{exchange}`.
 * ARGV[1] TTL (ms); ARGV[2] channel; ARGV[3] symbol; ARGV[4] new time, or '' to keep it;
 * then pairs (tuple slot, number) from ARGV[5].
 * Returns `{status, bytes}`: status 1 merged, 2 merged and the symbol was new to the index;
 * or `{0}` no stored tick, `{-1}` stored value is not a tick of this layout, `{-2}` the merged
 * bid is above the ask (nothing written in those cases).
 * @internal
 */
export const UPDATE_TICKER = defineScript(
  'tick.update',
  `${INDEX_LUA}
local raw = redis.call('HGET', KEYS[1], 'v')
if not raw then return {${UpdateStatus.missing}} end
local ok, t = pcall(cmsgpack.unpack, raw)
if not ok or type(t) ~= 'table' or t[1] ~= ${TickLayout.version} or table.maxn(t) > ${WIDTH}
  or type(t[${luaSlot('price')}]) ~= 'number' or type(t[${luaSlot('time')}]) ~= 'number'
  or type(t[${luaSlot('symbol')}]) ~= 'string' or type(t[${luaSlot('exchange')}]) ~= 'string' then
  return {${UpdateStatus.corrupt}}
end
for i = 5, #ARGV, 2 do
  t[tonumber(ARGV[i])] = tonumber(ARGV[i + 1])
end
local bid, ask = t[${luaSlot('bid')}], t[${luaSlot('ask')}]
if type(bid) == 'number' and type(ask) == 'number' and bid > ask then
  return {${UpdateStatus.bidAboveAsk}}
end
local parts = {string.char(0x90 + ${WIDTH})}
for i = 1, ${WIDTH} do
  local value = t[i]
  if value == nil then parts[i + 1] = '\\192' else parts[i + 1] = cmsgpack.pack(value) end
end
local bytes = table.concat(parts)
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'v', bytes, 't', ARGV[4])
else
  redis.call('HSET', KEYS[1], 'v', bytes)
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local added = index_touch(KEYS[2], ARGV[3], ARGV[1])
redis.call('PUBLISH', ARGV[2], bytes)
return {1 + added, bytes}
`,
);
