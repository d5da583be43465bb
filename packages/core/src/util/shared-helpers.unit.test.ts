import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { KeyMemo } from '../keys/key-memo.js';
import { LUA_SCRIPT_REPLY, ScriptReply } from '../scripts/script-reply.js';
import { plainOptions } from '../validation/plain-object.js';
import { Id } from '../validation/schemas.js';
import { idKey, optionsObject, rejectRenamedOptions } from '../validation/validation.js';
import { inChunks, inChunksSequentially } from './chunks.js';
import { byName } from './compare.js';
import { flatPairs, hashEntries } from './pairs.js';

describe('byName', () => {
  it('sorts by code unit, as sort() without a comparator, whatever the locale', () => {
    const names = ['b', 'B', 'a', 'é', 'A', 'aa', '', '10', '9'];
    expect([...names].sort(byName)).toEqual([...names].sort());
    expect(byName('x', 'x')).toBe(0);
    expect(byName('a', 'b')).toBeLessThan(0);
    expect(byName('b', 'a')).toBeGreaterThan(0);
  });
});

describe('flatPairs and hashEntries', () => {
  it('pairs a flat reply in order and ignores a trailing odd element', () => {
    expect(flatPairs(['a', '1', 'b', '2'])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(flatPairs(['a', '1', 'b'])).toEqual([['a', '1']]);
    expect(flatPairs([])).toEqual([]);
  });

  it('reads field names as UTF-8 and keeps values as bytes', () => {
    const value = Buffer.from([0xc0, 0xff]);
    const entries = hashEntries([Buffer.from('BTC/€'), value, Buffer.from('x')]);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.[0]).toBe('BTC/€');
    expect(entries[0]?.[1]).toBe(value);
  });
});

describe('KeyMemo', () => {
  it('remembers per outer and inner name', () => {
    const memo = new KeyMemo<string>(10);
    expect(memo.get('binance', 'BTC')).toBeUndefined();
    expect(memo.set('binance', 'BTC', 'k1')).toBe('k1');
    memo.set('kraken', 'BTC', 'k2');
    expect(memo.get('binance', 'BTC')).toBe('k1');
    expect(memo.get('kraken', 'BTC')).toBe('k2');
    expect(memo.get('binance', 'ETH')).toBeUndefined();
    expect(memo.size).toBe(2);
  });

  it('starts over instead of growing past its bound', () => {
    const memo = new KeyMemo<number>(3);
    for (let i = 0; i < 3; i++) memo.set('ex', `s${i}`, i);
    memo.set('ex', 's1', 11); // a replacement is not a new entry
    expect(memo.size).toBe(3);
    memo.set('other', 'x', 9);
    expect(memo.size).toBe(1);
    expect(memo.get('ex', 's0')).toBeUndefined();
    expect(memo.get('other', 'x')).toBe(9);
  });
});

describe('inChunksSequentially', () => {
  it('gives the same results as inChunks, one slice at a time', async () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    let running = 0;
    let most = 0;
    const starts: number[] = [];
    const work = async (slice: number[], start: number) => {
      running++;
      most = Math.max(most, running);
      starts.push(start);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return [slice.reduce((a, b) => a + b, 0)];
    };
    const sequential = await inChunksSequentially(items, work, 10);
    expect(most).toBe(1);
    expect(starts).toEqual([0, 10, 20]);
    expect(sequential).toEqual(await inChunks(items, work, 10));
    expect(await inChunksSequentially([], work, 10)).toEqual([]);
  });

  it('stops at the first failing slice', async () => {
    const seen: number[] = [];
    const failing = inChunksSequentially(
      [1, 2, 3],
      async (slice) => {
        seen.push(...slice);
        if (slice[0] === 2) throw new Error('slice 2');
        return slice;
      },
      1,
    );
    await expect(failing).rejects.toThrow('slice 2');
    expect(seen).toEqual([1, 2]);
  });
});

describe('idKey', () => {
  it('agrees with String(validate(Id)) on every kind of input, error path included', () => {
    const inputs: unknown[] = [
      0,
      7,
      '7',
      'bot-1',
      Number.MAX_SAFE_INTEGER,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.MAX_SAFE_INTEGER + 1,
      '',
      ' ',
      'a'.repeat(1000),
      null,
      undefined,
      {},
      [],
      true,
      '\ud800',
      'ok name',
    ];
    for (const input of inputs) {
      const parsed = v.safeParse(Id, input);
      if (parsed.success) {
        expect(idKey(input, 'userId')).toBe(String(parsed.output));
      } else {
        expect(() => idKey(input, 'userId')).toThrow(ValidationError);
      }
    }
  });
});

describe('optionsObject', () => {
  it('accepts absent or plain objects and names the argument otherwise, as plainOptions does', () => {
    const opts = { ttlMs: 5 };
    expect(optionsObject(opts)).toBe(opts);
    expect(optionsObject(undefined)).toEqual({});
    expect(optionsObject(Object.create(null))).toEqual({});
    for (const bad of [null, 3, 'x', new Map(), [], new Date()]) {
      const a = (() => {
        try {
          optionsObject(bad, 'query');
        } catch (error) {
          return error;
        }
      })();
      expect(a).toBeInstanceOf(ValidationError);
      expect(a).toMatchObject({ field: 'query', message: 'query: must be a plain object' });
      expect(() => plainOptions(bad, 'query')).toThrow('query: must be a plain object');
    }
  });
});

describe('ScriptReply', () => {
  it('gives each code one name, and Lua the same numbers', () => {
    const codes = Object.values(ScriptReply);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, code] of Object.entries(ScriptReply)) {
      expect(LUA_SCRIPT_REPLY).toContain(`${name} = ${code}`);
    }
  });
});

describe('rejectRenamedOptions', () => {
  it('names the old option and its new name, and passes options without it', () => {
    const renamed = { sinceMs: 'maxAgeMs' };
    expect(() => rejectRenamedOptions({ maxAgeMs: 5 }, renamed)).not.toThrow();
    const error = (() => {
      try {
        rejectRenamedOptions({ sinceMs: 5 }, renamed);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(ValidationError.is(error)).toBe(true);
    expect((error as ValidationError).field).toBe('options.sinceMs');
    expect((error as ValidationError).message).toContain('maxAgeMs');
  });
  it('counts only own properties (a prototype member is not an option)', () => {
    expect(() => rejectRenamedOptions({}, { toString: 'x' })).not.toThrow();
  });
});
