/**
 * @fullon/ohlcv: candles per market and timeframe — merge by open time (the forming candle
 * updates in place, late bars land in order), the newest-N cap, reads by count and by range,
 * and live updates.
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/ohlcv.ts --operations basic --verbose)
 */
import type { CacheConnection } from '@fullon/core';
import { alignTime, type Bar, OHLCVCache } from '@fullon/ohlcv';
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['basic', 'pubsub']);
const MIN = 60_000;

async function basic(conn: CacheConnection, verbose: boolean): Promise<void> {
  const ohlcv = new OHLCVCache(conn, { maxBars: 500 });
  const open = alignTime(Date.now(), '1m') - 3 * MIN;
  const bars: Bar[] = [
    [open, 64_000, 64_100, 63_950, 64_050, 12.5],
    [open + 2 * MIN, 64_080, 64_120, 64_010, 64_020, 8.25],
  ];
  await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', bars);
  report(verbose, 'updateOhlcvBars stored 2 closed 1m candles (one atomic script)', bars);

  // The candle between them arrives late: it lands in order.
  await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [
    [open + MIN, 64_050, 64_090, 64_000, 64_080, 5],
  ]);
  const three = await ohlcv.getLatestOhlcvBars('BTC/USDT', 'binance', '1m', 10);
  check(three.map((b) => b[0]).join() === [open, open + MIN, open + 2 * MIN].join(), 'in order');
  report(verbose, 'a late bar was inserted between the others', three);

  // The forming candle updates in place: same open time, new values.
  const forming = open + 3 * MIN;
  for (const [close, volume] of [
    [64_030, 0.5],
    [64_060, 1.75],
    [64_010, 2.5],
  ] as const) {
    await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [
      [forming, 64_020, Math.max(64_060, close), 64_000, close, volume],
    ]);
  }
  const last = await ohlcv.getLastBar('BTC/USDT', 'binance', '1m');
  check(last?.[0] === forming && last[4] === 64_010, 'the forming candle holds its last update');
  check((await ohlcv.getLatestOhlcvBars('BTC/USDT', 'binance', '1m', 10)).length === 4, 'no dupes');
  report(verbose, 'getLastBar after 3 updates of the forming candle', last);

  const range = await ohlcv.getOhlcvBars('BTC/USDT', 'binance', '1m', {
    from: open + MIN,
    to: open + 2 * MIN,
  });
  check(range.length === 2, 'from and to are inclusive');
  report(verbose, 'getOhlcvBars { from, to } (inclusive)', range);
  const newest2 = await ohlcv.getOhlcvBars('BTC/USDT', 'binance', '1m', { limit: 2 });
  check(newest2[1]?.[0] === forming, 'limit without from gives the newest');
  report(verbose, 'getOhlcvBars { limit: 2 } → the newest 2, oldest first', newest2);

  await ohlcv.updateOhlcvBars('BTC/USDT', 'kraken', '1m', [
    [open, 63_990, 64_090, 63_940, 64_040, 3],
  ]);
  const kraken = await ohlcv.getLastBar('BTC/USDT', 'kraken', '1m');
  check(kraken?.[1] === 63_990, 'each exchange has its own series');
  report(verbose, 'kraken BTC/USDT 1m is its own series (the Python key had no exchange)');

  try {
    await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [[open + 30_000, 1, 2, 0.5, 1, 1]]);
    check(false, 'a misaligned bar must be refused');
  } catch (error) {
    report(verbose, `a bar at :30 s is refused: ${(error as Error).message}`);
  }
  const weekly = alignTime(Date.now(), '1w');
  check(new Date(weekly).getUTCDay() === 1, 'weeks start on Monday');
  report(verbose, `1w candles open on Monday 00:00 UTC: ${new Date(weekly).toISOString()}`);

  {
    await using own = await OHLCVCache.open({ ...conn.config });
    check((await own.getLastBar('BTC/USDT', 'binance', '1m'))?.[0] === forming, 'open() reads');
    report(verbose, 'OHLCVCache.open() with `await using` reads and closes itself');
  }
}

async function pubsub(conn: CacheConnection, verbose: boolean): Promise<void> {
  const ohlcv = new OHLCVCache(conn);
  const controller = new AbortController();
  const stream = ohlcv.subscribe({
    symbol: 'ETH/USDT',
    exchange: 'binance',
    timeframe: '5m',
    signal: controller.signal,
  });
  await stream.ready;
  report(verbose, 'subscribed to binance ETH/USDT 5m');
  const received: Bar[] = [];
  const listening = (async () => {
    for await (const bar of stream) {
      received.push(bar);
      if (received.length === 3) controller.abort();
    }
  })();
  const open = alignTime(Date.now(), '5m');
  await ohlcv.updateOhlcvBars('ETH/USDT', 'binance', '5m', [
    [open - 5 * MIN, 3_100, 3_110, 3_090, 3_105, 40],
    [open, 3_105, 3_108, 3_101, 3_102, 2],
  ]);
  await ohlcv.updateOhlcvBars('ETH/USDT', 'binance', '1m', [[open, 3_105, 3_106, 3_104, 3_105, 1]]);
  await ohlcv.updateOhlcvBars('ETH/USDT', 'binance', '5m', [[open, 3_105, 3_112, 3_101, 3_111, 5]]);
  await listening;
  check(received.length === 3 && received[2]?.[4] === 3_111, 'three 5m bars, in order');
  report(verbose, 'received each upserted 5m bar (the 1m write went elsewhere)', received);
}

await runExample('ohlcv', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;
  if (wants('basic')) await basic(conn, args.verbose);
  if (wants('pubsub')) await pubsub(conn, args.verbose);
});
