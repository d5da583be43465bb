import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { MSGPACK_EDGE_NUMBERS } from '../testing/msgpack-edges.js';
import {
  MSGPACK_NUMBER_MAX_BYTES,
  msgpackStringMaxBytes,
  writeMsgpackNumber,
  writeMsgpackString,
} from './msgpack-writer.js';

/** Strings at every boundary of the msgpack str forms, ASCII and not. */
const STRINGS = [
  '',
  'a',
  'BTC/USDT',
  'x'.repeat(31),
  'x'.repeat(32),
  'x'.repeat(255),
  'x'.repeat(256),
  'y'.repeat(70_000),
  'café',
  '比特币',
  '🚀 to the moon',
  'é'.repeat(16),
  '€'.repeat(100),
];

/** What the writer produced for `value`, on a buffer with junk around it. */
function written(write: (out: Buffer, at: number) => number, size: number): Buffer {
  const out = Buffer.alloc(size + 6, 0xee);
  const end = write(out, 3);
  expect(out.subarray(0, 3)).toEqual(Buffer.from([0xee, 0xee, 0xee]));
  expect(end - 3).toBeLessThanOrEqual(size);
  return out.subarray(3, end);
}

describe('the msgpack writer', () => {
  it.each(MSGPACK_EDGE_NUMBERS)('writes %d as @msgpack/msgpack does', (value) => {
    const bytes = written(
      (out, at) => writeMsgpackNumber(out, at, value),
      MSGPACK_NUMBER_MAX_BYTES,
    );
    expect(bytes).toEqual(Buffer.from(encode(value)));
  });

  it.each(STRINGS.map((s) => [s.length, s] as const))(
    'writes a string of %d units as @msgpack/msgpack does',
    (_, value) => {
      const max = msgpackStringMaxBytes(value.length);
      const bytes = written((out, at) => writeMsgpackString(out, at, value), max);
      expect(bytes).toEqual(Buffer.from(encode(value)));
    },
  );

  it('agrees on random integers and floats', () => {
    for (let i = 0; i < 5_000; i++) {
      const magnitude = 2 ** Math.floor(Math.random() * 60);
      const value =
        i % 3 === 0
          ? (Math.random() - 0.5) * magnitude
          : Math.round((Math.random() - 0.5) * magnitude);
      const bytes = written(
        (out, at) => writeMsgpackNumber(out, at, value),
        MSGPACK_NUMBER_MAX_BYTES,
      );
      expect(bytes, String(value)).toEqual(Buffer.from(encode(value)));
    }
  });
});
