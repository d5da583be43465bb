/**
 * Hand-written msgpack for hot encoders (a trade, a batch of bars): each function writes one
 * value into a caller's buffer at `at`, byte for byte as `@msgpack/msgpack`'s encoder would,
 * and returns the position after it. Checked against that encoder by a unit test.
 * @module
 */

/** Most bytes {@link writeMsgpackNumber} writes. */
export const MSGPACK_NUMBER_MAX_BYTES = 9;

const TWO_32 = 0x1_0000_0000;

function u32(out: Buffer, value: number, at: number): void {
  out[at] = value >>> 24;
  out[at + 1] = value >>> 16;
  out[at + 2] = value >>> 8;
  out[at + 3] = value;
}

/**
 * Writes a number: the smallest integer form for a safe integer, else a float64.
 * @param out - The buffer; needs {@link MSGPACK_NUMBER_MAX_BYTES} bytes free at `at`.
 * @param at - Where to write.
 * @param value - The number.
 * @returns The position after it.
 */
export function writeMsgpackNumber(out: Buffer, at: number, value: number): number {
  if (!Number.isSafeInteger(value)) {
    out[at] = 0xcb;
    out.writeDoubleBE(value, at + 1);
    return at + 9;
  }
  if (value >= 0) {
    if (value < 0x80) {
      out[at] = value;
      return at + 1;
    }
    if (value < 0x100) {
      out[at] = 0xcc;
      out[at + 1] = value;
      return at + 2;
    }
    if (value < 0x10000) {
      out[at] = 0xcd;
      out[at + 1] = value >>> 8;
      out[at + 2] = value;
      return at + 3;
    }
    if (value < TWO_32) {
      out[at] = 0xce;
      u32(out, value, at + 1);
      return at + 5;
    }
    out[at] = 0xcf;
    u32(out, value / TWO_32, at + 1);
    u32(out, value, at + 5);
    return at + 9;
  }
  if (value >= -0x20) {
    out[at] = 0xe0 | (value + 0x20);
    return at + 1;
  }
  if (value >= -0x80) {
    out[at] = 0xd0;
    out[at + 1] = value;
    return at + 2;
  }
  if (value >= -0x8000) {
    out[at] = 0xd1;
    out[at + 1] = value >> 8;
    out[at + 2] = value;
    return at + 3;
  }
  if (value >= -0x8000_0000) {
    out[at] = 0xd2;
    u32(out, value, at + 1);
    return at + 5;
  }
  out[at] = 0xd3;
  u32(out, Math.floor(value / TWO_32), at + 1);
  u32(out, value, at + 5);
  return at + 9;
}

/**
 * Most bytes {@link writeMsgpackString} writes for a string of `length` UTF-16 units.
 * @param length - The string's length.
 * @returns Header plus at most three UTF-8 bytes per unit.
 */
export function msgpackStringMaxBytes(length: number): number {
  return 5 + 3 * length;
}

/**
 * Writes a well-formed string as msgpack str (UTF-8).
 * @param out - The buffer; needs {@link msgpackStringMaxBytes} bytes free at `at`.
 * @param at - Where to write.
 * @param value - The string.
 * @returns The position after it.
 */
export function writeMsgpackString(out: Buffer, at: number, value: string): number {
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
  if (size < 32) out[pos++] = 0xa0 | size;
  else if (size < 0x100) {
    out[pos++] = 0xd9;
    out[pos++] = size;
  } else if (size < 0x10000) {
    out[pos++] = 0xda;
    out[pos++] = size >>> 8;
    out[pos++] = size;
  } else {
    out[pos++] = 0xdb;
    u32(out, size, pos);
    pos += 4;
  }
  if (ascii) {
    for (let i = 0; i < length; i++) out[pos + i] = value.charCodeAt(i);
  } else {
    out.write(value, pos, size, 'utf8');
  }
  return pos + size;
}
