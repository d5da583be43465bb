/**
 * @fullon/cache: every cache on one connection with createCaches — a ticker feeds a bot that
 * blocks its symbol, queues an order, records the trade and its position, while the process
 * registry and the candles follow along; openCaches owns a connection of its own.
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/all-caches.ts --operations basic --verbose)
 */
import { createCaches, openCaches } from '@fullon/cache';
import type { CacheConnection } from '@fullon/core';
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['basic', 'owned']);

async function basic(conn: CacheConnection, verbose: boolean): Promise<void> {
  // One connection, nine caches; per-cache options pass straight through.
  const caches = createCaches(conn, { ticks: { ttlMs: 3_600_000 }, orders: { maxAttempts: 3 } });
  const { ticks, symbols, orders, trades, accounts, bots, ohlcv, processes } = caches;
  check(caches.ticks.connection === conn && caches.processes.connection === conn, 'shared');
  report(verbose, 'createCaches(conn) built every cache on the one connection');

  const botProcess = await processes.registerProcess('bot', 'bot-1', { status: 'running' });
  report(verbose, `registerProcess bot-1 → ${botProcess}`);

  await symbols.setSymbols('binance', [{ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT' }]);
  const now = Date.now();
  await ticks.setTicker({ symbol: 'BTC/USDT', exchange: 'binance', price: 64_250.5, time: now });
  const price = await ticks.getPrice('BTC/USDT', 'binance');
  check(price === 64_250.5, 'ticker stored');
  report(verbose, 'setTicker BTC/USDT on binance, getPrice', price);

  const block = await bots.blockExchange(7, 'BTC/USDT', 'bot-1', { ttlMs: 60_000 });
  check(block.acquired, 'bot-1 blocks BTC/USDT on account 7');
  report(verbose, 'blockExchange(7, BTC/USDT, bot-1) with a fencing token', block);

  await orders.pushOpenOrder('binance', {
    orderId: 42,
    symbol: 'BTC/USDT',
    side: 'buy',
    volume: 0.1,
  });
  const claim = await orders.claimOpenOrder('binance', { timeoutMs: 1_000 });
  check(claim?.orderId === '42', 'the executor claims order 42');
  await claim.ack();
  await orders.saveOrder('binance', {
    orderId: 42,
    symbol: 'BTC/USDT',
    side: 'buy',
    volume: 0.1,
    status: 'filled',
  });
  report(verbose, 'pushOpenOrder → claimOpenOrder → ack, saveOrder status filled');

  await trades.pushTrade('binance', {
    tradeId: 't-42',
    symbol: 'BTC/USDT',
    side: 'buy',
    volume: 0.1,
    price: 64_250.5,
    cost: 6_425.05,
    fee: 6.4,
    time: now,
  });
  await accounts.setPosition(7, { symbol: 'BTC/USDT', volume: 0.1, price: 64_250.5 });
  const summary = await accounts.getPortfolioSummary(7, { prices: ticks, exchange: 'binance' });
  report(verbose, 'pushTrade, setPosition, getPortfolioSummary priced by the TickCache', summary);

  const minute = Math.floor(now / 60_000) * 60_000;
  await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [
    [minute, 64_200, 64_260, 64_190, 64_250.5, 1.2],
  ]);
  check((await ohlcv.getLastBar('BTC/USDT', 'binance', '1m'))?.[4] === 64_250.5, 'candle');
  report(verbose, 'updateOhlcvBars: the forming 1m candle');

  check((await bots.unblockExchange(7, 'BTC/USDT', 'bot-1')) === true, 'block released');
  check(await processes.stopProcess(botProcess, 'done'), 'process stopped');
  report(verbose, 'unblockExchange and stopProcess: bot-1 is done');
}

async function owned(conn: CacheConnection, verbose: boolean): Promise<void> {
  // openCaches owns its connection; `await using` closes it at the end of the block.
  await using caches = await openCaches({ ...conn.config });
  await caches.ticks.setTicker({
    symbol: 'ETH/USDT',
    exchange: 'binance',
    price: 3_100,
    time: Date.now(),
  });
  check((await caches.ticks.getPrice('ETH/USDT', 'binance')) === 3_100, 'openCaches reads');
  report(verbose, 'openCaches() with `await using`: one connection, closed on dispose');
}

await runExample('all-caches', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;
  if (wants('basic')) await basic(conn, args.verbose);
  if (wants('owned')) await owned(conn, args.verbose);
});
