// Test support, excluded from the build: the conformance table of SymbolCache.
import { defineConformance, type FieldKind, type ParamSpec } from '@fullon/core/testing';
import { expect } from 'vitest';
import type { SymbolInfo } from './schema.js';
import { SymbolCache } from './symbol-cache.js';

/**
 * Every field of a symbol with its kind. The kit has no kind for a picklist, a timeframe or a
 * whole number from 0 (`decimals`, `backtest`): they are attacked with the values of the
 * nearest kind, every one of which they must refuse.
 */
const SYMBOL_FIELDS: Readonly<Record<string, FieldKind>> = {
  symbol: 'name',
  base: 'name',
  quote: 'name',
  symbolId: 'id',
  catExId: 'id',
  futures: 'boolean',
  decimals: 'nonNegative',
  precisionMode: 'name',
  pricePrecision: 'nonNegative',
  amountPrecision: 'nonNegative',
  updateFrame: 'name',
  backtest: 'nonNegative',
  onlyTicker: 'boolean',
  exchange: 'name',
};
const symbol: ParamSpec = { name: 'symbol', kind: 'name' };
const exchange: ParamSpec = { name: 'exchange', kind: 'name' };

/** A valid symbol. */
function info(name: string, extra: Partial<SymbolInfo> = {}): SymbolInfo {
  const [base = name, quote = 'USDT'] = name.split('/');
  return { symbol: name, base, quote, decimals: 2, futures: false, ...extra };
}
const SEEDED = [
  info('BTC/USDT', { precisionMode: 'tickSize', pricePrecision: 0.01 }),
  info('ETH/USDT'),
];

/** The conformance table of `SymbolCache`, with a deterministic read-through loader. */
export const symbolsConformance = defineConformance<SymbolCache>({
  name: 'symbols',
  cacheClass: SymbolCache,
  create: (conn) =>
    new SymbolCache(conn, {
      load: async (name) => (name === 'kraken' ? [info('XBT/USD')] : SEEDED),
    }),
  async seed(cache) {
    await cache.setSymbols('binance', SEEDED);
  },
  families: { symbols: {} },
  methods: {
    getSymbols: { kind: 'listing', params: [exchange], args: () => ['binance'] },
    getSymbol: { kind: 'read', params: [symbol, exchange], args: () => ['BTC/USDT', 'binance'] },
    symbolExists: {
      kind: 'read',
      params: [symbol, exchange],
      args: () => ['BTC/USDT', 'binance'],
    },
    setSymbols: {
      kind: 'write',
      params: [exchange, { name: 'symbols', kind: 'records', fields: SYMBOL_FIELDS }],
      args: (i) => [`X${i}`, [info(`S${i}/USDT`), info('ETH/USDT')]],
    },
    upsertSymbol: {
      kind: 'write',
      params: [exchange, { name: 'symbol', kind: 'record', fields: SYMBOL_FIELDS }],
      args: (i) => ['binance', info(`S${i}/USDT`)],
    },
    deleteSymbol: {
      kind: 'write',
      params: [symbol, exchange],
      args: (i) => [i === 0 ? 'BTC/USDT' : `S${i}/USDT`, 'binance'],
    },
    invalidate: {
      kind: 'write',
      params: [exchange],
      args: (i) => [i === 0 ? 'binance' : `X${i}`],
    },
  },
  prototypeNames: {
    async 'symbols, bases and exchanges'(cache, name) {
      await cache.setSymbols(name, [info(name, { base: name, quote: name }), info('ETH/USDT')]);
      expect(await cache.getSymbol(name, name)).toMatchObject({ symbol: name, exchange: name });
      expect(await cache.symbolExists(name, name)).toBe(true);
      expect((await cache.getSymbols(name)).map((s) => s.symbol).sort()).toEqual(
        ['ETH/USDT', name].sort(),
      );
      expect(await cache.upsertSymbol(name, info(`${name}/USDT`))).toBe(true);
      expect(await cache.deleteSymbol(name, name)).toBe(true);
      expect(await cache.symbolExists(name, name)).toBe(false);
    },
  },
});
