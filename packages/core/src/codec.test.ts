import { describe, expect, it } from 'vitest';
import { asBuffer, type Codec, createMsgpackCodec, jsonCodec, msgpackCodec } from './codec.js';
import { useTestConnection } from './testing/index.js';

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
