import { ValidationError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

// Options the conformance table cannot declare: `getAnyTicker`'s `exchanges` is a list of
// names (no field kind), and `getTicker`/`getPrice` have a second call form with a reference.
describe('TickCache option forms the conformance kit does not reach', () => {
  const conn = useTestConnection();
  const cache = () => new TickCache(conn());

  beforeEach(async () => {
    await conn().clear();
    await cache().setTicker(makeTick({ symbol: 'ETH/USDT', exchange: 'binance' }));
  });

  it.each([
    ['a string', 'binance'],
    ['a number', 42],
    ['null', null],
    ['a Set', new Set(['binance'])],
    ['an object', { 0: 'binance', length: 1 }],
  ])(
    'getAnyTicker rejects exchanges = %s with a ValidationError naming exchanges',
    async (_, value) => {
      const call = cache().getAnyTicker('ETH/USDT', { exchanges: value as unknown as string[] });
      await expect(call).rejects.toBeInstanceOf(ValidationError);
      await expect(call).rejects.toMatchObject({ field: 'exchanges' });
    },
  );

  it.each([
    ['null', null],
    ['a number', 42],
    ['an array', []],
    ['a Map', new Map([['maxAgeMs', 1]])],
    ['a Date', new Date(0)],
  ])('getTicker and getPrice by reference reject options = %s naming options', async (_, value) => {
    const ref = { symbol: 'ETH/USDT', exchange: 'binance' };
    const options = value as { maxAgeMs?: number };
    for (const call of [cache().getTicker(ref, options), cache().getPrice(ref, options)]) {
      await expect(call).rejects.toBeInstanceOf(ValidationError);
      await expect(call).rejects.toMatchObject({ field: 'options' });
    }
  });

  it('getTicker and getPrice by reference check maxAgeMs', async () => {
    const ref = { symbol: 'ETH/USDT', exchange: 'binance' };
    for (const call of [
      cache().getTicker(ref, { maxAgeMs: -1 }),
      cache().getPrice(ref, { maxAgeMs: Number.NaN }),
    ]) {
      await expect(call).rejects.toMatchObject({ field: 'maxAgeMs' });
    }
    expect(await cache().getPrice(ref, { maxAgeMs: 60_000 })).toBe(64_000.5);
  });
});
