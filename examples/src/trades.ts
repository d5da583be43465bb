/**
 * @fullon/trades: per-market trade lists drained atomically, per-user trade queues with a
 * blocking pop, status stamps, analytics and the list cap.
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/trades.ts --operations basic --verbose)
 */
import type { CacheConnection } from '@fullon/core';
import { type Trade, TradesCache } from '@fullon/trades';
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['basic', 'user', 'status']);

/** A trade as a collector reports it; override any field. */
function trade(overrides: Partial<Trade> = {}): Trade {
  return {
    tradeId: 1,
    symbol: 'BTC/USDT',
    side: 'buy',
    volume: 0.5,
    price: 64_000,
    cost: 32_000,
    fee: 3.2,
    time: Date.now(),
    ...overrides,
  };
}

async function basic(conn: CacheConnection, verbose: boolean): Promise<void> {
  const trades = new TradesCache(conn);

  const length = await trades.pushTrade('binance', trade({ tradeId: 1 }));
  check(length === 1, 'pushTrade returns the list length');
  report(verbose, 'pushTrade BTC/USDT on binance → list length 1');

  // 'BTCUSDT' names the same list as 'BTC/USDT' (the symbol without slashes, as in Python).
  const pushed = await trades.pushTrades('binance', [
    trade({
      tradeId: 2,
      symbol: 'BTCUSDT',
      side: 'sell',
      volume: 0.25,
      price: 64_100,
      cost: 16_025,
    }),
    trade({ tradeId: 3, volume: 1, price: 63_900, cost: 63_900, fee: 6.39 }),
    trade({ tradeId: 4, symbol: 'ETH/USDT', volume: 2, price: 3_100, cost: 6_200, fee: 0.62 }),
  ]);
  check(pushed === 3, 'pushTrades pushes every trade');
  report(verbose, 'pushTrades: 2 more BTC/USDT trades (one spelled BTCUSDT) and 1 ETH/USDT');

  const peeked = await trades.peekTrades('BTCUSDT', 'binance', { limit: 2 });
  check(peeked.map((t) => t.tradeId).join() === '1,2', 'peekTrades reads the oldest first');
  report(verbose, 'peekTrades BTCUSDT limit 2 (nothing removed)', peeked);

  const stats = await trades.getTradeAnalytics('BTC/USDT', 'binance');
  check(stats.count === 3 && stats.buyVolume === 1.5 && stats.sellVolume === 0.25, 'analytics');
  report(verbose, 'getTradeAnalytics BTC/USDT (pending trades, one read)', stats);

  const drained = await trades.getTrades('BTC/USDT', 'binance');
  check(drained.map((t) => t.tradeId).join() === '1,2,3', 'getTrades drains oldest first');
  check((await trades.getTrades('BTC/USDT', 'binance')).length === 0, 'the drain emptied it');
  report(verbose, `getTrades drained ${drained.length} trades atomically`, drained);

  {
    // A small cap, to show what happens when a consumer falls behind.
    const capped = new TradesCache(conn, { maxTrades: 2 });
    for (let i = 0; i < 5; i++) await capped.pushTrade('kraken', trade({ tradeId: i }));
    const dropped = await capped.getOverflow('BTC/USDT', 'kraken');
    check(dropped === 3, 'the cap drops the oldest and counts them');
    const kept = await capped.getTrades('BTC/USDT', 'kraken');
    check(kept.map((t) => t.tradeId).join() === '3,4', 'the newest are kept');
    report(verbose, `maxTrades 2: 5 pushes kept trades 3 and 4, getOverflow → ${dropped}`);
  }

  {
    // A cache with a connection of its own, closed at the end of the block.
    await using own = await TradesCache.open({ ...conn.config });
    const eth = await own.getTrades('ETH/USDT', 'binance');
    check(eth.length === 1, 'TradesCache.open drains');
    report(verbose, 'TradesCache.open() with `await using` drained ETH/USDT and closes itself');
  }
}

async function user(conn: CacheConnection, verbose: boolean): Promise<void> {
  const trades = new TradesCache(conn);
  await trades.pushUserTrade(42, 'kraken', trade({ tradeId: 'fill-1', userId: 42 }));
  await trades.pushUserTrade(42, 'kraken', trade({ tradeId: 'fill-2', userId: 42 }));
  const first = await trades.popUserTrade(42, 'kraken');
  check(first?.tradeId === 'fill-1', 'popUserTrade is FIFO');
  report(verbose, 'popUserTrade (no wait) → fill-1', first);
  const second = await trades.popUserTrade(42, 'kraken', { timeoutMs: 1_000 });
  check(second?.tradeId === 'fill-2', 'a waiting pop takes the next');
  report(verbose, 'popUserTrade with timeoutMs → fill-2');

  // A pop that waits on a dedicated connection; the trade arrives 100 ms later.
  const waiting = trades.popUserTrade(42, 'kraken', { timeoutMs: 5_000 });
  setTimeout(() => {
    void trades.pushUserTrade(42, 'kraken', trade({ tradeId: 'fill-3' }));
  }, 100);
  const third = await waiting;
  check(third?.tradeId === 'fill-3', 'a blocked pop receives the trade pushed meanwhile');
  report(verbose, 'popUserTrade waited and received fill-3, pushed 100 ms later');
  const none = await trades.popUserTrade(42, 'kraken', { timeoutMs: 100 });
  check(none === null, 'null at the timeout');
  report(verbose, 'popUserTrade on an empty queue returned null after 100 ms');
}

async function status(conn: CacheConnection, verbose: boolean): Promise<void> {
  const trades = new TradesCache(conn);
  const at = await trades.updateTradeStatus('bitfinex');
  check((await trades.getTradeStatus('bitfinex')) === at, 'getTradeStatus reads the stamp');
  report(verbose, `updateTradeStatus('bitfinex') → ${new Date(at).toISOString()}`);
  await trades.pushTrade('bybit', trade());
  const all = await trades.getAllTradeStatuses();
  check('bybit' in all && 'bitfinex' in all, 'pushTrade stamps its exchange');
  report(verbose, 'getAllTradeStatuses (one read of an index, no SCAN)', all);

  await trades.updateUserTradeStatus('user:42');
  await trades.updateUserTradeStatus('user:43', Date.now() - 60_000);
  const users = await trades.getAllUserTradeStatuses();
  check(Object.keys(users).length === 2, 'two user stamps');
  report(verbose, 'getAllUserTradeStatuses', users);
  const deleted = await trades.deleteUserTradeStatuses();
  check(deleted === 2, 'deleteUserTradeStatuses counts what it deleted');
  report(verbose, `deleteUserTradeStatuses() → ${deleted}`);
}

await runExample('trades', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;
  if (wants('basic')) await basic(conn, args.verbose);
  if (wants('user')) await user(conn, args.verbose);
  if (wants('status')) await status(conn, args.verbose);
});
