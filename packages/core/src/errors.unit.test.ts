import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  ConnectionError,
  DecodeError,
  FullonCacheError,
  type FullonCacheErrorCode,
  LockError,
  PubSubError,
  TimeoutError,
  ValidationError,
} from './errors.js';
import { validate } from './validation/validation.js';

const MARKER = Symbol.for('@fullon/core.FullonCacheError');
const cause = new RangeError('underlying');

interface Case {
  name: string;
  code: FullonCacheErrorCode;
  make: (withCause: boolean) => FullonCacheError;
  is: (value: unknown) => boolean;
  type: abstract new (...args: never[]) => FullonCacheError;
}

const opts = (withCause: boolean) => (withCause ? { cause } : {});

const CASES: Case[] = [
  {
    name: 'FullonCacheError',
    code: 'FULLON_CACHE_ERROR',
    make: (c) => new FullonCacheError('root', 'FULLON_CACHE_ERROR', opts(c)),
    is: FullonCacheError.is,
    type: FullonCacheError,
  },
  {
    name: 'ConnectionError',
    code: 'CONNECTION',
    make: (c) => new ConnectionError('down', opts(c)),
    is: ConnectionError.is,
    type: ConnectionError,
  },
  {
    name: 'ConfigurationError',
    code: 'CONFIGURATION',
    make: (c) => new ConfigurationError('REDIS_PORT', 'bad', opts(c)),
    is: ConfigurationError.is,
    type: ConfigurationError,
  },
  {
    name: 'DecodeError',
    code: 'DECODE',
    make: (c) => new DecodeError('fullon:k', 'f', 'corrupt', opts(c)),
    is: DecodeError.is,
    type: DecodeError,
  },
  {
    name: 'PubSubError',
    code: 'PUBSUB',
    make: (c) => new PubSubError('sub', opts(c)),
    is: PubSubError.is,
    type: PubSubError,
  },
  {
    name: 'LockError',
    code: 'LOCK',
    make: (c) => new LockError('held', opts(c)),
    is: LockError.is,
    type: LockError,
  },
  {
    name: 'TimeoutError',
    code: 'TIMEOUT',
    make: (c) => new TimeoutError('slow', opts(c)),
    is: TimeoutError.is,
    type: TimeoutError,
  },
];

/** What a copy of this class from a duplicate install of the package looks like. */
function foreign(code: FullonCacheErrorCode, name: string): Error {
  const error = new Error('from another copy of @fullon/core');
  error.name = name;
  Object.assign(error, { code, [MARKER]: true });
  return error;
}

describe.each(CASES)('$name', ({ name, code, make, is, type }) => {
  it('has its name, code, message, stack and cause', () => {
    const error = make(true);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.cause).toBe(cause);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.stack).toContain(name);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(FullonCacheError);
    expect(error).toBeInstanceOf(type);
    expect('cause' in make(false)).toBe(false);
  });

  it('is() recognises its own errors and a duplicate carrying the marker and the code', () => {
    expect(is(make(false))).toBe(true);
    expect(is(foreign(code, name))).toBe(true);
    expect(FullonCacheError.is(foreign(code, name))).toBe(true);
  });

  it('is() rejects other codes, plain errors and non-errors', () => {
    for (const other of CASES.filter((c) => c.code !== code)) {
      if (name !== 'FullonCacheError') {
        expect(is(other.make(false)), other.name).toBe(false);
        expect(is(foreign(other.code, other.name)), other.name).toBe(false);
      }
    }
    const plain = new Error('plain');
    Object.assign(plain, { code });
    for (const value of [plain, { code }, null, undefined, 'ConnectionError', 42]) {
      expect(is(value)).toBe(false);
    }
  });
});

describe('subclass guards', () => {
  it('FullonCacheError.is accepts every class of the family', () => {
    for (const c of CASES) expect(FullonCacheError.is(c.make(false)), c.name).toBe(true);
  });

  it('a COMMAND error (server error reply) is a FullonCacheError and no subclass', () => {
    const error = new FullonCacheError('EVALSHA failed: ERR', 'COMMAND');
    expect(FullonCacheError.is(error)).toBe(true);
    for (const c of CASES.slice(1)) expect(c.is(error), c.name).toBe(false);
  });
});

describe('fields', () => {
  it('ConfigurationError names its variable in the field and the message', () => {
    const error = new ConfigurationError('REDIS_DB', 'must be between 0 and 15');
    expect(error.variable).toBe('REDIS_DB');
    expect(error.message).toBe('REDIS_DB: must be between 0 and 15');
  });

  it('DecodeError carries key and field, and names both in its message', () => {
    const error = new DecodeError('fullon:tick:{binance}:BTC/USDT', 'price', 'not a number');
    expect(error.key).toBe('fullon:tick:{binance}:BTC/USDT');
    expect(error.field).toBe('price');
    expect(error.message).toContain('fullon:tick:{binance}:BTC/USDT');
    expect(error.message).toContain('price');
    const keyOnly = new DecodeError('fullon:k', undefined, 'bad');
    expect(keyOnly.field).toBeUndefined();
    expect(keyOnly.message).not.toContain('field');
  });

  it('ValidationError carries the field and the valibot issues', () => {
    let caught: unknown;
    try {
      validate(v.object({ bid: v.number(), ask: v.number() }), { bid: 1, ask: 'x' }, 'tick');
    } catch (error) {
      caught = error;
    }
    expect(ValidationError.is(caught)).toBe(true);
    const error = caught as ValidationError;
    expect(error.field).toBe('ask');
    expect(error.message).toContain('ask');
    expect(error.issues.length).toBe(1);
    expect(error.issues[0]?.kind).toBe('schema');
    expect(new ValidationError('x', 'x: bad').issues).toStrictEqual([]);
  });
});
