import type { CacheConnectionLike } from '@fullon/core';
import { BUFFERS, defineScript, rejectCorrupt, ScriptReply } from '@fullon/core/author';
import type { StateKeys } from '../keys.js';
import { ORDER_WIDTH, OrderLayout, orderSlot } from '../layouts.js';
import { checkStateTypes, PRUNE_LIMIT, STATE_LUA } from './state-lua.js';

/** Codecs whose stored tuples the merge script can splice. */
export const MERGEABLE_CODECS: readonly string[] = ['msgpack', 'json'];

/**
 * Status codes of {@link UPDATE_ORDER}, core's `ScriptReply` members: `ok` merged, `added`
 * created, `none` absent and not created, `corrupt` the stored value is not a tuple of this
 * layout, `conflict` the stored record is another order's (foreign identity), `stale` the stored
 * bytes changed since the caller read them.
 */
export type UpdateStatus =
  | typeof ScriptReply.ok
  | typeof ScriptReply.added
  | typeof ScriptReply.none
  | typeof ScriptReply.corrupt
  | typeof ScriptReply.conflict
  | typeof ScriptReply.stale;

const STATUS_SLOT = orderSlot('status');

/**
 * Merges fields into a stored order (or stores the given full record when there is none),
 * re-indexes it by its merged status and sets or clears its retention, in one step.
 *
 * The stored value is the tuple `[version, …fields]` under the connection's codec. msgpack:
 * the stored bytes are split into their elements (flat scalars only) and the given slots
 * replaced by the bytes the client encoded, so untouched fields keep their exact bytes. json:
 * `cjson` decodes the tuple and the untouched slots are written back (`%.17g` for numbers, an
 * exact round trip). A stored value that is not a tuple of this layout is reported as corrupt,
 * and one whose id or exchange is not the key's (another order's record) as foreign, before
 * anything is written. The caller read and re-validated the stored order first and passes its
 * bytes: when the key no longer holds them (a concurrent write), nothing is written and the
 * caller reads again.
 *
 * KEYS[1] index; KEYS[2] by-status; KEYS[3] expiry; KEYS[4] order key.
 * ARGV[1] order id; ARGV[2] codec (`msgpack` | `json`); ARGV[3] retention (ms); ARGV[4] prune
 * limit; ARGV[5] bytes of the full record to store when the order is absent, `''` to create
 * nothing; ARGV[6] the new status, `''` when not given; ARGV[7] layout version; ARGV[8] the
 * exchange the key names; ARGV[9] the stored bytes the caller validated, `''` when it found none;
 * then pairs (tuple slot, encoded value) from ARGV[10].
 * Returns `{ScriptReply.ok, bytes}` merged, `{ScriptReply.added, bytes}` created,
 * `{ScriptReply.none}` absent and not created, `{ScriptReply.corrupt}` corrupt,
 * `{ScriptReply.conflict}` foreign identity, `{ScriptReply.stale}` the stored bytes changed since
 * the caller read them,
 * or core's corrupt reply when a key has another Redis type (nothing written in the last five).
 * @internal
 */
export const UPDATE_ORDER = defineScript(
  'orders.update',
  `-- KEYS[1] index, [2] by-status, [3] expiry, [4] order | ARGV[1] id, [2] codec, [3] ttl, [4] prune limit, [5] create bytes, [6] status, [7] version, [8] exchange, [9] validated bytes, [10..] slot, bytes
${STATE_LUA}
${checkStateTypes(true)}
local WIDTH = ${ORDER_WIDTH}
local function element_length(s, p)
  local b = string.byte(s, p)
  if not b then return nil end
  if b <= 0x7f or b >= 0xe0 or b == 0xc0 or b == 0xc2 or b == 0xc3 then return 1 end
  if b >= 0xa0 and b <= 0xbf then return 1 + b - 0xa0 end
  if b == 0xcc or b == 0xd0 then return 2 end
  if b == 0xcd or b == 0xd1 then return 3 end
  if b == 0xce or b == 0xd2 or b == 0xca then return 5 end
  if b == 0xcf or b == 0xd3 or b == 0xcb then return 9 end
  if b == 0xd9 or b == 0xc4 then
    local n = string.byte(s, p + 1)
    return n and 2 + n
  end
  if b == 0xda or b == 0xc5 then
    local h, l = string.byte(s, p + 1, p + 2)
    return l and 3 + h * 256 + l
  end
  if b == 0xdb or b == 0xc6 then
    local b1, b2, b3, b4 = string.byte(s, p + 1, p + 4)
    return b4 and 5 + ((b1 * 256 + b2) * 256 + b3) * 256 + b4
  end
  return nil
end
local function split(s)
  local b = string.byte(s, 1)
  local count, p
  if b and b >= 0x90 and b <= 0x9f then
    count, p = b - 0x90, 2
  elseif b == 0xdc then
    local h, l = string.byte(s, 2, 3)
    if not l then return nil end
    count, p = h * 256 + l, 4
  else
    return nil
  end
  if count ~= WIDTH then return nil end
  local parts = {}
  for i = 1, count do
    local n = element_length(s, p)
    if not n or p + n - 1 > #s then return nil end
    parts[i] = string.sub(s, p, p + n - 1)
    p = p + n
  end
  if p ~= #s + 1 then return nil end
  return parts
end
local function id_text(value)
  if type(value) == 'string' then return value end
  if type(value) == 'number' and value >= 0 and value == math.floor(value) and value <= 9007199254740991 then
    return string.format('%.0f', value)
  end
  return nil
end
-- Whether the stored identity slots (decoded; nil or cjson.null when absent) name this key's
-- order: its id is orderId, else exOrderId, and its exchange is the key's.
local function own_identity(order_id, ex_order_id, exchange)
  if order_id == nil or order_id == cjson.null then order_id = ex_order_id end
  return id_text(order_id) == ARGV[1] and exchange == ARGV[8]
end
local function header(n)
  if n <= 15 then return string.char(0x90 + n) end
  return string.char(0xdc, math.floor(n / 256), n % 256)
end

local id, json, ttl = ARGV[1], ARGV[2] == 'json', tonumber(ARGV[3])
local version = tonumber(ARGV[7])
local raw = redis.call('GET', KEYS[4])
if (raw or '') ~= ARGV[9] then return {ScriptReply.stale} end
local now = now_ms()
if not raw then
  if ARGV[5] == '' then return {ScriptReply.none} end
  prune(now, tonumber(ARGV[4]))
  store(id, ARGV[5], ARGV[6], ttl, now)
  return {ScriptReply.added, ARGV[5]}
end
local given = {}
for i = 10, #ARGV, 2 do given[tonumber(ARGV[i])] = ARGV[i + 1] end
local bytes, status
if json then
  local ok, t = pcall(cjson.decode, raw)
  if not ok or type(t) ~= 'table' or #t ~= WIDTH or t[1] ~= version then
    return {ScriptReply.corrupt}
  end
  if not own_identity(t[2], t[3], t[4]) then return {ScriptReply.conflict} end
  local parts = {}
  for i = 1, WIDTH do
    local value = t[i]
    if given[i] then parts[i] = given[i]
    elseif value == cjson.null then parts[i] = 'null'
    elseif type(value) == 'number' then parts[i] = string.format('%.17g', value)
    elseif type(value) == 'table' then return {ScriptReply.corrupt}
    else parts[i] = cjson.encode(value) end
  end
  local stored = t[${STATUS_SLOT}]
  status = type(stored) == 'string' and stored or ''
  bytes = '[' .. table.concat(parts, ',') .. ']'
else
  local parts = split(raw)
  if not parts or parts[1] ~= string.char(version) then return {ScriptReply.corrupt} end
  local ok_id, order_id = pcall(cmsgpack.unpack, parts[2])
  local ok_ex, ex_order_id = pcall(cmsgpack.unpack, parts[3])
  local ok_exchange, exchange = pcall(cmsgpack.unpack, parts[4])
  if not (ok_id and ok_ex and ok_exchange and own_identity(order_id, ex_order_id, exchange)) then
    return {ScriptReply.conflict}
  end
  local ok, stored = pcall(cmsgpack.unpack, parts[${STATUS_SLOT}])
  if not ok or (stored ~= nil and type(stored) ~= 'string') then return {ScriptReply.corrupt} end
  status = stored or ''
  for i, value in pairs(given) do parts[i] = value end
  bytes = header(WIDTH) .. table.concat(parts)
end
if ARGV[6] ~= '' then status = ARGV[6] end
prune(now, tonumber(ARGV[4]))
store(id, bytes, status, ttl, now)
return {ScriptReply.ok, bytes}
`,
);

/** What {@link updateOrderScript} answers. */
export type UpdateReply =
  | { status: 'merged' | 'created'; bytes: Buffer }
  | { status: 'missing' }
  | { status: 'corrupt' }
  | { status: 'foreign' }
  | { status: 'changed' };

/**
 * Runs {@link UPDATE_ORDER}.
 * @param conn - Connection.
 * @param keys - The exchange's index keys and the order's key.
 * @param args - Id, the exchange its key names, retention, the record to create (or none), the
 *   new status (or none), the stored bytes the caller validated (`null`: none), and the encoded
 *   values by field.
 * @returns The merged or created bytes, or why nothing was written.
 * @internal
 */
export async function updateOrderScript(
  conn: CacheConnectionLike,
  keys: StateKeys & { order: string },
  args: {
    orderId: string;
    exchange: string;
    ttlMs: number;
    create: Buffer | undefined;
    status: string | undefined;
    expected: Buffer | null;
    values: ReadonlyMap<string, Buffer>;
  },
): Promise<UpdateReply> {
  const argv: (string | Buffer)[] = [
    args.orderId,
    conn.codec.name,
    String(args.ttlMs),
    String(PRUNE_LIMIT),
    args.create ?? '',
    args.status ?? '',
    String(OrderLayout.version),
    args.exchange,
    args.expected ?? '',
  ];
  for (const [field, bytes] of args.values) argv.push(String(orderSlot(field)), bytes);
  const [status, bytes] = await conn.runScript<[UpdateStatus, Buffer?], [UpdateStatus, Buffer?]>(
    UPDATE_ORDER,
    [keys.index, keys.byStatus, keys.expiry, keys.order],
    argv,
    BUFFERS,
    rejectCorrupt,
  );
  if ((status === ScriptReply.ok || status === ScriptReply.added) && bytes !== undefined) {
    return { status: status === ScriptReply.ok ? 'merged' : 'created', bytes };
  }
  if (status === ScriptReply.conflict) return { status: 'foreign' };
  if (status === ScriptReply.stale) return { status: 'changed' };
  return status === ScriptReply.corrupt ? { status: 'corrupt' } : { status: 'missing' };
}
