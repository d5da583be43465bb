import { defineConformance, type ParamSpec } from '@fullon/core/testing';
import { expect } from 'vitest';
import { TickCache } from './tick-cache.js';

const T0 = 1_700_000_000_000;
const TICK_FIELDS = {
  symbol: 'name',
  exchange: 'name',
  price: 'nonNegative',
  time: 'epochMs',
  bid: 'nonNegative',
  ask: 'nonNegative',
  last: 'nonNegative',
  volume: 'nonNegative',
  change: 'number',
  percentage: 'number',
} as const;
/** Every field `updateTicker` merges: the tick's fields except its names. */
const PATCH_FIELDS = {
  price: 'nonNegative',
  time: 'epochMs',
  bid: 'nonNegative',
  ask: 'nonNegative',
  last: 'nonNegative',
  volume: 'nonNegative',
  change: 'number',
  percentage: 'number',
} as const;
const symbol: ParamSpec = { name: 'symbol', kind: 'name' };
const exchange: ParamSpec = { name: 'exchange', kind: 'name' };
/** The options of `getTicker` and `getPrice`. */
const READ_OPTIONS: ParamSpec = {
  name: 'options',
  kind: 'options',
  optional: true,
  fields: { maxAgeMs: 'nonNegative' },
};

/** A valid tick; `i` names a distinct symbol. */
function tick(i: number, exchangeName = 'binance') {
  return {
    symbol: `S${i}/USDT`,
    exchange: exchangeName,
    price: 100 + i,
    bid: 99,
    ask: 101,
    last: 100 + i,
    volume: 5,
    change: -1.5,
    percentage: -0.5,
    time: T0 + i,
  };
}

/** The conformance table of `TickCache`. */
export const tickConformance = defineConformance<TickCache>({
  name: 'tick',
  cacheClass: TickCache,
  create: (conn) => new TickCache(conn),
  async seed(cache) {
    await cache.setTickers([tick(0), tick(1), tick(0, 'kraken')]);
  },
  families: { tick: {}, 'tick-index': { index: true }, 'tick-exchanges': { index: true } },
  methods: {
    setTicker: {
      kind: 'write',
      params: [
        { name: 'tick', kind: 'record', fields: TICK_FIELDS },
        { name: 'options', kind: 'options', optional: true, fields: { force: 'boolean' } },
      ],
      args: (i) => [tick(i), {}],
    },
    setTickers: {
      kind: 'write',
      params: [
        { name: 'ticks', kind: 'records', fields: TICK_FIELDS },
        { name: 'options', kind: 'options', optional: true, fields: { force: 'boolean' } },
      ],
      // A seeded ticker (the update path) and one new to its exchange (index and registry).
      args: (i) => [[tick(i), tick(i + 2, 'kraken')], {}],
    },
    getTicker: {
      kind: 'read',
      params: [symbol, exchange, READ_OPTIONS],
      args: () => ['S0/USDT', 'binance', {}],
    },
    getPrice: {
      kind: 'read',
      params: [symbol, exchange, READ_OPTIONS],
      args: () => ['S0/USDT', 'binance', {}],
    },
    updateTicker: {
      kind: 'write',
      params: [symbol, exchange, { name: 'patch', kind: 'record', fields: PATCH_FIELDS }],
      args: (i) => [`S${i}/USDT`, 'binance', { price: 5, time: T0 + 10 + i }],
    },
    getTickers: { kind: 'listing', params: [exchange], args: () => ['binance'] },
    getAllTickers: {
      kind: 'listing',
      params: [{ name: 'options', kind: 'options', optional: true, fields: { exchange: 'name' } }],
      args: () => [{}],
    },
    getAnyTicker: {
      kind: 'read',
      params: [symbol, { name: 'options', kind: 'options', optional: true }],
      args: () => ['S0/USDT', {}],
    },
    deleteTicker: {
      kind: 'write',
      params: [symbol, exchange],
      args: (i) => [`S${i}/USDT`, 'binance'],
    },
    deleteExchangeTickers: {
      kind: 'write',
      params: [exchange],
      args: (i) => [i % 2 === 0 ? 'binance' : 'kraken'],
    },
    subscribe: {
      kind: 'subscription',
      params: [
        {
          name: 'options',
          kind: 'options',
          optional: true,
          fields: { exchange: 'name', symbol: 'name', signal: 'signal', bufferSize: 'count' },
        },
      ],
      args: () => [{ exchange: 'binance' }],
    },
    waitForTicker: {
      kind: 'read',
      params: [
        symbol,
        exchange,
        {
          name: 'options',
          kind: 'options',
          optional: true,
          fields: { timeoutMs: 'waitMs', maxAgeMs: 'nonNegative' },
        },
      ],
      args: () => ['S0/USDT', 'binance', { timeoutMs: 20 }],
    },
  },
  prototypeNames: {
    async 'symbol and exchange'(cache, name) {
      await cache.setTicker({ symbol: name, exchange: name, price: 1, time: T0 });
      expect(await cache.getPrice(name, name)).toBe(1);
      expect((await cache.getTickers(name)).map((t) => t.symbol)).toEqual([name]);
      expect((await cache.getAllTickers()).filter((t) => t.exchange === name)).toHaveLength(1);
    },
  },
});
