import { Decoder, Encoder } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { useTestConnection } from '../testing/index.js';
import { asBuffer, type Codec, createMsgpackCodec, jsonCodec, msgpackCodec } from './codec.js';
import { decodeFlatTuple } from './flat-tuple.js';

/** Plain data every codec must carry unchanged. */
const PLAIN: Record<string, unknown> = {
  'ascii string': 'hello',
  'empty string': '',
  'unicode string': 'ünïcödé 比特币 🚀 e\u0301',
  'string with NUL and newline': 'a\u0000b\nc',
  zero: 0,
  int: 42,
  negative: -17,
  'large negative': -(2 ** 40),
  float: 0.1 + 0.2,
  'negative float': -1234.5678,
  'tiny float': 5e-324,
  'ms timestamp': 1_717_171_717_171,
  'far-future ms timestamp': 4_102_444_800_000,
  'max safe integer': Number.MAX_SAFE_INTEGER,
  'min safe integer': Number.MIN_SAFE_INTEGER,
  true: true,
  false: false,
  null: null,
  'empty array': [],
  'empty object': {},
  'nested array': [1, ['a', [null, true, [2.5, []]]], -3],
  'nested object': { a: 1, b: 'x', c: { d: [1, 2, { e: null, f: false }] }, 'key with:colon': 0 },
  'record tuple': [1, 'BTC/USDT', 65_000.5, 1_717_171_717_171, null, 0.001],
};

const CODECS: [string, Codec][] = [
  ['msgpack (default)', msgpackCodec],
  ['msgpack (fresh)', createMsgpackCodec()],
  ['json', jsonCodec],
];

describe.each(CODECS)('%s codec', (_name, codec) => {
  const conn = useTestConnection();

  it.each(Object.entries(PLAIN))('round-trips %s through Redis', async (label, value) => {
    const key = conn().keys.key('codec', codec.name, label);
    const bytes = codec.encode(value);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    await conn().send(key, ['SET', key, bytes]);
    const stored = await conn().send<Buffer>(key, ['GET', key], { buffers: true });
    expect(stored.equals(bytes)).toBe(true);
    expect(codec.decode(stored)).toStrictEqual(value);
  });

  it('returns bytes that a later encode does not overwrite', () => {
    const first = codec.encode({ a: 'first', n: 1 });
    const second = codec.encode(['second', 2, 'x'.repeat(100)]);
    expect(codec.decode(first)).toStrictEqual({ a: 'first', n: 1 });
    expect(codec.decode(second)).toStrictEqual(['second', 2, 'x'.repeat(100)]);
  });

  it('decodes from a plain Uint8Array as well as a Buffer', () => {
    const bytes = codec.encode([1, 'two']);
    expect(codec.decode(new Uint8Array(bytes))).toStrictEqual([1, 'two']);
  });

  it('throws on bytes it did not produce', () => {
    const garbage = codec.name === 'json' ? Buffer.from('{"a":') : Buffer.from([0xc1]);
    expect(() => codec.decode(garbage)).toThrow();
  });
});

describe('msgpack binary values', () => {
  const conn = useTestConnection();

  it.each([
    ['Buffer', Buffer.from([0, 1, 2, 0xff, 0x80])],
    ['Uint8Array', new Uint8Array([9, 8, 7, 0])],
    ['empty Buffer', Buffer.alloc(0)],
    ['Uint8Array view with an offset', new Uint8Array(new ArrayBuffer(32), 5, 7).fill(0xab)],
  ])('round-trips a %s through Redis, as bytes', async (label, bytes) => {
    const key = conn().keys.key('codec-bin', label);
    const encoded = msgpackCodec.encode({ payload: bytes, nested: [bytes] });
    await conn().send(key, ['SET', key, encoded]);
    const stored = await conn().send<Buffer>(key, ['GET', key], { buffers: true });
    const decoded = msgpackCodec.decode(stored) as { payload: Uint8Array; nested: Uint8Array[] };
    expect(decoded.payload).toBeInstanceOf(Uint8Array);
    expect([...decoded.payload]).toStrictEqual([...bytes]);
    expect([...(decoded.nested[0] ?? [])]).toStrictEqual([...bytes]);
  });

  it('drops undefined object members instead of storing them', () => {
    expect(msgpackCodec.decode(msgpackCodec.encode({ a: 1, b: undefined }))).toStrictEqual({
      a: 1,
    });
  });

  it('encodes a tuple smaller than the same record as a JSON object', () => {
    const tuple = [1, 65_000.5, 1_717_171_717_171, 'BTC/USDT', 'binance', 64_999.5, 65_001.5];
    const object = {
      price: 65_000.5,
      time: 1_717_171_717_171,
      symbol: 'BTC/USDT',
      exchange: 'binance',
      bid: 64_999.5,
      ask: 65_001.5,
    };
    expect(msgpackCodec.encode(tuple).length).toBeLessThan(jsonCodec.encode(object).length);
  });
});

describe('asBuffer', () => {
  it('wraps a Uint8Array without copying', () => {
    const backing = new ArrayBuffer(16);
    const view = new Uint8Array(backing, 4, 8);
    const buffer = asBuffer(view);
    expect(Buffer.isBuffer(buffer)).toBe(true);
    expect(buffer.buffer).toBe(backing);
    expect(buffer.byteOffset).toBe(4);
    expect(buffer.byteLength).toBe(8);
    buffer[0] = 0x7f;
    expect(view[0]).toBe(0x7f);
    expect(new Uint8Array(backing)[4]).toBe(0x7f);
  });

  it('returns a Buffer as it is', () => {
    const buffer = Buffer.from('abc');
    expect(asBuffer(buffer)).toBe(buffer);
  });
});

describe('decodeFlatTuple (the fast path of the msgpack codec)', () => {
  const general = new Decoder();
  const encoder = new Encoder();
  const scalars: (() => unknown)[] = [
    () => null,
    () => Math.random() < 0.5,
    () => Math.floor(Math.random() * 128),
    () => -Math.floor(Math.random() * 32) - 1,
    () => Math.floor(Math.random() * 2 ** 8),
    () => Math.floor(Math.random() * 2 ** 16),
    () => Math.floor(Math.random() * 2 ** 32),
    () => Math.floor(Math.random() * 2 ** 53),
    () => -Math.floor(Math.random() * 2 ** 7),
    () => -Math.floor(Math.random() * 2 ** 15),
    () => -Math.floor(Math.random() * 2 ** 31),
    () => -Math.floor(Math.random() * 2 ** 53),
    () => (Math.random() - 0.5) * 1e9,
    () => 1.7e12 + Math.random(),
    () => 'BTC/USDT',
    () => '',
    () => 'ünïcödé ✓ 🚀',
    () => 'x'.repeat(31),
    () => 'y'.repeat(255),
    () => 'z'.repeat(70_000),
  ];

  it('decodes every flat scalar tuple exactly as the general decoder does', () => {
    for (let round = 0; round < 2_000; round++) {
      const length = Math.floor(Math.random() * 20);
      const tuple = Array.from({ length }, () =>
        scalars[Math.floor(Math.random() * scalars.length)]?.(),
      );
      const bytes = Buffer.from(encoder.encode(tuple));
      expect(decodeFlatTuple(bytes)).toStrictEqual(general.decode(bytes));
    }
    const wide = Array.from({ length: 40 }, (_, i) => i * 1.5);
    expect(decodeFlatTuple(Buffer.from(encoder.encode(wide)))).toStrictEqual(wide);
  });

  it('declines anything else, so the general decoder decides', () => {
    for (const value of [{ a: 1 }, [1, [2]], [new Uint8Array([1])], 'text', 42, [{ a: 1 }]]) {
      expect(decodeFlatTuple(Buffer.from(encoder.encode(value)))).toBeUndefined();
    }
    const bytes = Buffer.from(encoder.encode([1, 'abc', 2.5]));
    expect(decodeFlatTuple(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(decodeFlatTuple(Buffer.concat([bytes, Buffer.from([0])]))).toBeUndefined();
    expect(decodeFlatTuple(Buffer.alloc(0))).toBeUndefined();
    expect(() => msgpackCodec.decode(bytes.subarray(0, bytes.length - 1))).toThrow();
  });
});
