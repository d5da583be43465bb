import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { MSGPACK_EDGE_NUMBERS } from '../testing/msgpack-edges.js';
import { MAX_NAME_LENGTH } from '../validation/schemas.js';
import { createMsgpackCodec, jsonCodec, msgpackCodec } from './codec.js';
import { flatTupleEncoder } from './flat-encoder.js';
import { defineLayout } from './layout.js';

/** Strings of every msgpack str form up to a name's length, ASCII and not. */
const STRINGS = [
  '',
  'x',
  'BTC/USDT',
  'a'.repeat(31),
  'a'.repeat(32),
  'a'.repeat(MAX_NAME_LENGTH),
  'é'.repeat(16),
  '比特币/USDT',
  '币'.repeat(MAX_NAME_LENGTH),
  '😀'.repeat(MAX_NAME_LENGTH / 2),
  'x\u007f\u0080',
];

/** A small layout (fixarray header): a number, a string, a flag, and an optional of each. */
const Small = defineLayout({
  name: 'small',
  version: 3,
  schema: v.object({
    n: v.number(),
    s: v.string(),
    b: v.boolean(),
    on: v.optional(v.number()),
    os: v.optional(v.string()),
    ob: v.optional(v.boolean()),
  }),
  fields: ['n', 's', 'b', 'on', 'os', 'ob'],
});

/** A layout of `count` optional scalar fields `f0`, `f1`, …, at layout version 300. */
function layoutOf(count: number) {
  const fields = Array.from({ length: count }, (_, i) => `f${i}`);
  const scalarSchema = v.optional(v.union([v.number(), v.string(), v.boolean()]));
  return defineLayout({
    name: `wide-${count}`,
    version: 300,
    schema: v.object(Object.fromEntries(fields.map((f) => [f, scalarSchema]))),
    fields,
  });
}

/** Both encodings of `record` as hex, for a fast comparison with a readable failure. */
function hexOf<T>(encode: (codec: typeof msgpackCodec, record: T) => Buffer, record: T): string {
  return encode(msgpackCodec, record).toString('hex');
}

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)] as T;
}

/** A random scalar of any kind the writer handles, or absent. */
function scalar(): number | string | boolean | undefined {
  const kind = Math.floor(Math.random() * 4);
  if (kind === 0) return pick(MSGPACK_EDGE_NUMBERS);
  if (kind === 1) return pick(STRINGS);
  if (kind === 2) return Math.random() < 0.5;
  return undefined;
}

describe('flatTupleEncoder', () => {
  const small = flatTupleEncoder(Small);

  it('writes the bytes of the general encoder for every number, string and flag (fixarray)', () => {
    for (const n of MSGPACK_EDGE_NUMBERS) {
      for (const s of STRINGS) {
        for (const b of [true, false]) {
          const record = { n, s, b, on: -n, os: s, ob: !b };
          expect(hexOf(small, record)).toBe(hexOf((c, r) => Small.encode(c, r), record));
          const bare = { n, s, b };
          expect(hexOf(small, bare)).toBe(hexOf((c, r) => Small.encode(c, r), bare));
        }
      }
    }
  });

  // 15 slots is the last fixarray, 16 the first array16.
  it.each([14, 15, 20])(
    'writes the bytes of the general encoder on random records of %d fields (version 300)',
    (count) => {
      const layout = layoutOf(count);
      const encode = flatTupleEncoder(layout);
      for (let k = 0; k < 500; k++) {
        const record = Object.fromEntries(layout.fields.map((f) => [f, scalar()]));
        expect(hexOf(encode, record)).toBe(hexOf((c, r) => layout.encode(c, r), record));
      }
    },
  );

  it('hands each record its own buffer: a later call does not change an earlier result', () => {
    const first = small(msgpackCodec, { n: 1, s: 'first', b: true });
    const copy = Buffer.from(first);
    small(msgpackCodec, { n: 2, s: 'second one', b: false });
    expect(first).toEqual(copy);
  });

  it('leaves longer strings, other values and other codecs to the layout', () => {
    const long = { n: 1, s: 'z'.repeat(MAX_NAME_LENGTH + 1), b: true };
    expect(small(msgpackCodec, long)).toEqual(Small.encode(msgpackCodec, long));
    const record = { n: 1.5, s: 'BTC/USDT', b: false };
    expect(small(jsonCodec, record)).toEqual(Small.encode(jsonCodec, record));
    const other = createMsgpackCodec();
    expect(small(other, record)).toEqual(Small.encode(other, record));
    const odd = { n: 1, s: 'x', b: true, os: { nested: true } } as unknown as Parameters<
      typeof small
    >[1];
    expect(small(msgpackCodec, odd)).toEqual(Small.encode(msgpackCodec, odd));
  });
});
