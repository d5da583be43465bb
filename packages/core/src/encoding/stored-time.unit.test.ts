import { describe, expect, it } from 'vitest';
import { ConfigurationError, DecodeError, ValidationError } from '../errors.js';
import {
  cacheOptions,
  isPlainObject,
  ownRecord,
  plainOptions,
} from '../validation/plain-object.js';
import { EpochMs, FiniteNumber, MAX_EPOCH_MS, Name } from '../validation/schemas.js';
import { validate } from '../validation/validation.js';
import { decodeStoredTime } from './stored-time.js';

function thrown(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('epoch-ms bounds', () => {
  it('EpochMs refuses times past the year 9999 (2**64, 1e308, microseconds)', () => {
    expect(validate(EpochMs, MAX_EPOCH_MS, 'at')).toBe(MAX_EPOCH_MS);
    expect(new Date(MAX_EPOCH_MS).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    for (const bad of [2 ** 64, 1e308, MAX_EPOCH_MS + 1, Date.now() * 1000]) {
      const error = thrown(() => validate(EpochMs, bad, 'at'));
      expect(ValidationError.is(error) && error.field, String(bad)).toBe('at');
    }
  });

  it('decodeStoredTime returns a valid stored time and refuses every other score', () => {
    expect(decodeStoredTime('1717171717171', 'k', 'm')).toBe(1_717_171_717_171);
    expect(decodeStoredTime(1_717_171_717_171.5, 'k')).toBe(1_717_171_717_171.5);
    for (const bad of ['inf', '-inf', '+inf', 'nan', '-1', '0', '1e300', '', 'x', 2 ** 64]) {
      const error = thrown(() => decodeStoredTime(bad, 'the-key', 'binance'));
      expect(DecodeError.is(error) && [error.key, error.field], String(bad)).toEqual([
        'the-key',
        'binance',
      ]);
    }
  });
});

describe('plain objects', () => {
  it('accepts {…} and null-prototype objects only', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(JSON.parse('{"__proto__":1}'))).toBe(true);
    for (const bad of [null, [], new Map(), new Set(), new Date(), 1, 'x', () => 1]) {
      expect(isPlainObject(bad), String(bad)).toBe(false);
    }
  });

  it('plainOptions and cacheOptions name options', () => {
    expect(plainOptions(undefined)).toEqual({});
    const method = thrown(() => plainOptions(null));
    expect(ValidationError.is(method) && method.field).toBe('options');
    const ctor = thrown(() => cacheOptions(new Map(), 'XCache'));
    expect(ConfigurationError.is(ctor) && ctor.variable).toBe('options');
  });

  it('ownRecord keeps keys named like Object.prototype members and names a bad entry', () => {
    const schema = ownRecord(Name, FiniteNumber);
    const input = JSON.parse('{"__proto__":1,"constructor":2,"prototype":3,"toString":4}');
    const out = validate(schema, input, 'r');
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'prototype', 'toString']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe(1);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    const bad = thrown(() => validate(schema, { a: 1, b: 'x' }, 'r'));
    expect(ValidationError.is(bad) && bad.field).toBe('b');
    for (const value of [new Map(), [], new Date(), null]) {
      const error = thrown(() => validate(schema, value, 'r'));
      expect(ValidationError.is(error) && error.field, String(value)).toBe('r');
    }
  });
});
