import type { Codec } from '@fullon/core';
import { MSGPACK_NUMBER_MAX_BYTES, writeMsgpackNumber } from '@fullon/core/author';
import { BarLayout, barFields } from './layouts.js';
import type { Bar } from './schema.js';

/** The bytes one upsert sends: each bar's member, and the message listing them all. */
export interface BarBytes {
  /** Each bar's stored bytes (the layout tuple under the codec). */
  members: Buffer[];
  /** The published message: the list of the same tuples under the codec. */
  message: Buffer;
}

/** Longest msgpack form of one tuple: array header, version, six numbers of at most 9 bytes. */
const MAX_TUPLE_BYTES = 2 + 6 * MSGPACK_NUMBER_MAX_BYTES;

/**
 * Encodes validated bars for one upsert. With the msgpack codec, writes every tuple into one
 * buffer by hand, byte for byte what `@msgpack/msgpack` writes (checked by a unit test), and
 * slices the members out of the message without copying: encoding each of 100 bars through
 * the general encoder cost several times the rest of the call. Any other codec goes through
 * `codec.encode`.
 * @param codec - The connection's codec.
 * @param bars - Validated bars, in the order to store.
 * @returns Members and message.
 * @internal
 */
export function encodeBars(codec: Codec, bars: readonly Bar[]): BarBytes {
  const n = bars.length;
  if (codec.name !== 'msgpack') {
    const tuples = bars.map((bar) => BarLayout.toTuple(barFields(bar)));
    return { members: tuples.map((t) => codec.encode(t)), message: codec.encode(tuples) };
  }
  const out = Buffer.allocUnsafe(5 + n * MAX_TUPLE_BYTES);
  let at: number;
  if (n < 16) {
    out[0] = 0x90 + n;
    at = 1;
  } else if (n < 0x10000) {
    out[0] = 0xdc;
    out.writeUInt16BE(n, 1);
    at = 3;
  } else {
    out[0] = 0xdd;
    out.writeUInt32BE(n, 1);
    at = 5;
  }
  const members: Buffer[] = new Array<Buffer>(n);
  for (let i = 0; i < n; i++) {
    const bar = bars[i] as Bar;
    const start = at;
    out[at] = 0x97;
    out[at + 1] = BarLayout.version;
    at += 2;
    for (let k = 0; k < 6; k++) at = writeMsgpackNumber(out, at, bar[k] as number);
    members[i] = out.subarray(start, at);
  }
  return { members, message: out.subarray(0, at) };
}
