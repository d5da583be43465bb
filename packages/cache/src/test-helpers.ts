// Test support, excluded from the build.
import { expect } from 'vitest';
import type { Caches } from './caches.js';

/**
 * One write and one read through every cache of the umbrella.
 * @param c - The caches under test.
 */
export async function exerciseEveryCache(c: Caches): Promise<void> {
  const now = Date.now();
  await c.ticks.setTicker({ symbol: 'BTC/USDT', exchange: 'binance', price: 64_000, time: now });
  expect(await c.ticks.getPrice('BTC/USDT', 'binance')).toBe(64_000);

  await c.symbols.setSymbols('binance', [{ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT' }]);
  expect((await c.symbols.getSymbol('BTC/USDT', 'binance'))?.base).toBe('BTC');

  await c.exchanges.setCatExchanges([{ catExId: 1, name: 'binance' }]);
  expect((await c.exchanges.getCatExchanges()).map((e) => e.name)).toEqual(['binance']);

  await c.orders.pushOpenOrder('binance', {
    orderId: 42,
    symbol: 'BTC/USDT',
    side: 'buy',
    volume: 0.1,
  });
  expect(await c.orders.getQueueLength('binance')).toBe(1);

  await c.trades.pushTrade('binance', {
    tradeId: 't1',
    symbol: 'BTC/USDT',
    side: 'buy',
    volume: 0.1,
    price: 64_000,
    cost: 6_400,
    fee: 1,
    time: now,
  });
  expect((await c.trades.peekTrades('BTC/USDT', 'binance')).map((t) => t.tradeId)).toEqual(['t1']);

  await c.accounts.setUserBalances(7, { USDT: { total: 100, free: 60, used: 40 } });
  expect(await c.accounts.getUserBalance(7, 'USDT')).toEqual({ total: 100, free: 60, used: 40 });

  const lease = await c.bots.blockExchange(7, 'BTC/USDT', 'bot-1');
  expect(lease).not.toBeNull();
  expect(await c.bots.isBlocked(7, 'BTC/USDT')).toBe('bot-1');

  const minute = Math.floor(now / 60_000) * 60_000;
  await c.ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [[minute, 1, 2, 0.5, 1.5, 10]]);
  expect(await c.ohlcv.getLastBar('BTC/USDT', 'binance', '1m')).toEqual([
    minute,
    1,
    2,
    0.5,
    1.5,
    10,
  ]);

  const id = await c.processes.registerProcess('bot', 'bot-1');
  expect((await c.processes.getProcess(id))?.component).toBe('bot-1');

  // Blocking pops, claims, drains and deletes: the commands a least-privilege user needs too.
  const claim = await c.orders.claimOpenOrder('binance', { timeoutMs: 1_000 });
  expect(claim?.order.orderId).toBe(42);
  await claim?.ack();
  expect((await c.trades.getTrades('BTC/USDT', 'binance')).map((t) => t.tradeId)).toEqual(['t1']);
  await c.exchanges.pushWsError(7, 'socket closed');
  expect(await c.exchanges.popWsError(7, { timeoutMs: 1_000 })).toBe('socket closed');
  await c.processes.heartbeat(id);
  expect(await c.ticks.deleteTicker('BTC/USDT', 'binance')).toBe(true);
}
