import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DecodeError, FullonCacheError, ValidationError } from '../errors.js';
import { useTestConnection } from '../testing/index.js';
import { EpochMs, FiniteNumber, Name, NonNegative, PositiveMs } from '../validation/schemas.js';
import { validate } from '../validation/validation.js';
import { type Codec, jsonCodec, msgpackCodec } from './codec.js';
import { defineLayout } from './layout.js';

const Fill = v.object({
  symbol: Name,
  side: v.picklist(['buy', 'sell']),
  price: NonNegative,
  time: EpochMs,
  reduceOnly: v.boolean(),
  fee: v.optional(FiniteNumber),
  note: v.optional(v.string()),
});

const FillLayout = defineLayout({
  name: 'fill',
  version: 2,
  schema: Fill,
  fields: ['price', 'time', 'symbol', 'side', 'reduceOnly', 'fee', 'note'],
});

const FULL = {
  symbol: 'BTC/USDT',
  side: 'buy',
  price: 65_000.5,
  time: 1_717_171_717_171,
  reduceOnly: true,
  fee: -0.25,
  note: 'ünïcödé 🚀',
} as const;

/** Calls `fn`, expects it to throw, and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new FullonCacheError('expected a throw, nothing was thrown');
}

/** Calls `fn`, expects a DecodeError, and returns it. */
function decodeError(fn: () => unknown): DecodeError {
  const error = thrown(fn);
  expect(DecodeError.is(error), String(error)).toBe(true);
  return error as DecodeError;
}

/** Calls `fn`, expects a ValidationError, and returns it. */
function validationError(fn: () => unknown): ValidationError {
  const error = thrown(fn);
  expect(ValidationError.is(error), String(error)).toBe(true);
  return error as ValidationError;
}

describe.each([
  ['msgpack', msgpackCodec],
  ['json', jsonCodec],
] as [string, Codec][])('layout over %s, through Redis', (_name, codec) => {
  const conn = useTestConnection();

  /** HSETs the bytes, reads them back with buffers, and returns them. */
  async function storeAndRead(
    field: string,
    bytes: Buffer,
  ): Promise<{ key: string; stored: Buffer }> {
    const key = conn().keys.tagged('fills', codec.name, 'hash');
    await conn().send(key, ['HSET', key, field, bytes]);
    const stored = await conn().send<Buffer>(key, ['HGET', key, field], { buffers: true });
    expect(Buffer.isBuffer(stored)).toBe(true);
    return { key, stored };
  }

  it('round-trips a complete record', async () => {
    const record = FillLayout.parse(FULL);
    const { key, stored } = await storeAndRead('full', FillLayout.encode(codec, record));
    expect(FillLayout.decode(codec, stored, key, 'full')).toStrictEqual(FULL);
  });

  it('keeps falsy values and brings omitted optional fields back absent', async () => {
    const input = { symbol: 'ETH/USDT', side: 'sell', price: 0, time: 1e11, reduceOnly: false };
    const record = FillLayout.parse(input);
    const { key, stored } = await storeAndRead('sparse', FillLayout.encode(codec, record));
    const decoded = FillLayout.decode(codec, stored, key, 'sparse');
    expect(decoded).toStrictEqual(input);
    expect('fee' in decoded).toBe(false);
    expect('note' in decoded).toBe(false);
  });

  it('throws DecodeError carrying key and field for corrupt bytes', async () => {
    const garbage = codec.name === 'json' ? Buffer.from('[2, 1, tru') : Buffer.from([0xc1, 0x00]);
    const { key, stored } = await storeAndRead('corrupt', garbage);
    const error = decodeError(() => FillLayout.decode(codec, stored, key, 'corrupt'));
    expect(error.key).toBe(key);
    expect(error.field).toBe('corrupt');
    expect(error.code).toBe('DECODE');
    expect(error.message).toContain(key);
    expect(error.message).toContain('corrupt');
    expect(error.cause).toBeDefined();
  });

  it('throws DecodeError for truncated bytes', async () => {
    const bytes = FillLayout.encode(codec, FillLayout.parse(FULL));
    const { key, stored } = await storeAndRead('truncated', bytes.subarray(0, bytes.length - 4));
    expect(decodeError(() => FillLayout.decode(codec, stored, key, 'truncated')).key).toBe(key);
  });

  it('throws DecodeError for a record of another layout version', async () => {
    const tuple = FillLayout.toTuple(FillLayout.parse(FULL));
    tuple[0] = 1;
    const { key, stored } = await storeAndRead('old', codec.encode(tuple));
    const error = decodeError(() => FillLayout.decode(codec, stored, key, 'old'));
    expect(error.field).toBe('old');
    expect(error.message).toContain('version 2');
  });

  it.each([
    ['a string where a number belongs', 1, 'not a price', 'price'],
    ['a number where a string belongs', 3, 42, 'symbol'],
    ['a number where a picklist string belongs', 4, 1, 'side'],
    ['a string where a boolean belongs', 5, 'true', 'reduceOnly'],
    ['null in a required slot', 2, null, 'time'],
  ])('throws DecodeError for %s', async (_label, index, value, field) => {
    const tuple = FillLayout.toTuple(FillLayout.parse(FULL));
    tuple[index] = value;
    const { key, stored } = await storeAndRead(`bad-${field}`, codec.encode(tuple));
    const error = decodeError(() => FillLayout.decode(codec, stored, key, `bad-${field}`));
    expect(error.message).toContain(`fill.${field}`);
    expect(error.key).toBe(key);
  });

  it.each([
    ['a tuple one slot short', () => FillLayout.toTuple(FillLayout.parse(FULL)).slice(0, -1)],
    ['a tuple one slot long', () => [...FillLayout.toTuple(FillLayout.parse(FULL)), 1]],
    ['an object instead of a tuple', () => ({ ...FULL })],
    ['a bare number', () => 2],
  ])('throws DecodeError for %s', async (label, make) => {
    const { key, stored } = await storeAndRead(label, codec.encode(make()));
    expect(decodeError(() => FillLayout.decode(codec, stored, key, label)).field).toBe(label);
  });
});

describe('layout parse', () => {
  it.each([
    ['price', { ...FULL, price: -1 }],
    ['price', { ...FULL, price: Number.NaN }],
    ['price', { ...FULL, price: '1' }],
    ['symbol', { ...FULL, symbol: '' }],
    ['symbol', { price: 1, side: 'buy', time: 1e12, reduceOnly: true }],
    ['side', { ...FULL, side: 'hold' }],
    ['time', { ...FULL, time: 1_717_171_717 }],
    ['reduceOnly', { ...FULL, reduceOnly: 'yes' }],
    ['fee', { ...FULL, fee: Number.POSITIVE_INFINITY }],
    ['note', { ...FULL, note: 5 }],
  ])('rejects a bad %s with a ValidationError naming it', (field, input) => {
    const error = validationError(() => FillLayout.parse(input));
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.code).toBe('VALIDATION');
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it('names the record itself when the input is not an object', () => {
    expect(validationError(() => FillLayout.parse('nope')).field).toBe('fill');
  });

  it('refuses a field list that does not match the schema', () => {
    for (const fields of [
      ['price', 'time'],
      ['price', 'price', 'time', 'symbol', 'side', 'reduceOnly', 'fee', 'note'],
    ] as ('price' | 'time' | 'symbol' | 'side' | 'reduceOnly' | 'fee' | 'note')[][]) {
      const error = thrown(() => defineLayout({ name: 'fill', version: 1, schema: Fill, fields }));
      expect(FullonCacheError.is(error)).toBe(true);
    }
  });
});

describe('schemas', () => {
  it('EpochMs rejects seconds-looking values with a message about seconds', () => {
    for (const seconds of [1_717_171_717, 0, 99_999_999_999]) {
      const error = validationError(() => validate(EpochMs, seconds, 'time'));
      expect(error.field).toBe('time');
      expect(error.message).toMatch(/seconds/);
      expect(error.message).toMatch(/milliseconds/);
    }
    expect(validate(EpochMs, 1_717_171_717_171)).toBe(1_717_171_717_171);
    expect(validate(EpochMs, 1e11)).toBe(1e11);
  });

  it('EpochMs rejects non-finite values and non-numbers', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '1717171717171', null]) {
      expect(validationError(() => validate(EpochMs, bad, 'time')).field).toBe('time');
    }
  });

  it('PositiveMs accepts whole positive milliseconds only', () => {
    expect(validate(PositiveMs, 60_000)).toBe(60_000);
    for (const bad of [0, -1, 1.5])
      expect(ValidationError.is(thrown(() => validate(PositiveMs, bad)))).toBe(true);
  });
});
