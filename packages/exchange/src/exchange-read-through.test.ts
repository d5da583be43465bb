import { ValidationError } from '@fullon/core';
import type { Id } from '@fullon/core/author';
import { sleep, useTestConnection } from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExchangeCache } from './exchange-cache.js';
import { ExchangeKeys } from './keys.js';
import type { ExchangeLoaders } from './options.js';
import type { CatExchange, ExchangeInput } from './schema.js';

class LoaderFailure extends Error {}

/** A fake database of exchange accounts whose loaders count their calls. */
function fakeDatabase() {
  const accounts = new Map<string, ExchangeInput>([
    ['1', { exId: 1, userId: 7, name: 'kraken main', catExchange: 'kraken' }],
    ['2', { exId: 2, userId: 7, name: 'binance spot', catExchange: 'binance', test: true }],
    ['3', { exId: 3, userId: 8, name: 'bybit', catExchange: 'bybit' }],
  ]);
  let catalog: CatExchange[] = [
    { catExId: 1, name: 'binance' },
    { catExId: 2, name: 'kraken' },
  ];
  const calls: string[] = [];
  let failures = 0;
  const step = async (call: string) => {
    calls.push(call);
    await sleep(25);
    if (failures > 0) {
      failures -= 1;
      throw new LoaderFailure(`database down during ${call}`);
    }
  };
  const load: Required<ExchangeLoaders> = {
    exchange: async (exId: Id) => {
      await step(`exchange:${exId}`);
      return accounts.get(String(exId)) ?? null;
    },
    userExchanges: async (userId: Id) => {
      await step(`user:${userId}`);
      return [...accounts.values()].filter((a) => String(a.userId) === String(userId));
    },
    catExchanges: async () => {
      await step('catalog');
      return catalog;
    },
  };
  return {
    accounts,
    calls,
    load,
    failNext: (n: number) => {
      failures = n;
    },
    setCatalog: (next: CatExchange[]) => {
      catalog = next;
    },
  };
}

const full = (a: ExchangeInput) => ({ active: true, test: false, ...a });

describe('ExchangeCache read-through', () => {
  const conn = useTestConnection();
  beforeEach(async () => {
    await conn().clear();
  });

  it('loads an exchange on a miss, stores it with the TTL, then serves it from Redis', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load, ttlMs: 120_000 });
    const kraken = full(db.accounts.get('1') as ExchangeInput);
    expect(await cache.getExchange(1)).toEqual(kraken);
    const key = new ExchangeKeys(conn().keys).exchange(1);
    const pttl = await conn().send<number>(key, ['PTTL', key]);
    expect(pttl).toBeGreaterThan(60_000);
    expect(pttl).toBeLessThanOrEqual(120_000);
    expect(await new ExchangeCache(conn(), { load: db.load }).getExchange('1')).toEqual(kraken);
    expect(db.calls).toEqual(['exchange:1']);
  });

  it('returns null when the loader finds nothing, and does not cache the absence', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    expect(await cache.getExchange(99)).toBeNull();
    expect(await cache.getExchange(99)).toBeNull();
    expect(db.calls).toEqual(['exchange:99', 'exchange:99']);
  });

  it("loads a user's list once and stores every record with it", async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    const expected = [1, 2].map((id) => full(db.accounts.get(String(id)) as ExchangeInput));
    expect(await cache.getExchanges(7)).toEqual(expected);
    expect(await cache.getExchanges(7)).toEqual(expected);
    expect(await cache.getExchange(2)).toEqual(expected[1]);
    expect(db.calls).toEqual(['user:7']);
    const key = new ExchangeKeys(conn().keys).userExchanges(7);
    expect(await conn().send<number>(key, ['PTTL', key])).toBeGreaterThan(86_000_000);
  });

  it('caches a user with no exchanges', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    expect(await cache.getExchanges(404)).toEqual([]);
    expect(await cache.getExchanges(404)).toEqual([]);
    expect(db.calls).toEqual(['user:404']);
  });

  it('loads and caches the catalog', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    expect(await cache.getCatExchanges()).toEqual([
      { catExId: 1, name: 'binance' },
      { catExId: 2, name: 'kraken' },
    ]);
    expect(await cache.getCatExchanges()).toHaveLength(2);
    expect(db.calls).toEqual(['catalog']);
  });

  it('calls each loader once for 20 concurrent misses, and all get the result', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    const [exchanges, lists, catalogs] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, () => cache.getExchange(3))),
      Promise.all(Array.from({ length: 20 }, () => cache.getExchanges(8))),
      Promise.all(Array.from({ length: 20 }, () => cache.getCatExchanges())),
    ]);
    expect(db.calls.sort()).toEqual(['catalog', 'exchange:3', 'user:8']);
    const bybit = full(db.accounts.get('3') as ExchangeInput);
    for (const e of exchanges) expect(e).toEqual(bybit);
    for (const l of lists) expect(l).toEqual([bybit]);
    for (const c of catalogs) expect(c).toHaveLength(2);
  });

  it('rejects every waiter when a loader fails, caches nothing, and retries next time', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    db.failNext(1);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => cache.getExchanges(7)),
    );
    expect(db.calls).toEqual(['user:7']);
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(LoaderFailure);
    }
    const key = new ExchangeKeys(conn().keys).userExchanges(7);
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
    expect(await cache.getExchanges(7)).toHaveLength(2);
    expect(db.calls).toEqual(['user:7', 'user:7']);
  });

  it('leaves nothing behind when a loader fails', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    db.failNext(2);
    await expect(cache.getExchange(1)).rejects.toBeInstanceOf(LoaderFailure);
    await expect(cache.getCatExchanges()).rejects.toBeInstanceOf(LoaderFailure);
    for (const key of [
      new ExchangeKeys(conn().keys).exchange(1),
      new ExchangeKeys(conn().keys).catExchanges,
    ]) {
      expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
    }
    expect(await cache.getExchange(1)).not.toBeNull();
  });

  it('rejects loader answers that break the schema or answer another question', async () => {
    const base: ExchangeInput = { exId: 5, userId: 50, name: 'ok' };
    const cases: [ExchangeLoaders, (c: ExchangeCache) => Promise<unknown>, string][] = [
      [{ exchange: async () => ({ ...base, name: '' }) }, (c) => c.getExchange(5), 'loaded.name'],
      [{ exchange: async () => ({ ...base, exId: 6 }) }, (c) => c.getExchange(5), 'loaded.exId'],
      [
        { userExchanges: async () => [base, { ...base, exId: 6, userId: 51 }] },
        (c) => c.getExchanges(50),
        'loaded[1].userId',
      ],
      [{ userExchanges: async () => [base, base] }, (c) => c.getExchanges(50), 'loaded[1].exId'],
      [
        { catExchanges: async () => [{ catExId: -1, name: 'x' }] },
        (c) => c.getCatExchanges(),
        'loaded[0].catExId',
      ],
    ];
    for (const [load, call, field] of cases) {
      const cache = new ExchangeCache(conn(), { load });
      await expect(call(cache)).rejects.toSatisfy(
        (e: unknown) => ValidationError.is(e) && e.field === field,
      );
    }
    for (const key of [
      new ExchangeKeys(conn().keys).exchange(5),
      new ExchangeKeys(conn().keys).userExchanges(50),
      new ExchangeKeys(conn().keys).catExchanges,
    ]) {
      expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
    }
  });

  it('invalidate sends the next read of each target to its loader', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    await cache.getExchange(1);
    await cache.getExchanges(8);
    await cache.getCatExchanges();
    db.accounts.set('1', { exId: 1, userId: 7, name: 'renamed in the database' });
    db.setCatalog([{ catExId: 3, name: 'okx' }]);
    expect((await cache.getExchange(1))?.name).toBe('kraken main');
    expect(await cache.invalidate({ exId: 1, userId: 8, catExchanges: true })).toBe(3);
    expect((await cache.getExchange(1))?.name).toBe('renamed in the database');
    expect(await cache.getExchanges(8)).toHaveLength(1);
    expect(await cache.getCatExchanges()).toEqual([{ catExId: 3, name: 'okx' }]);
    expect(db.calls).toEqual([
      'exchange:1',
      'user:8',
      'catalog',
      'exchange:1',
      'user:8',
      'catalog',
    ]);
  });

  it('reloads a list whose record was deleted, and updates a cached list on setExchange', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    expect(await cache.getExchanges(7)).toHaveLength(2);
    const added = { exId: 4, userId: 7, name: 'okx' };
    db.accounts.set('4', added);
    await cache.setExchange(added);
    expect((await cache.getExchanges(7)).map((e) => e.exId)).toEqual([1, 2, 4]);
    expect(db.calls).toEqual(['user:7']);
    db.accounts.delete('2');
    await cache.deleteExchange(2);
    expect((await cache.getExchanges(7)).map((e) => e.exId)).toEqual([1, 4]);
    expect(db.calls).toEqual(['user:7', 'user:7']);
  });

  it('does not create a partial list when a list loader is configured', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    await cache.setExchange({ exId: 9, userId: 8, name: 'new' });
    const key = new ExchangeKeys(conn().keys).userExchanges(8);
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
    db.accounts.set('9', { exId: 9, userId: 8, name: 'new' });
    expect((await cache.getExchanges(8)).map((e) => e.exId)).toEqual([3, 9]);
  });

  it('R2-9: a getExchange read-through on an instance without a list loader never makes the owner list complete', async () => {
    const db = fakeDatabase();
    // Instance A: only the single-account loader (a service that reads accounts by id).
    const a = new ExchangeCache(conn(), { load: { exchange: db.load.exchange } });
    // Instance B: the list loader (a service that lists a user's accounts).
    const b = new ExchangeCache(conn(), { load: { userExchanges: db.load.userExchanges } });
    expect((await a.getExchange(1))?.exId).toBe(1);
    expect((await b.getExchanges(7)).map((e) => e.exId)).toEqual([1, 2]);
    expect(db.calls).toEqual(['exchange:1', 'user:7']);
    // Now complete (B loaded it): A and a fresh B read it from Redis without asking again.
    expect((await a.getExchanges(7)).map((e) => e.exId)).toEqual([1, 2]);
    const fresh = new ExchangeCache(conn(), { load: { userExchanges: db.load.userExchanges } });
    expect((await fresh.getExchanges(7)).map((e) => e.exId)).toEqual([1, 2]);
    expect(db.calls).toEqual(['exchange:1', 'user:7']);
  });

  it('R2-9: setExchange without a list loader never makes the owner list complete', async () => {
    const db = fakeDatabase();
    const writer = new ExchangeCache(conn());
    await writer.setExchange(db.accounts.get('1') as ExchangeInput);
    // The writer (no list loader) answers with what it knows.
    expect((await writer.getExchanges(7)).map((e) => e.exId)).toEqual([1]);
    const reader = new ExchangeCache(conn(), { load: db.load });
    expect((await reader.getExchanges(7)).map((e) => e.exId)).toEqual([1, 2]);
    expect(db.calls).toEqual(['user:7']);
    // A write to a complete list keeps it complete.
    await writer.setExchange({ exId: 4, userId: 7, name: 'okx' });
    expect((await reader.getExchanges(7)).map((e) => e.exId)).toEqual([1, 2, 4]);
    expect(db.calls).toEqual(['user:7']);
  });

  it('setExchanges replaces a user list and marks it complete, so the loader is not asked', async () => {
    const db = fakeDatabase();
    const cache = new ExchangeCache(conn(), { load: db.load });
    const one = { exId: 1, userId: 7, name: 'only this one' };
    expect(await cache.setExchanges(7, [one])).toBe(1);
    expect(await cache.getExchanges(7)).toEqual([full(one)]);
    expect(await cache.setExchanges(7, [])).toBe(0);
    expect(await cache.getExchanges(7)).toEqual([]);
    expect(db.calls).toEqual([]);
    await expect(cache.setExchanges(7, [one, { ...one, exId: 5, userId: 8 }])).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && e.field === 'exchanges[1].userId',
    );
    await expect(cache.setExchanges('', [])).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && e.field === 'userId',
    );
  });
});
