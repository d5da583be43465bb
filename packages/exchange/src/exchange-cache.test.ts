import { DecodeError, ValidationError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { ExchangeCache } from './exchange-cache.js';
import { ExchangeKeys } from './keys.js';
import { ExchangeLayout } from './layouts.js';
import type { CatExchange, ExchangeInput } from './schema.js';
import { rawTuple } from './test-helpers.js';

const DAY = 86_400_000;
const kraken: ExchangeInput = {
  exId: 1,
  userId: 10,
  name: 'kraken main',
  catExId: 2,
  catExchange: 'kraken',
  active: true,
  test: false,
};
const binance: ExchangeInput = {
  exId: 2,
  userId: 10,
  name: 'binance spot',
  catExchange: 'binance',
};
const catalog: CatExchange[] = [
  { catExId: 2, name: 'kraken' },
  { catExId: 1, name: 'binance' },
  { catExId: 10, name: 'bybit' },
];

async function pttl(conn: ReturnType<ReturnType<typeof useTestConnection>>, key: string) {
  return conn.send<number>(key, ['PTTL', key]);
}

describe('ExchangeCache without loaders', () => {
  const conn = useTestConnection();

  it('round-trips an exchange, applying defaults', async () => {
    const cache = new ExchangeCache(conn());
    const stored = await cache.setExchange(binance);
    expect(stored).toEqual({ ...binance, active: true, test: false });
    expect(await cache.getExchange(2)).toEqual(stored);
    expect(await cache.getExchange('2')).toEqual(stored);
    expect(await cache.getExchange(3)).toBeNull();
  });

  it("lists a user's exchanges sorted by id, and keeps users apart", async () => {
    const cache = new ExchangeCache(conn());
    await cache.setExchange({ ...binance, exId: 12, userId: 20 });
    await cache.setExchange({ ...kraken, exId: 9, userId: 20 });
    await cache.setExchange({ ...kraken, exId: 11, userId: 21 });
    expect((await cache.getExchanges(20)).map((e) => e.exId)).toEqual([9, 12]);
    expect((await cache.getExchanges('21')).map((e) => e.exId)).toEqual([11]);
    expect(await cache.getExchanges(22)).toEqual([]);
  });

  it('replaces an exchange in place and follows a change of owner', async () => {
    const cache = new ExchangeCache(conn());
    await cache.setExchange({ ...kraken, exId: 30, userId: 31 });
    await cache.setExchange({ ...kraken, exId: 30, userId: 31, name: 'renamed', active: false });
    expect(await cache.getExchanges(31)).toEqual([
      { ...kraken, exId: 30, userId: 31, name: 'renamed', active: false },
    ]);
    await cache.setExchange({ ...kraken, exId: 30, userId: 32 });
    expect(await cache.getExchanges(31)).toEqual([]);
    expect((await cache.getExchanges(32)).map((e) => e.exId)).toEqual([30]);
  });

  it('deletes an exchange, which leaves its owner list', async () => {
    const cache = new ExchangeCache(conn());
    await cache.setExchange({ ...kraken, exId: 40, userId: 41 });
    await cache.setExchange({ ...binance, exId: 42, userId: 41 });
    expect(await cache.deleteExchange(40)).toBe(true);
    expect(await cache.deleteExchange(40)).toBe(false);
    expect(await cache.getExchange(40)).toBeNull();
    expect((await cache.getExchanges(41)).map((e) => e.exId)).toEqual([42]);
  });

  it('stores and replaces the catalog', async () => {
    const cache = new ExchangeCache(conn());
    expect(await cache.getCatExchanges()).toEqual([]);
    expect(await cache.setCatExchanges(catalog)).toBe(3);
    expect(await cache.getCatExchanges()).toEqual([
      { catExId: 1, name: 'binance' },
      { catExId: 2, name: 'kraken' },
      { catExId: 10, name: 'bybit' },
    ]);
    await cache.setCatExchanges([{ catExId: 'okx', name: 'okx' }]);
    expect(await cache.getCatExchanges()).toEqual([{ catExId: 'okx', name: 'okx' }]);
    await cache.setCatExchanges([]);
    expect(await cache.getCatExchanges()).toEqual([]);
  });

  it('applies the default 24 h TTL to every metadata key', async () => {
    const cache = new ExchangeCache(conn());
    await cache.setExchange({ ...kraken, exId: 50, userId: 51 });
    await cache.setCatExchanges(catalog);
    for (const key of [
      new ExchangeKeys(conn().keys).exchange(50),
      new ExchangeKeys(conn().keys).userExchanges(51),
      new ExchangeKeys(conn().keys).catExchanges,
    ]) {
      const ttl = await pttl(conn(), key);
      expect(ttl).toBeGreaterThan(DAY - 60_000);
      expect(ttl).toBeLessThanOrEqual(DAY);
    }
    const short = new ExchangeCache(conn(), { ttlMs: 90_000 });
    await short.setExchange({ ...kraken, exId: 52, userId: 51 });
    const ttl = await pttl(conn(), new ExchangeKeys(conn().keys).exchange(52));
    expect(ttl).toBeGreaterThan(30_000);
    expect(ttl).toBeLessThanOrEqual(90_000);
  });

  it('invalidates the given targets together', async () => {
    const cache = new ExchangeCache(conn());
    await cache.setExchange({ ...kraken, exId: 60, userId: 61 });
    await cache.setCatExchanges(catalog);
    expect(await cache.invalidate({ exId: 60, userId: 61, catExchanges: true })).toBe(3);
    expect(await cache.getExchange(60)).toBeNull();
    expect(await cache.getExchanges(61)).toEqual([]);
    expect(await cache.getCatExchanges()).toEqual([]);
    expect(await cache.invalidate({ exId: 60 })).toBe(0);
  });

  it('handles hostile ids and names', async () => {
    const cache = new ExchangeCache(conn());
    const ids = ['a}{b', 'a:b', '*', 'x y z', '%31', '1', 'ü€'];
    for (const id of ids) {
      await cache.setExchange({ exId: id, userId: `u-${id}`, name: `{${id}}` });
    }
    for (const id of ids) {
      const expected = { exId: id, userId: `u-${id}`, name: `{${id}}`, active: true, test: false };
      expect(await cache.getExchange(id)).toEqual(expected);
      expect(await cache.getExchanges(`u-${id}`)).toEqual([expected]);
    }
    await cache.setCatExchanges([{ catExId: '}{', name: ':*' }]);
    expect(await cache.getCatExchanges()).toEqual([{ catExId: '}{', name: ':*' }]);
  });
});

describe('ExchangeCache corrupt values', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const garbage = Buffer.from([0xc1, 0x00, 0xff]);

  it('throws DecodeError on getExchange and skips + reports in getExchanges', async () => {
    const cache = new ExchangeCache(conn());
    await cache.setExchange({ ...kraken, exId: 1, userId: 5 });
    await cache.setExchange({ ...binance, exId: 2, userId: 5 });
    const key = new ExchangeKeys(conn().keys).exchange(2);
    await conn().send(key, ['SET', key, garbage]);
    await expect(cache.getExchange(2)).rejects.toSatisfy(
      (e: unknown) => DecodeError.is(e) && e.key === key,
    );
    corrupt.length = 0;
    expect((await cache.getExchanges(5)).map((e) => e.exId)).toEqual([1]);
    expect(corrupt.map((e) => e.key)).toEqual([key]);
  });

  it('rejects a well-formed tuple whose id breaks the schema', async () => {
    const cache = new ExchangeCache(conn());
    const key = new ExchangeKeys(conn().keys).exchange(3);
    // A tuple of the current layout whose exId is negative.
    await conn().send(key, ['SET', key, rawTuple(ExchangeLayout, { ...kraken, exId: -3 })]);
    await expect(cache.getExchange(3)).rejects.toSatisfy(
      (e: unknown) => DecodeError.is(e) && e.message.includes('exId'),
    );
  });

  it('skips + reports a corrupt catalog entry', async () => {
    const cache = new ExchangeCache(conn());
    await cache.setCatExchanges(catalog);
    const key = new ExchangeKeys(conn().keys).catExchanges;
    await conn().send(key, ['HSET', key, '10', garbage]);
    corrupt.length = 0;
    expect((await cache.getCatExchanges()).map((c) => c.name)).toEqual(['binance', 'kraken']);
    expect(corrupt.map((e) => [e.key, e.field])).toEqual([[key, '10']]);
  });
});

describe('ExchangeCache validation', () => {
  const conn = useTestConnection();
  const named = (field: string) => (e: unknown) =>
    ValidationError.is(e) && e.field === field && e.message.includes(field);

  const exchangeRules: [string, unknown, string][] = [
    ['missing exId', { userId: 1, name: 'x' }, 'exchange.exId'],
    ['empty exId', { ...kraken, exId: '' }, 'exchange.exId'],
    ['negative exId', { ...kraken, exId: -1 }, 'exchange.exId'],
    ['fractional exId', { ...kraken, exId: 1.5 }, 'exchange.exId'],
    ['missing userId', { exId: 1, name: 'x' }, 'exchange.userId'],
    ['object userId', { ...kraken, userId: {} }, 'exchange.userId'],
    ['missing name', { exId: 1, userId: 1 }, 'exchange.name'],
    ['empty name', { ...kraken, name: '' }, 'exchange.name'],
    ['boolean catExId', { ...kraken, catExId: false }, 'exchange.catExId'],
    ['empty catExchange', { ...kraken, catExchange: '' }, 'exchange.catExchange'],
    ['string active', { ...kraken, active: 'true' }, 'exchange.active'],
    ['numeric test', { ...kraken, test: 1 }, 'exchange.test'],
    ['not an object', null, 'exchange'],
  ];

  it.each(exchangeRules)(
    '%s -> ValidationError naming %s, nothing written',
    async (_, bad, field) => {
      const cache = new ExchangeCache(conn());
      await expect(cache.setExchange(bad as ExchangeInput)).rejects.toSatisfy(named(field));
      for (const key of [
        new ExchangeKeys(conn().keys).exchange(1),
        new ExchangeKeys(conn().keys).userExchanges(10),
      ]) {
        expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
      }
    },
  );

  it.each([
    ['missing catExId', [{ name: 'kraken' }], 'catExchanges[0].catExId'],
    ['empty name', [{ catExId: 1, name: '' }], 'catExchanges[0].name'],
    ['duplicate catExId', [catalog[0], { catExId: '2', name: 'again' }], 'catExchanges[1].catExId'],
    ['not an array', { catExId: 1, name: 'x' }, 'catExchanges'],
  ])('catalog: %s -> ValidationError naming %s, nothing written', async (_, bad, field) => {
    const cache = new ExchangeCache(conn());
    await cache.setCatExchanges(catalog);
    await expect(cache.setCatExchanges(bad as CatExchange[])).rejects.toSatisfy(named(field));
    expect(await cache.getCatExchanges()).toHaveLength(3);
  });

  it('rejects bad ids on every method', async () => {
    const cache = new ExchangeCache(conn());
    await expect(cache.getExchange('')).rejects.toSatisfy(named('exId'));
    await expect(cache.getExchange(-2)).rejects.toSatisfy(named('exId'));
    await expect(cache.deleteExchange(0.5)).rejects.toSatisfy(named('exId'));
    await expect(cache.getExchanges('')).rejects.toSatisfy(named('userId'));
    await expect(cache.invalidate({ userId: Number.NaN })).rejects.toSatisfy(
      named('target.userId'),
    );
    await expect(cache.invalidate({})).rejects.toSatisfy(named('target'));
    await expect(cache.invalidate({ catExchanges: false })).rejects.toSatisfy(named('target'));
  });

  it.each([
    ['ttlMs', { ttlMs: 0 }],
    ['timeoutMs', { timeoutMs: -1 }],
    ['wsErrors.cap', { wsErrors: { cap: 0 } }],
    ['wsErrors.cap', { wsErrors: { cap: 2.5 } }],
    ['wsErrors.ttlMs', { wsErrors: { ttlMs: -1 } }],
  ])('rejects option %s', (field, options) => {
    expect(() => new ExchangeCache(conn(), options)).toThrow(
      expect.objectContaining({ name: 'ValidationError', field }),
    );
  });
});
