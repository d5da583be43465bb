import { MAX_NAME_LENGTH } from '../validation/schemas.js';
import { type Codec, msgpackCodec } from './codec.js';
import type { RecordLayout } from './layout.js';
import {
  MSGPACK_NUMBER_MAX_BYTES,
  msgpackStringMaxBytes,
  writeMsgpackNumber,
  writeMsgpackString,
} from './msgpack-writer.js';

/** msgpack `nil`, `false` and `true`. */
const NIL = 0xc0;
const FALSE = 0xc2;
const TRUE = 0xc3;

/**
 * Makes the hot-path encoder of a record layout: `encode(codec, record)` returns the very bytes
 * of `layout.encode(codec, record)`, but on the default msgpack codec it writes the tuple
 * directly, field by field, into a scratch buffer and copies it out from Node's buffer pool.
 * The general encoder builds the tuple, walks it with type checks and allocates a fresh
 * `ArrayBuffer` per record, which showed as a microsecond and a good part of the garbage of
 * every push.
 *
 * Written directly: numbers, booleans, absent fields (`nil`) and strings of at most
 * `maxStringLength` characters. A record holding anything else (a longer string, an object)
 * and any other codec go through `layout.encode`. Records must have passed the layout's rules
 * (well-formed strings): a lone surrogate may be written differently from the general encoder.
 * @param layout - The record layout (from `defineLayout`); the writer follows its `fields`.
 * @param maxStringLength - Longest string written directly, in UTF-16 code units; sizes the
 *   scratch buffer. Defaults to the longest name the schemas accept.
 * @returns The encoder.
 */
export function flatTupleEncoder<T>(
  layout: RecordLayout<T>,
  maxStringLength: number = MAX_NAME_LENGTH,
): (codec: Codec, record: T) => Buffer {
  const fields = layout.fields;
  const width = fields.length + 1;
  // Past 65 535 slots msgpack needs an array32 header: no layout comes near, the general
  // encoder serves it.
  if (width > 0xffff) return (codec, record) => layout.encode(codec, record);
  const perField = Math.max(msgpackStringMaxBytes(maxStringLength), MSGPACK_NUMBER_MAX_BYTES);
  const scratch = Buffer.allocUnsafeSlow(3 + MSGPACK_NUMBER_MAX_BYTES + fields.length * perField);
  return (codec, record) => {
    if (codec !== msgpackCodec) return layout.encode(codec, record);
    // The array header (fixarray or array16), then the layout version, then every field.
    let at: number;
    if (width < 16) {
      scratch[0] = 0x90 | width;
      at = 1;
    } else {
      scratch[0] = 0xdc;
      scratch[1] = width >>> 8;
      scratch[2] = width;
      at = 3;
    }
    at = writeMsgpackNumber(scratch, at, layout.version);
    const source = record as Record<string, unknown>;
    for (const field of fields) {
      const value = source[field];
      if (value === undefined || value === null) scratch[at++] = NIL;
      else if (typeof value === 'number') at = writeMsgpackNumber(scratch, at, value);
      else if (typeof value === 'boolean') scratch[at++] = value ? TRUE : FALSE;
      else if (typeof value === 'string' && value.length <= maxStringLength) {
        at = writeMsgpackString(scratch, at, value);
      } else return layout.encode(codec, record);
    }
    const out = Buffer.allocUnsafe(at);
    scratch.copy(out, 0, 0, at);
    return out;
  };
}
