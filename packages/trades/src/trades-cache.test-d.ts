import type { CacheConnectionLike } from '@fullon/core';
import type { Id } from '@fullon/core/author';
import { describe, expectTypeOf, it } from 'vitest';
import type { Trade, TradeAnalytics } from './index.js';
import { TradesCache } from './index.js';

declare const conn: CacheConnectionLike;
declare const trade: Trade;

describe('TradesCache types', () => {
  it('answers what the contract says', () => {
    const trades = new TradesCache(conn);
    expectTypeOf(trades.pushTrade('binance', trade)).resolves.toEqualTypeOf<number>();
    expectTypeOf(trades.pushTrades('binance', [trade])).resolves.toEqualTypeOf<number>();
    expectTypeOf(trades.getTrades('BTC/USDT', 'binance')).resolves.toEqualTypeOf<Trade[]>();
    expectTypeOf(trades.peekTrades('BTC/USDT', 'binance', { limit: 10 })).resolves.toEqualTypeOf<
      Trade[]
    >();
    expectTypeOf(
      trades.getTradeAnalytics('BTC/USDT', 'binance'),
    ).resolves.toEqualTypeOf<TradeAnalytics>();
    expectTypeOf(
      trades.popUserTrade(1, 'kraken', { timeoutMs: 1 }),
    ).resolves.toEqualTypeOf<Trade | null>();
    expectTypeOf(trades.getTradeStatus('binance')).resolves.toEqualTypeOf<number | null>();
    expectTypeOf(trades.getAllTradeStatuses()).resolves.toEqualTypeOf<Record<string, number>>();
    expectTypeOf(trades.deleteUserTradeStatuses()).resolves.toEqualTypeOf<number>();
    expectTypeOf<TradeAnalytics['vwap']>().toEqualTypeOf<number | null>();
    expectTypeOf<Trade['time']>().toEqualTypeOf<number>();
    expectTypeOf<Trade['side']>().toEqualTypeOf<'buy' | 'sell'>();
    // User ids are core's Id, as in every package (spec §0.1).
    expectTypeOf(trades.pushUserTrade).parameter(0).toEqualTypeOf<Id>();
    expectTypeOf(trades.popUserTrade).parameter(0).toEqualTypeOf<Id>();
    expectTypeOf(trades.getUserOverflow).parameter(0).toEqualTypeOf<Id>();
  });

  it('rejects misuse at compile time', () => {
    const trades = new TradesCache(conn);
    // @ts-expect-error the market comes from the trade: no symbol argument
    void trades.pushTrade('BTC/USDT', 'binance', trade);
    // @ts-expect-error options are an object
    void trades.popUserTrade(1, 'kraken', 5);
    // @ts-expect-error a trade needs its required fields
    void trades.pushTrade('binance', { tradeId: 1, symbol: 'BTC/USDT' });
  });
});
