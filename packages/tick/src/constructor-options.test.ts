import { ConfigurationError, ValidationError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import type { TickCacheOptions } from './options.js';
import { TickCache } from './tick-cache.js';

/** The error a synchronous call threw (constructors throw; they return no promise). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

// Constructors are not in the conformance table (the kit builds the cache through `create`):
// their options get the same treatment here.
describe('TickCache constructor and open() options', () => {
  const conn = useTestConnection();
  const notPlain: [string, unknown][] = [
    ['null', null],
    ['a number', 5],
    ['a string', 'fast'],
    ['an array', []],
    ['a Map', new Map([['ttlMs', 1_000]])],
    ['a Date', new Date(0)],
  ];

  it.each(notPlain)('options = %s is a ConfigurationError naming options', (_, value) => {
    const error = thrown(() => new TickCache(conn(), value as TickCacheOptions));
    expect(ConfigurationError.is(error)).toBe(true);
    expect(error).toMatchObject({ variable: 'options' });
  });

  it.each(notPlain)('open(…, options = %s) rejects before connecting', async (_, value) => {
    // Port 1: nothing listens there, so only an options check can answer first.
    const opening = TickCache.open({ url: 'redis://127.0.0.1:1' }, value as TickCacheOptions);
    await expect(opening).rejects.toBeInstanceOf(ConfigurationError);
  });

  it.each([
    ['null', null],
    ['a number', 1],
    ['a string', 'true'],
    ['an array', []],
    ['a Map', new Map([['maxEntries', 10]])],
    ['a Date', new Date(0)],
  ])('nearCache = %s is a ValidationError naming nearCache', (_, value) => {
    const error = thrown(() => new TickCache(conn(), { nearCache: value as unknown as boolean }));
    expect(ValidationError.is(error)).toBe(true);
    expect(error).toMatchObject({ field: 'nearCache' });
  });

  it.each([
    ['a string', '10'],
    ['null', null],
    ['NaN', Number.NaN],
    ['0', 0],
  ])('nearCache.maxEntries = %s is a ValidationError naming it', (_, value) => {
    const error = thrown(
      () => new TickCache(conn(), { nearCache: { maxEntries: value as number } }),
    );
    expect(ValidationError.is(error)).toBe(true);
    expect(error).toMatchObject({ field: 'nearCache.maxEntries' });
  });
});
