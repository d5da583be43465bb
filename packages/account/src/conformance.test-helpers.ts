import { defineConformance, type ParamSpec } from '@fullon/core/testing';
import { expect } from 'vitest';
import { AccountCache } from './account-cache.js';
import type { Balances } from './schema.js';
import type { PriceSource } from './types.js';

const T0 = 1_700_000_000_000;
const BALANCE_FIELDS = { total: 'number', free: 'number', used: 'number' } as const;
const POSITION_FIELDS = {
  symbol: 'name',
  volume: 'number',
  price: 'nonNegative',
  cost: 'number',
  fee: 'number',
  count: 'nonNegative',
  time: 'epochMs',
  exId: 'id',
} as const;
const exId: ParamSpec = { name: 'exId', kind: 'id' };
const symbol: ParamSpec = { name: 'symbol', kind: 'name' };
const currency: ParamSpec = { name: 'currency', kind: 'name' };

/** A valid position with every optional field set; `i` names a distinct symbol. */
function position(i: number) {
  return {
    symbol: `S${i}/USDT`,
    volume: 0.5 + i,
    price: 100 + i,
    cost: 50,
    fee: 0.1,
    count: 2,
    time: T0 + i,
  };
}

/** A price source as `getPortfolioSummary` takes it (a `TickCache` in real use). */
const prices: PriceSource = {
  getPrice: (sym) => Promise.resolve(sym === 'S0/USDT' ? 120 : null),
};

/**
 * The conformance table of `AccountCache`.
 *
 * `getPortfolioSummary`'s `options.prices` is a price source (an object with a
 * `getPrice(symbol, exchange)` method, e.g. a `TickCache`): no field kind of the kit describes
 * it, so it is not in `fields` rather than declared as something it is not; `portfolio.test.ts`
 * ("checks options.prices and options.exchange whenever given") gives it its hostile values
 * (`null`, `42`, a string, `[]`, a `Map`, `{ getPrice: 1 }`). Its `exchange` is a name and is
 * declared as one.
 */
export const accountConformance = defineConformance<AccountCache>({
  name: 'account',
  cacheClass: AccountCache,
  create: (conn) => new AccountCache(conn),
  async seed(cache) {
    // Two accounts that share currencies and a symbol, as real accounts do.
    await cache.setUserBalances(1, {
      BTC: { total: 1.5, free: 1.2, used: 0.3 },
      USDT: { total: 900, free: 800, used: 100 },
    });
    await cache.setUserBalances(2, { BTC: { total: 3, free: 3, used: 0 } });
    await cache.upsertPositions(1, [position(0), position(1)]);
    await cache.setPosition(2, { ...position(0), volume: -2 });
  },
  families: {
    'account-balances': {},
    'account-positions': {},
    'account-index': { index: true },
  },
  methods: {
    setUserBalances: {
      kind: 'write',
      params: [exId, { name: 'balances', kind: 'map' }],
      args: (i) => [100 + i, { BTC: { total: i, free: i, used: 0 } }],
    },
    updateUserBalance: {
      kind: 'write',
      params: [exId, currency, { name: 'balance', kind: 'record', fields: BALANCE_FIELDS }],
      args: (i) => [1, `C${i}`, { total: i, free: i, used: 0 }],
    },
    getUserBalance: {
      kind: 'read',
      params: [exId, currency],
      args: () => [1, 'BTC'],
    },
    getUserBalances: { kind: 'listing', params: [exId], args: () => [1] },
    getAllAccounts: { kind: 'listing', params: [], args: () => [] },
    setPosition: {
      kind: 'write',
      params: [exId, { name: 'position', kind: 'record', fields: POSITION_FIELDS }],
      args: (i) => [1, position(i)],
    },
    upsertPosition: {
      kind: 'write',
      params: [exId, { name: 'position', kind: 'record', fields: POSITION_FIELDS }],
      args: (i) => [2, position(i)],
    },
    upsertPositions: {
      kind: 'write',
      params: [exId, { name: 'positions', kind: 'records', fields: POSITION_FIELDS }],
      args: (i) => [100 + i, [position(i), position(i + 1)]],
    },
    getPosition: { kind: 'read', params: [exId, symbol], args: () => [1, 'S0/USDT'] },
    getPositions: { kind: 'listing', params: [exId], args: () => [1] },
    getAllPositions: { kind: 'listing', params: [], args: () => [] },
    deletePosition: {
      kind: 'write',
      params: [exId, symbol],
      args: (i) => [1, `S${i % 2}/USDT`],
    },
    cleanPositions: { kind: 'write', params: [], args: () => [] },
    getPortfolioSummary: {
      kind: 'read',
      params: [
        exId,
        { name: 'options', kind: 'options', optional: true, fields: { exchange: 'name' } },
      ],
      args: () => [1, { prices, exchange: 'binance' }],
    },
  },
  prototypeNames: {
    async 'currency and exId'(cache, name) {
      await cache.updateUserBalance(name, name, { total: 1, free: 1, used: 0 });
      await cache.setUserBalances(1, { [name]: { total: 2, free: 2, used: 0 } } as Balances);
      const own = (o: object) => Object.getOwnPropertyDescriptor(o, name)?.value;
      expect(await cache.getUserBalance(name, name)).toEqual({ total: 1, free: 1, used: 0 });
      expect(Object.keys(await cache.getUserBalances(1))).toEqual([name]);
      expect(own(await cache.getUserBalances(1))).toEqual({ total: 2, free: 2, used: 0 });
      const all = await cache.getAllAccounts();
      expect(own(all)).toEqual({ [name]: { total: 1, free: 1, used: 0 } });
      expect(Object.keys(all)).toHaveLength(3);
      expect(own((await cache.getPortfolioSummary(1)).totals)).toBe(2);
    },
    async symbol(cache, name) {
      await cache.setPosition(name, { symbol: name, volume: 1, price: 1 });
      expect((await cache.getPosition(name, name))?.symbol).toBe(name);
      expect((await cache.getPositions(name)).map((p) => p.symbol)).toEqual([name]);
      expect((await cache.getAllPositions()).filter((p) => p.symbol === name)).toHaveLength(1);
      expect(await cache.deletePosition(name, name)).toBe(true);
    },
  },
});
