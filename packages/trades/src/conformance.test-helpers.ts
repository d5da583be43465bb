// Test support, excluded from the build: the conformance table of TradesCache.
import { defineConformance, type FieldKind, type ParamSpec } from '@fullon/core/testing';
import { expect } from 'vitest';
import type { Trade } from './schema.js';
import { TradesCache } from './trades-cache.js';

const T0 = 1_717_171_717_000;
/** Small enough that the seed overflows a list, so the drop counters exist. */
const MAX_TRADES = 3;

/** Every field of a trade, with its kind (`side`, a picklist of strings, is attacked as a name). */
const TRADE_FIELDS: Readonly<Record<string, FieldKind>> = {
  tradeId: 'id',
  symbol: 'name',
  side: 'name',
  volume: 'nonNegative',
  price: 'nonNegative',
  cost: 'nonNegative',
  fee: 'number',
  time: 'epochMs',
  exTradeId: 'name',
  exOrderId: 'name',
  userId: 'id',
  exId: 'id',
  orderType: 'name',
  leverage: 'number',
  curVolume: 'number',
  curAvgPrice: 'number',
  curAvgCost: 'number',
  curFee: 'number',
  roi: 'number',
  roiPct: 'number',
  totalFee: 'number',
};
const symbol: ParamSpec = { name: 'symbol', kind: 'name' };
const exchange: ParamSpec = { name: 'exchange', kind: 'name' };
const userId: ParamSpec = { name: 'userId', kind: 'id' };
const statusKey: ParamSpec = { name: 'key', kind: 'name' };
const readOptions: ParamSpec = {
  name: 'options',
  kind: 'options',
  optional: true,
  fields: { limit: 'count' },
};

/** A valid trade; `i` numbers it. */
function trade(i: number, overrides: Partial<Trade> = {}): Trade {
  return {
    tradeId: i,
    symbol: 'BTC/USDT',
    side: i % 2 === 0 ? 'buy' : 'sell',
    volume: 0.5,
    price: 64_000 + i,
    cost: 32_000,
    fee: 3.2,
    time: T0 + i,
    ...overrides,
  };
}

/** The conformance table of `TradesCache`. */
export const tradesConformance = defineConformance<TradesCache>({
  name: 'trades',
  cacheClass: TradesCache,
  create: (conn) => new TradesCache(conn, { maxTrades: MAX_TRADES }),
  async seed(cache) {
    // One more than the cap: the lists are full and the drop counters hold 1.
    const four = [0, 1, 2, 3].map((i) => trade(i));
    await cache.pushTrades('binance', four);
    for (const t of four) await cache.pushUserTrade(1, 'binance', { ...t, userId: 1 });
    await cache.updateUserTradeStatus('binance', T0);
  },
  families: {
    trades: {},
    'trades-dropped': {},
    'trades-user': {},
    'trades-user-dropped': {},
    'trades-status': {},
    'trades-user-status': {},
  },
  methods: {
    pushTrade: {
      kind: 'write',
      params: [exchange, { name: 'trade', kind: 'record', fields: TRADE_FIELDS }],
      args: (i) => ['binance', trade(i, { symbol: `S${i}/USDT` })],
    },
    pushTrades: {
      kind: 'write',
      params: [exchange, { name: 'trades', kind: 'records', fields: TRADE_FIELDS }],
      args: (i) => ['binance', [trade(i, { symbol: `S${i}/USDT` }), trade(i + 1)]],
    },
    getTrades: {
      // Drains: it changes stored data.
      kind: 'write',
      params: [symbol, exchange, readOptions],
      args: (i) => [i === 0 ? 'BTC/USDT' : `S${i}/USDT`, 'binance', { limit: 2 }],
    },
    peekTrades: {
      kind: 'listing',
      params: [symbol, exchange, readOptions],
      args: () => ['BTC/USDT', 'binance', { limit: 2 }],
    },
    getTradeAnalytics: {
      kind: 'listing',
      params: [symbol, exchange],
      args: () => ['BTC/USDT', 'binance'],
    },
    getOverflow: { kind: 'read', params: [symbol, exchange], args: () => ['BTCUSDT', 'binance'] },
    pushUserTrade: {
      kind: 'write',
      params: [userId, exchange, { name: 'trade', kind: 'record', fields: TRADE_FIELDS }],
      args: (i) => [i + 1, 'binance', trade(i, { userId: i + 1 })],
    },
    popUserTrade: {
      kind: 'take',
      params: [
        userId,
        exchange,
        { name: 'options', kind: 'options', optional: true, fields: { timeoutMs: 'waitMs' } },
      ],
      args: () => [1, 'binance', { timeoutMs: 20 }],
      async pushItem(cache) {
        await cache.pushUserTrade(1, 'binance', trade(99, { userId: 1 }));
      },
    },
    getUserOverflow: { kind: 'read', params: [userId, exchange], args: () => [1, 'binance'] },
    updateTradeStatus: {
      kind: 'write',
      params: [statusKey],
      args: (i) => [i === 0 ? 'binance' : `K${i}`],
    },
    getTradeStatus: { kind: 'read', params: [statusKey], args: () => ['binance'], volatile: true },
    getAllTradeStatuses: { kind: 'listing', params: [], args: () => [], volatile: true },
    updateUserTradeStatus: {
      kind: 'write',
      params: [statusKey, { name: 'at', kind: 'epochMs', optional: true }],
      args: (i) => [i === 0 ? 'binance' : `K${i}`, T0 + i],
    },
    getUserTradeStatus: { kind: 'read', params: [statusKey], args: () => ['binance'] },
    getAllUserTradeStatuses: { kind: 'listing', params: [], args: () => [] },
    deleteUserTradeStatuses: { kind: 'write', params: [], args: () => [] },
  },
  prototypeNames: {
    async 'symbol and exchange'(cache, name) {
      await cache.pushTrade(name, trade(1, { symbol: name }));
      expect((await cache.peekTrades(name, name)).map((t) => t.symbol)).toEqual([name]);
      expect((await cache.getTradeAnalytics(name, name)).count).toBe(1);
      expect(await cache.getTradeStatus(name)).not.toBeNull();
      expect(Object.keys(await cache.getAllTradeStatuses())).toContain(name);
      expect((await cache.getTrades(name, name)).map((t) => t.symbol)).toEqual([name]);
    },
    async 'user trade exchange and user id'(cache, name) {
      await cache.pushUserTrade(name, name, trade(1, { userId: name }));
      const popped = await cache.popUserTrade(name, name);
      expect(popped?.userId).toBe(name);
    },
    async 'status keys'(cache, name) {
      await cache.updateUserTradeStatus(name, T0 + 5);
      expect(await cache.getUserTradeStatus(name)).toBe(T0 + 5);
      const all = await cache.getAllUserTradeStatuses();
      expect(Object.keys(all).sort()).toEqual(['binance', name].sort());
      expect(Object.getOwnPropertyDescriptor(all, name)?.value).toBe(T0 + 5);
      expect(await cache.deleteUserTradeStatuses()).toBe(2);
    },
  },
});
