import { TimeoutError, ValidationError } from '@fullon/core';
import { sleep, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { ExchangeKeys } from './keys.js';
import type { SymbolInfo } from './schema.js';
import { SymbolCache } from './symbol-cache.js';

class LoaderFailure extends Error {}

const ethUsd: SymbolInfo = { symbol: 'ETH/USD', base: 'ETH', quote: 'USD', decimals: 2 };
const btcUsd: SymbolInfo = { symbol: 'BTC/USD', base: 'BTC', quote: 'USD', futures: false };
const markets: SymbolInfo[] = [ethUsd, btcUsd];

/** A loader that counts its calls and answers after a short pause, like a database would. */
function countingLoader(answer: (exchange: string) => SymbolInfo[] = () => markets) {
  const calls: string[] = [];
  const load = async (exchange: string) => {
    calls.push(exchange);
    await sleep(25);
    return answer(exchange);
  };
  return { calls, load };
}

describe('SymbolCache read-through', () => {
  const conn = useTestConnection();

  it('loads on a miss, stores with the TTL, then serves from Redis', async () => {
    const { calls, load } = countingLoader();
    const cache = new SymbolCache(conn(), { load, ttlMs: 120_000 });
    const expected = [
      { ...btcUsd, exchange: 'rt-basic' },
      { ...ethUsd, exchange: 'rt-basic' },
    ];
    expect(await cache.getSymbols('rt-basic')).toEqual(expected);
    expect(calls).toEqual(['rt-basic']);
    const key = new ExchangeKeys(conn().keys).symbols('rt-basic');
    const pttl = await conn().send<number>(key, ['PTTL', key]);
    expect(pttl).toBeGreaterThan(60_000);
    expect(pttl).toBeLessThanOrEqual(120_000);
    // A fresh instance (no in-process state) reads what the first one stored.
    const other = new SymbolCache(conn(), { load });
    expect(await other.getSymbols('rt-basic')).toEqual(expected);
    expect(await other.getSymbol('BTC/USD', 'rt-basic')).toEqual(expected[0]);
    expect(calls).toEqual(['rt-basic']);
  });

  it('answers getSymbol and symbolExists from the loaded set, absent ones included', async () => {
    const { calls, load } = countingLoader();
    const cache = new SymbolCache(conn(), { load });
    expect(await cache.getSymbol('ETH/USD', 'rt-one')).toEqual({
      ...ethUsd,
      exchange: 'rt-one',
    });
    expect(await cache.getSymbol('DOGE/USD', 'rt-one')).toBeNull();
    expect(await cache.symbolExists('DOGE/USD', 'rt-one')).toBe(false);
    expect(await cache.symbolExists('BTC/USD', 'rt-other')).toBe(true);
    expect(calls).toEqual(['rt-one', 'rt-other']);
  });

  it('caches an empty answer instead of asking again', async () => {
    const { calls, load } = countingLoader(() => []);
    const cache = new SymbolCache(conn(), { load });
    expect(await cache.getSymbols('rt-empty')).toEqual([]);
    expect(await cache.getSymbols('rt-empty')).toEqual([]);
    expect(await cache.getSymbol('BTC/USD', 'rt-empty')).toBeNull();
    expect(calls).toEqual(['rt-empty']);
  });

  it('calls the loader once for 20 concurrent misses, and all get the result', async () => {
    const { calls, load } = countingLoader();
    const cache = new SymbolCache(conn(), { load });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 3 === 0
          ? cache.getSymbols('rt-flight')
          : i % 3 === 1
            ? cache.getSymbol('BTC/USD', 'rt-flight')
            : cache.symbolExists('ETH/USD', 'rt-flight'),
      ),
    );
    expect(calls).toEqual(['rt-flight']);
    for (const [i, result] of results.entries()) {
      if (i % 3 === 0) expect(result).toHaveLength(2);
      else if (i % 3 === 1) expect(result).toEqual({ ...btcUsd, exchange: 'rt-flight' });
      else expect(result).toBe(true);
    }
  });

  it('rejects every waiter when the loader fails, caches nothing, and retries next time', async () => {
    let fail = true;
    const { calls, load } = countingLoader(() => {
      if (fail) throw new LoaderFailure('database down');
      return markets;
    });
    const cache = new SymbolCache(conn(), { load });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => cache.getSymbols('rt-fail')),
    );
    expect(calls).toHaveLength(1);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(LoaderFailure);
    }
    const key = new ExchangeKeys(conn().keys).symbols('rt-fail');
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
    fail = false;
    expect(await cache.getSymbols('rt-fail')).toHaveLength(2);
    expect(calls).toHaveLength(2);
  });

  it('gives up on a loader that never answers with a TimeoutError, and the next call loads again', async () => {
    let hang = true;
    const calls: string[] = [];
    const load = (exchange: string) => {
      calls.push(exchange);
      return hang ? new Promise<SymbolInfo[]>(() => undefined) : Promise.resolve(markets);
    };
    const cache = new SymbolCache(conn(), { load, timeoutMs: 200 });
    const outcomes = await Promise.allSettled([
      cache.getSymbols('rt-hang'),
      cache.getSymbols('rt-hang'),
    ]);
    expect(calls).toEqual(['rt-hang']);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status === 'rejected') expect(TimeoutError.is(outcome.reason)).toBe(true);
    }
    hang = false;
    expect(await cache.getSymbols('rt-hang')).toHaveLength(2);
    expect(calls).toEqual(['rt-hang', 'rt-hang']);
  });

  it('rejects a timeoutMs a timer cannot hold, naming it', () => {
    expect(() => new SymbolCache(conn(), { timeoutMs: 2 ** 31 })).toThrow(
      expect.objectContaining({ field: 'timeoutMs' }),
    );
  });

  it('rejects an invalid loader answer with a ValidationError and stores nothing', async () => {
    const cache = new SymbolCache(conn(), {
      load: async () => [ethUsd, { symbol: 'X/Y', base: '', quote: 'Y' }] as SymbolInfo[],
    });
    await expect(cache.getSymbols('rt-invalid')).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && e.field === 'loaded[1].base',
    );
    const wrongExchange = new SymbolCache(conn(), {
      load: async () => [{ ...ethUsd, exchange: 'elsewhere' }],
    });
    await expect(wrongExchange.getSymbols('rt-invalid')).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && e.field === 'loaded[0].exchange',
    );
    const key = new ExchangeKeys(conn().keys).symbols('rt-invalid');
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
  });

  it('invalidate sends the next read to the loader', async () => {
    let version = 1;
    const { calls, load } = countingLoader(() =>
      version === 1 ? markets : [{ symbol: 'SOL/USD', base: 'SOL', quote: 'USD' }],
    );
    const cache = new SymbolCache(conn(), { load });
    expect(await cache.getSymbols('rt-inv')).toHaveLength(2);
    version = 2;
    expect(await cache.getSymbols('rt-inv')).toHaveLength(2);
    expect(await cache.invalidate('rt-inv')).toBe(true);
    expect((await cache.getSymbols('rt-inv')).map((s) => s.symbol)).toEqual(['SOL/USD']);
    expect(calls).toHaveLength(2);
  });

  it('does not write back a load overtaken by an invalidation', async () => {
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const loading = new Promise<void>((resolve) => {
      started = resolve;
    });
    const cache = new SymbolCache(conn(), {
      load: async () => {
        started();
        await gate;
        return markets;
      },
    });
    const pending = cache.getSymbols('rt-stale');
    await loading;
    await cache.invalidate('rt-stale');
    release();
    expect(await pending).toHaveLength(2);
    const key = new ExchangeKeys(conn().keys).symbols('rt-stale');
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
  });

  it('does not let a one-symbol upsert pass for the complete set', async () => {
    const { calls, load } = countingLoader();
    const cache = new SymbolCache(conn(), { load });
    const extra = { symbol: 'ADA/USD', base: 'ADA', quote: 'USD' };
    expect(await cache.upsertSymbol('rt-upsert', extra)).toBe(false);
    expect((await cache.getSymbols('rt-upsert')).map((s) => s.symbol)).toEqual([
      'BTC/USD',
      'ETH/USD',
    ]);
    expect(await cache.upsertSymbol('rt-upsert', extra)).toBe(true);
    expect(await cache.getSymbol('ADA/USD', 'rt-upsert')).toEqual({
      ...extra,
      exchange: 'rt-upsert',
    });
    expect(calls).toEqual(['rt-upsert']);
  });

  it('treats a deleted symbol as absent without reloading', async () => {
    const { calls, load } = countingLoader();
    const cache = new SymbolCache(conn(), { load });
    await cache.getSymbols('rt-del');
    expect(await cache.deleteSymbol('ETH/USD', 'rt-del')).toBe(true);
    expect(await cache.getSymbol('ETH/USD', 'rt-del')).toBeNull();
    expect(calls).toEqual(['rt-del']);
  });
});
