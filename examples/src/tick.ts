/**
 * @fullon/tick: live tickers — write-if-newer, reads, merges, listings, deletes, pub/sub and
 * waitForTicker.
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/tick.ts --operations basic --verbose)
 */
import type { CacheConnection } from '@fullon/core';
import { type Tick, TickCache } from '@fullon/tick';
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['basic', 'pubsub']);

async function basic(conn: CacheConnection, verbose: boolean): Promise<void> {
  const ticks = new TickCache(conn);
  const now = Date.now();
  const btc: Tick = {
    symbol: 'BTC/USDT',
    exchange: 'binance',
    price: 64_250.5,
    time: now,
    bid: 64_250,
    ask: 64_251,
    volume: 1_234.5,
  };
  check(await ticks.setTicker(btc), 'setTicker stores a new tick');
  report(verbose, 'setTicker BTC/USDT on binance (stored and published in one step)', btc);

  const stale = { ...btc, price: 1, time: now - 60_000 };
  check(!(await ticks.setTicker(stale)), 'an older tick is refused');
  report(verbose, 'setTicker with an older time returns false and changes nothing');
  check((await ticks.getPrice('BTC/USDT', 'binance')) === btc.price, 'getPrice after refusal');

  const read = await ticks.getTicker({ symbol: 'BTC/USDT', exchange: 'binance' });
  check(read?.ask === 64_251, 'getTicker by reference');
  report(verbose, 'getTicker({ symbol, exchange })', read);
  const fresh = await ticks.getTicker('BTC/USDT', 'binance', { maxAgeMs: 5_000 });
  check(fresh !== null, 'a tick written just now is fresh');
  report(verbose, 'getTicker with maxAgeMs 5 000 returns it (it is fresh)');

  const merged = await ticks.updateTicker('BTC/USDT', 'binance', { last: 64_250.75, change: 120 });
  check(merged?.last === 64_250.75 && merged.bid === 64_250, 'updateTicker merges');
  report(verbose, 'updateTicker merged last and change, kept the rest', merged);
  check((await ticks.updateTicker('NONE/USDT', 'binance', { price: 1 })) === null, 'no-op merge');
  report(verbose, 'updateTicker on a missing ticker returns null and creates nothing');

  const written = await ticks.setTickers([
    { symbol: 'ETH/USDT', exchange: 'binance', price: 3_100, time: now },
    { symbol: 'ETH/USD', exchange: 'kraken', price: 3_099.5, time: now },
    { symbol: 'PEPE/USDC', exchange: 'my-dex-42', price: 0.000_012_3, time: now },
  ]);
  check(written.every(Boolean), 'setTickers writes every new tick');
  report(verbose, 'setTickers wrote 3 ticks on 3 exchanges (one script call per exchange)');

  const binance = await ticks.getTickers('binance');
  check(binance.length === 2, 'binance has two tickers');
  report(verbose, `getTickers('binance') → ${binance.map((t) => t.symbol).join(', ')}`);
  const all = await ticks.getAllTickers();
  check(
    all.some((t) => t.exchange === 'my-dex-42'),
    'getAllTickers sees an exchange outside any list',
  );
  report(verbose, `getAllTickers() → ${all.map((t) => `${t.exchange}:${t.symbol}`).join(', ')}`);
  const any = await ticks.getAnyTicker('PEPE/USDC');
  check(any?.exchange === 'my-dex-42', 'getAnyTicker finds the exchange');
  report(verbose, 'getAnyTicker PEPE/USDC', any);

  check((await ticks.deleteTicker('ETH/USDT', 'binance')) === true, 'deleteTicker says it existed');
  report(verbose, 'deleteTicker ETH/USDT on binance → true');
  const removed = await ticks.deleteExchangeTickers('binance');
  check(removed === 1, 'deleteExchangeTickers counts what was left');
  report(verbose, `deleteExchangeTickers('binance') → ${removed}`);

  {
    // A cache with a connection of its own, closed at the end of the block.
    await using own = await TickCache.open({ ...conn.config });
    check((await own.getPrice('ETH/USD', 'kraken')) === 3_099.5, 'TickCache.open reads');
    report(verbose, 'TickCache.open() with `await using` reads kraken ETH/USD and closes itself');
  }
}

async function pubsub(conn: CacheConnection, verbose: boolean): Promise<void> {
  const ticks = new TickCache(conn);
  const controller = new AbortController();
  const stream = ticks.subscribe({ exchange: 'kraken', signal: controller.signal });
  await stream.ready;
  report(verbose, 'subscribed to every kraken ticker');
  const received: Tick[] = [];
  const listening = (async () => {
    for await (const tick of stream) {
      received.push(tick);
      if (received.length === 2) controller.abort();
    }
  })();
  const now = Date.now();
  await ticks.setTicker({ symbol: 'BTC/USD', exchange: 'kraken', price: 64_100, time: now });
  await ticks.setTicker({ symbol: 'BTC/USDT', exchange: 'binance', price: 64_200, time: now });
  await ticks.setTicker({ symbol: 'SOL/USD', exchange: 'kraken', price: 150.25, time: now });
  await listening;
  check(received.map((t) => t.symbol).join() === 'BTC/USD,SOL/USD', 'only kraken ticks, in order');
  report(
    verbose,
    `received ${received.length} kraken ticks, then the abort ended the loop`,
    received,
  );

  const waiting = ticks.waitForTicker('XRP/USD', 'kraken', { timeoutMs: 5_000 });
  setTimeout(() => {
    void ticks.setTicker({ symbol: 'XRP/USD', exchange: 'kraken', price: 0.52, time: Date.now() });
  }, 50);
  const next = await waiting;
  check(next?.price === 0.52, 'waitForTicker returns the next tick');
  report(verbose, 'waitForTicker returned the tick written 50 ms after it started', next);
  const none = await ticks.waitForTicker('NOTHING/USD', 'kraken', { timeoutMs: 100 });
  check(none === null, 'waitForTicker returns null at its timeout');
  report(verbose, 'waitForTicker on a silent ticker returned null after 100 ms');
}

await runExample('tick', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;
  if (wants('basic')) await basic(conn, args.verbose);
  if (wants('pubsub')) await pubsub(conn, args.verbose);
});
