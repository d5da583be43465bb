import { type Codec, FullonCacheError, msgpackCodec } from '@fullon/core';
import {
  MAX_NAME_LENGTH,
  MSGPACK_NUMBER_MAX_BYTES,
  msgpackStringMaxBytes,
  writeMsgpackNumber,
  writeMsgpackString,
} from '@fullon/core/author';
import { TradeLayout } from './layouts.js';
import type { Trade } from './schema.js';

/** The stored fields, in layout order: the writer follows the layout, never a copy of it. */
const FIELDS = TradeLayout.fields as readonly (keyof Trade)[];
if (FIELDS.length + 1 < 16 || FIELDS.length + 1 > 0xffff || TradeLayout.version > 0x7f) {
  throw new FullonCacheError('encodeTrade: the trade layout no longer takes an array16 header');
}
/** Worst case of one encoded trade: header and version, every field a name or a number. */
const MAX_BYTES =
  4 + FIELDS.length * Math.max(msgpackStringMaxBytes(MAX_NAME_LENGTH), MSGPACK_NUMBER_MAX_BYTES);
/** Where a trade is written before it is copied out at its exact size (from Node's pool). */
const scratch = Buffer.allocUnsafeSlow(MAX_BYTES);

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
  if (codec !== msgpackCodec) return TradeLayout.encode(codec, trade);
  // `[array16 of version + fields, layout version]`, then each field: absent as nil.
  scratch[0] = 0xdc;
  scratch[1] = (FIELDS.length + 1) >>> 8;
  scratch[2] = FIELDS.length + 1;
  scratch[3] = TradeLayout.version;
  let at = 4;
  for (const field of FIELDS) {
    const value = trade[field];
    if (value === undefined) scratch[at++] = 0xc0;
    else if (typeof value === 'number') at = writeMsgpackNumber(scratch, at, value);
    // A string longer than a name (the schema forbids it) would not fit the scratch buffer.
    else if (value.length > MAX_NAME_LENGTH) return TradeLayout.encode(codec, trade);
    else at = writeMsgpackString(scratch, at, value);
  }
  const out = Buffer.allocUnsafe(at);
  scratch.copy(out, 0, 0, at);
  return out;
}
