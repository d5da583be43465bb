import { type Codec, FullonCacheError, msgpackCodec } from '@fullon/core';
import { MAX_NAME_LENGTH } from '@fullon/core/author';
import { TradeLayout } from './layouts.js';
import type { Trade } from './schema.js';

/**
 * Worst case of one encoded trade: the array header and version, 8 fields that may be names (at
 * most 256 UTF-16 units, so at most 768 UTF-8 bytes, plus a 3-byte header) and 13 numbers (at
 * most 9 bytes each).
 */
const MAX_BYTES = 4 + 8 * (3 * MAX_NAME_LENGTH + 3) + 13 * 9;
/** Where a trade is written before it is copied out at its exact size (from Node's pool). */
const scratch = Buffer.allocUnsafeSlow(MAX_BYTES);
const TWO_32 = 0x1_0000_0000;
/** The stored field order {@link encodeTrade} writes, checked against the layout at load. */
const ORDER = [
  'tradeId',
  'symbol',
  'side',
  'volume',
  'price',
  'cost',
  'fee',
  'time',
  'exTradeId',
  'exOrderId',
  'userId',
  'exId',
  'orderType',
  'leverage',
  'curVolume',
  'curAvgPrice',
  'curAvgCost',
  'curFee',
  'roi',
  'roiPct',
  'totalFee',
] as const;
if (TradeLayout.fields.join() !== ORDER.join() || TradeLayout.version > 0x7f) {
  throw new FullonCacheError('encodeTrade: the trade layout changed; update its field order');
}
/** `[array16 of 22 elements, layout version]`: the first 4 bytes of every encoded trade. */
const HEAD = [0xdc, 0x00, 1 + ORDER.length, TradeLayout.version] as const;

function u32(value: number, at: number): void {
  scratch[at] = value >>> 24;
  scratch[at + 1] = value >>> 16;
  scratch[at + 2] = value >>> 8;
  scratch[at + 3] = value;
}

/** Writes a number as `@msgpack/msgpack` does: the smallest integer form, else a float64. */
function writeNumber(value: number, at: number): number {
  if (!Number.isSafeInteger(value)) {
    scratch[at] = 0xcb;
    scratch.writeDoubleBE(value, at + 1);
    return at + 9;
  }
  if (value >= 0) {
    if (value < 0x80) {
      scratch[at] = value;
      return at + 1;
    }
    if (value < 0x100) {
      scratch[at] = 0xcc;
      scratch[at + 1] = value;
      return at + 2;
    }
    if (value < 0x10000) {
      scratch[at] = 0xcd;
      scratch[at + 1] = value >>> 8;
      scratch[at + 2] = value;
      return at + 3;
    }
    if (value < TWO_32) {
      scratch[at] = 0xce;
      u32(value, at + 1);
      return at + 5;
    }
    scratch[at] = 0xcf;
    u32(value / TWO_32, at + 1);
    u32(value, at + 5);
    return at + 9;
  }
  if (value >= -0x20) {
    scratch[at] = 0xe0 | (value + 0x20);
    return at + 1;
  }
  if (value >= -0x80) {
    scratch[at] = 0xd0;
    scratch[at + 1] = value;
    return at + 2;
  }
  if (value >= -0x8000) {
    scratch[at] = 0xd1;
    scratch[at + 1] = value >> 8;
    scratch[at + 2] = value;
    return at + 3;
  }
  if (value >= -0x8000_0000) {
    scratch[at] = 0xd2;
    u32(value, at + 1);
    return at + 5;
  }
  scratch[at] = 0xd3;
  u32(Math.floor(value / TWO_32), at + 1);
  u32(value, at + 5);
  return at + 9;
}

/** Writes a well-formed string (at most {@link MAX_NAME_LENGTH} units) as msgpack str. */
function writeString(value: string, at: number): number {
  const length = value.length;
  // ASCII, the common case: one byte per unit, copied here without a call into C++.
  let ascii = true;
  for (let i = 0; i < length; i++) {
    if (value.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const size = ascii ? length : Buffer.byteLength(value, 'utf8');
  let pos = at;
  if (size < 32) scratch[pos++] = 0xa0 | size;
  else if (size < 0x100) {
    scratch[pos++] = 0xd9;
    scratch[pos++] = size;
  } else {
    scratch[pos++] = 0xda;
    scratch[pos++] = size >>> 8;
    scratch[pos++] = size;
  }
  if (ascii) {
    for (let i = 0; i < length; i++) scratch[pos + i] = value.charCodeAt(i);
  } else {
    scratch.write(value, pos, size, 'utf8');
  }
  return pos + size;
}

/** Writes an optional field: absent as nil, else a number or a string. */
function writeOptional(value: string | number | undefined, at: number): number {
  if (value === undefined) {
    scratch[at] = 0xc0;
    return at + 1;
  }
  return typeof value === 'number' ? writeNumber(value, at) : writeString(value, at);
}

function long(value: string | number | undefined): boolean {
  return typeof value === 'string' && value.length > MAX_NAME_LENGTH;
}

/**
 * Whether every string of a validated trade is a name {@link writeString} takes (at most
 * {@link MAX_NAME_LENGTH} units, as the schema says; checked again so the scratch buffer can
 * never overflow).
 */
function fits(trade: Trade): boolean {
  return !(
    long(trade.tradeId) ||
    long(trade.symbol) ||
    long(trade.side) ||
    long(trade.exTradeId) ||
    long(trade.exOrderId) ||
    long(trade.userId) ||
    long(trade.exId) ||
    long(trade.orderType)
  );
}

/**
 * A validated trade's layout bytes under `codec`: the very bytes of `TradeLayout.encode`. On the
 * default msgpack codec they are written directly, field by field, into a scratch buffer and
 * copied out from Node's buffer pool: the general encoder builds the tuple, walks it with type
 * checks and allocates a fresh `ArrayBuffer` per trade, which showed as a microsecond and a
 * good part of the garbage of every push. A unit test checks the bytes against the general
 * encoder on many trades.
 * @param codec - The connection's codec.
 * @param trade - A trade that passed the {@link Trade} rules (well-formed strings, finite
 *   numbers).
 * @returns The bytes, a `Buffer` of their own.
 * @internal
 */
export function encodeTrade(codec: Codec, trade: Trade): Buffer {
  if (codec !== msgpackCodec || !fits(trade)) return TradeLayout.encode(codec, trade);
  scratch[0] = HEAD[0];
  scratch[1] = HEAD[1];
  scratch[2] = HEAD[2];
  scratch[3] = HEAD[3];
  // ORDER, field by field (the unit test compares the bytes with the general encoder's).
  let at = writeOptional(trade.tradeId, 4);
  at = writeString(trade.symbol, at);
  at = writeString(trade.side, at);
  at = writeNumber(trade.volume, at);
  at = writeNumber(trade.price, at);
  at = writeNumber(trade.cost, at);
  at = writeNumber(trade.fee, at);
  at = writeNumber(trade.time, at);
  at = writeOptional(trade.exTradeId, at);
  at = writeOptional(trade.exOrderId, at);
  at = writeOptional(trade.userId, at);
  at = writeOptional(trade.exId, at);
  at = writeOptional(trade.orderType, at);
  at = writeOptional(trade.leverage, at);
  at = writeOptional(trade.curVolume, at);
  at = writeOptional(trade.curAvgPrice, at);
  at = writeOptional(trade.curAvgCost, at);
  at = writeOptional(trade.curFee, at);
  at = writeOptional(trade.roi, at);
  at = writeOptional(trade.roiPct, at);
  at = writeOptional(trade.totalFee, at);
  const out = Buffer.allocUnsafe(at);
  scratch.copy(out, 0, 0, at);
  return out;
}
