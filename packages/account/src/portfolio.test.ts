import { type CacheConnection, ValidationError } from '@fullon/core';
import { rejection, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { AccountCache } from './account-cache.js';
import type { PriceSource } from './types.js';

/**
 * A price source that reads prices stored in Redis through the same connection: the shape a
 * TickCache has (`getPrice(symbol, exchange)`), without depending on @fullon/tick. A test with a
 * real TickCache as the source belongs to the umbrella package and the examples.
 */
function redisPrices(conn: CacheConnection): PriceSource & {
  set(symbol: string, exchange: string, price: number): Promise<void>;
  asked: string[];
} {
  const key = (exchange: string) => conn.keys.tagged('test-prices', exchange);
  const asked: string[] = [];
  return {
    asked,
    async set(symbol, exchange, price) {
      await conn.send(key(exchange), ['HSET', key(exchange), symbol, String(price)]);
    },
    async getPrice(symbol, exchange) {
      asked.push(`${exchange}:${symbol}`);
      const text = await conn.send<string | null>(key(exchange), ['HGET', key(exchange), symbol]);
      return text === null ? null : Number(text);
    },
  };
}

describe('AccountCache portfolio summary', () => {
  const conn = useTestConnection();

  it('totals balances and counts positions without a price source', async () => {
    const accounts = new AccountCache(conn());
    await accounts.setUserBalances(1, {
      BTC: { total: 1.5, free: 1, used: 0.5 },
      USDT: { total: 1_000, free: 1_000, used: 0 },
    });
    await accounts.upsertPositions(1, [{ symbol: 'BTC/USDT', volume: 0.5, price: 60_000 }]);
    expect(await accounts.getPortfolioSummary(1)).toEqual({
      exId: 1,
      totals: { BTC: 1.5, USDT: 1_000 },
      positionCount: 1,
      exposure: null,
      unrealizedPnl: null,
      unpriced: [],
    });
    expect(await accounts.getPortfolioSummary(2)).toEqual({
      exId: 2,
      totals: {},
      positionCount: 0,
      exposure: null,
      unrealizedPnl: null,
      unpriced: [],
    });
  });

  it('values positions at current prices from a price source', async () => {
    const accounts = new AccountCache(conn());
    const prices = redisPrices(conn());
    await prices.set('BTC/USDT', 'kraken', 64_000);
    await prices.set('ETH/USDT', 'kraken', 3_000);
    await prices.set('BTC/USDT', 'binance', 1);
    await accounts.setUserBalances(3, { USDT: { total: 500, free: 500, used: 0 } });
    await accounts.upsertPositions(3, [
      { symbol: 'BTC/USDT', volume: 0.5, price: 60_000 }, // long, +2 000
      { symbol: 'ETH/USDT', volume: -2, price: 3_100 }, // short, +200
      { symbol: 'DOGE/USDT', volume: 100, price: 0.1 }, // no price
    ]);
    const summary = await accounts.getPortfolioSummary(3, { prices, exchange: 'kraken' });
    expect(summary).toEqual({
      exId: 3,
      totals: { USDT: 500 },
      positionCount: 3,
      exposure: 0.5 * 64_000 + 2 * 3_000,
      unrealizedPnl: 0.5 * 4_000 + -2 * -100,
      unpriced: ['DOGE/USDT'],
    });
    expect(prices.asked.sort()).toEqual(['kraken:BTC/USDT', 'kraken:DOGE/USDT', 'kraken:ETH/USDT']);
  });

  it('rejects a price source without getPrice, or without an exchange', async () => {
    const accounts = new AccountCache(conn());
    const noMethod = await rejection(
      accounts.getPortfolioSummary(1, {
        prices: {} as unknown as PriceSource,
        exchange: 'kraken',
      }),
    );
    expect((noMethod as ValidationError).field).toBe('options.prices');
    const noExchange = await rejection(
      accounts.getPortfolioSummary(1, {
        prices: redisPrices(conn()),
      } as unknown as { prices: PriceSource; exchange: string }),
    );
    expect(ValidationError.is(noExchange)).toBe(true);
    expect((noExchange as ValidationError).field).toBe('options.exchange');
  });

  it('checks options.prices and options.exchange whenever given, naming them', async () => {
    const accounts = new AccountCache(conn());
    for (const prices of [null, 42, 'ticks', [], new Map(), { getPrice: 1 }]) {
      const error = await rejection(
        accounts.getPortfolioSummary(1, { prices, exchange: 'kraken' } as never),
      );
      expect(ValidationError.is(error) && error.field, String(prices)).toBe('options.prices');
    }
    // An exchange without a price source is not used, but a wrong one is still a mistake.
    for (const exchange of [42, '', null, 'a\nb', {}]) {
      const error = await rejection(accounts.getPortfolioSummary(1, { exchange } as never));
      expect(ValidationError.is(error) && error.field, String(exchange)).toBe('options.exchange');
    }
  });
});
