import { defineConformance, type ParamSpec } from '@fullon/core/testing';
import { expect } from 'vitest';
import { OHLCVCache } from './ohlcv-cache.js';
import type { Bar } from './schema.js';
import { barAt, MIN, T0 } from './test-helpers.js';

const symbol: ParamSpec = { name: 'symbol', kind: 'name' };
const exchange: ParamSpec = { name: 'exchange', kind: 'name' };
// A timeframe is a name from a fixed list: every hostile name is refused, and the awkward
// names (`a*b`, `constructor`…) are refused as well, as a typed ValidationError.
const timeframe: ParamSpec = { name: 'timeframe', kind: 'name' };
// Bars are tuples, not object records: the kit's field attacks (which replace a property of
// an object record) do not apply, so no `fields`; bad slots (`bars[i].time`, a high below
// the low…) are covered by ohlcv-cache.test.ts.
const bars: ParamSpec = { name: 'bars', kind: 'records' };

/** Five one-minute bars from T0; `seed` varies the prices. */
function series(seed = 0): Bar[] {
  return Array.from({ length: 5 }, (_, k) => barAt(T0 + k * MIN, seed + k));
}

/** The conformance table of `OHLCVCache`. */
export const ohlcvConformance = defineConformance<OHLCVCache>({
  name: 'ohlcv',
  cacheClass: OHLCVCache,
  create: (conn) => new OHLCVCache(conn),
  async seed(cache) {
    await cache.updateOhlcvBars('BTC/USDT', 'binance', '1m', series());
    await cache.updateOhlcvBars('ETH/USDT', 'binance', '1m', series(7));
  },
  families: { ohlcv: {} },
  methods: {
    updateOhlcvBars: {
      kind: 'write',
      params: [symbol, exchange, timeframe, bars],
      // A distinct series per call, so every call's effect is a key of its own.
      args: (i) => [`S${i}/USDT`, 'binance', '1m', [barAt(T0 + 10 * MIN, i), barAt(T0, i)]],
    },
    getLatestOhlcvBars: {
      kind: 'listing',
      params: [symbol, exchange, timeframe, { name: 'count', kind: 'count' }],
      args: () => ['BTC/USDT', 'binance', '1m', 3],
    },
    getOhlcvBars: {
      kind: 'listing',
      params: [
        symbol,
        exchange,
        timeframe,
        {
          name: 'options',
          kind: 'options',
          optional: true,
          fields: { from: 'epochMs', to: 'epochMs', limit: 'count' },
        },
      ],
      args: () => ['BTC/USDT', 'binance', '1m', { from: T0 + MIN, to: T0 + 3 * MIN, limit: 10 }],
    },
    getLastBar: {
      kind: 'read',
      params: [symbol, exchange, timeframe],
      args: () => ['BTC/USDT', 'binance', '1m'],
    },
    subscribe: {
      kind: 'subscription',
      params: [
        {
          name: 'options',
          kind: 'options',
          fields: {
            symbol: 'name',
            exchange: 'name',
            timeframe: 'name',
            signal: 'signal',
            bufferSize: 'count',
          },
        },
      ],
      args: () => [{ symbol: 'BTC/USDT', exchange: 'binance', timeframe: '1m' }],
    },
  },
  prototypeNames: {
    async 'symbol and exchange'(cache, name) {
      const bar = barAt(T0, 3);
      await cache.updateOhlcvBars(name, name, '1m', [bar]);
      expect(await cache.getLastBar(name, name, '1m')).toEqual(bar);
      expect(await cache.getLatestOhlcvBars(name, name, '1m', 10)).toEqual([bar]);
      expect(await cache.getOhlcvBars(name, name, '1m', { from: T0 })).toEqual([bar]);
      expect(await cache.getLastBar(name, 'binance', '1m')).toBeNull();
    },
  },
});
