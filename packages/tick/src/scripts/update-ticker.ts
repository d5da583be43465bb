import type { CacheConnectionLike, RedisArg } from '@fullon/core';
import { FullonCacheError } from '@fullon/core';
import {
  BUFFERS,
  defineScript,
  LUA_CHECK_TYPES,
  LUA_SCRIPT_REPLY,
  MAX_EPOCH_MS,
  MIN_EPOCH_MS,
  rejectCorrupt,
  type ScriptReply,
} from '@fullon/core/author';
import {
  FIELD_ORDER,
  type FieldRule,
  luaSlot,
  TICK_FIELDS,
  TICK_LAYOUT_VERSION,
  type TickField,
  UPDATABLE_FIELDS,
} from '../fields.js';
import { INDEX_LUA } from './index-lua.js';

/**
 * What {@link updateTickerScript} reports: core's `ScriptReply.none` (no stored tick: nothing
 * created), `ok` (merged, stored and published), `added` (the same, and the symbol was new to
 * the index), `corrupt` (the stored value is not a valid tick of this ticker: nothing written),
 * or `invalid` (the merged tick would have bid above ask: nothing written).
 */
export type UpdateStatus =
  | typeof ScriptReply.none
  | typeof ScriptReply.ok
  | typeof ScriptReply.added
  | typeof ScriptReply.corrupt
  | typeof ScriptReply.invalid;

/** Codecs whose bytes the merge script can read and write. */
export const MERGEABLE_CODECS: readonly string[] = ['msgpack', 'json'];

const WIDTH = FIELD_ORDER.length + 1;
// The msgpack merge writes a fixarray header, which holds at most 15 elements.
if (WIDTH > 15) {
  throw new FullonCacheError(`tick.update: a ${WIDTH}-slot tuple needs an array16 header`);
}

/** The Lua test of one rule on `x` (a number or string slot value). */
const LUA_RULES: Record<FieldRule, string> = {
  name: `type(x) == 'string' and #x > 0`,
  epochMs: `type(x) == 'number' and x == x and x >= ${MIN_EPOCH_MS} and x <= ${MAX_EPOCH_MS}`,
  nonNegative: `type(x) == 'number' and x == x and x ~= math.huge and x >= 0`,
  finite: `type(x) == 'number' and x == x and x ~= math.huge and x ~= -math.huge`,
};

/** Lua checking every slot of the stored tuple `t` against the tick's rules. */
const SLOT_CHECKS = FIELD_ORDER.map((field: TickField) => {
  const { rule, optional } = TICK_FIELDS[field];
  const absent = optional ? 'x == nil or x == cjson.null or ' : '';
  return `  x = t[${luaSlot(field)}]\n  if not (${absent}(${LUA_RULES[rule]})) then return false end`;
}).join('\n');

/**
 * Merges fields into the stored tick, re-checks bid ≤ ask on the merged tick, publishes it,
 * and stores it with its TTL and index entry, in one step.
 *
 * Everything that can fail comes before the first write: both keys' types (a key of another
 * Redis type gets the corrupt reply of `LUA_CHECK_TYPES`), the stored value is decoded and
 * checked slot by slot against the tick's rules (its width, version, every type, finite and
 * non-negative numbers, bid ≤ ask) and must name this very ticker; then the merged bytes are
 * built and published (an ACL may refuse that); only then is anything written.
 *
 * The stored value is the tuple `[version, …fields]` under the connection's codec:
 * - msgpack: `cmsgpack` decodes it; the merged tuple is re-encoded slot by slot (a fixarray
 *   header, each value with `cmsgpack.pack`, nil as 0xc0), because `cmsgpack.pack` turns a
 *   table with nil holes into a map;
 * - json: `cjson` decodes it (a JSON null stays `cjson.null`, written back as null); numbers are
 *   written with `%.17g` (exact round trip; `cjson.encode` keeps only 14 digits).
 *
 * KEYS[1] ticker hash; KEYS[2] index.
 * ARGV[1] codec (`msgpack` or `json`); ARGV[2] TTL (ms); ARGV[3] channel; ARGV[4] symbol;
 * ARGV[5] exchange; ARGV[6] new time, or '' to keep it; then pairs (tuple slot, number).
 * Returns `{status, bytes}` with an {@link UpdateStatus}; bytes only when written; or the
 * corrupt reply.
 * @internal
 */
const UPDATE_TICKER = defineScript(
  'tick.update',
  `${INDEX_LUA}${LUA_CHECK_TYPES}${LUA_SCRIPT_REPLY}
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'zset'})
if bad then return bad end
local json = ARGV[1] == 'json'
local raw = redis.call('HGET', KEYS[1], 'v')
if not raw then return {ScriptReply.none} end
local ok, t = pcall(json and cjson.decode or cmsgpack.unpack, raw)
local function bid_above_ask()
  local bid, ask = t[${luaSlot('bid')}], t[${luaSlot('ask')}]
  return type(bid) == 'number' and type(ask) == 'number' and bid > ask
end
local function valid()
  if not ok or type(t) ~= 'table' or t[1] ~= ${TICK_LAYOUT_VERSION} then return false end
  if json then
    if #t ~= ${WIDTH} then return false end
  elseif string.byte(raw, 1) ~= ${0x90 + WIDTH} then
    return false
  end
  local x
${SLOT_CHECKS}
  if t[${luaSlot('symbol')}] ~= ARGV[4] or t[${luaSlot('exchange')}] ~= ARGV[5] then return false end
  return not bid_above_ask()
end
if not valid() then return {ScriptReply.corrupt} end
for i = 7, #ARGV, 2 do
  t[tonumber(ARGV[i])] = tonumber(ARGV[i + 1])
end
if bid_above_ask() then return {ScriptReply.invalid} end
local parts = {}
for i = 1, ${WIDTH} do
  local value = t[i]
  if json then
    if value == nil or value == cjson.null then parts[i] = 'null'
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
  bytes = string.char(${0x90 + WIDTH}) .. table.concat(parts)
end
redis.call('PUBLISH', ARGV[3], bytes)
local added = index_touch(KEYS[2], ARGV[4], ARGV[2])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'v', bytes, 't', ARGV[6])
else
  redis.call('HSET', KEYS[1], 'v', bytes)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {added and ScriptReply.added or ScriptReply.ok, bytes}
`,
);

/** What to merge, already validated. */
export interface TickerMerge {
  /** Codec name of the stored bytes (`msgpack` or `json`). */
  readonly codec: string;
  /** The ticker's TTL, a string of ms. */
  readonly ttlMs: string;
  /** The ticker's channel. */
  readonly channel: string;
  /** The ticker's symbol and exchange (the stored tick must name them). */
  readonly symbol: string;
  readonly exchange: string;
  /** The patch: updatable fields only. */
  readonly patch: Readonly<Partial<Record<TickField, number | undefined>>>;
}

/**
 * Runs {@link UPDATE_TICKER}.
 * @internal
 * @param conn - Connection.
 * @param keys - The ticker hash and its index.
 * @param merge - Codec, TTL, channel, names and the patch.
 * @returns The status, and the merged bytes when written.
 * @throws {DecodeError} naming a key of another Redis type; nothing is written.
 */
export function updateTickerScript(
  conn: CacheConnectionLike,
  keys: { ticker: string; index: string },
  merge: TickerMerge,
): Promise<[UpdateStatus, Buffer?]> {
  const time = merge.patch.time;
  const args: RedisArg[] = [
    merge.codec,
    merge.ttlMs,
    merge.channel,
    merge.symbol,
    merge.exchange,
    time === undefined ? '' : String(time),
  ];
  for (const field of UPDATABLE_FIELDS) {
    const value = merge.patch[field];
    if (value !== undefined) args.push(String(luaSlot(field)), String(value));
  }
  return conn.runScript<[UpdateStatus, Buffer?], [UpdateStatus, Buffer?]>(
    UPDATE_TICKER,
    [keys.ticker, keys.index],
    args,
    BUFFERS,
    rejectCorrupt,
  );
}
