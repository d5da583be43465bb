/**
 * @fullon/account: balances and positions per exchange account — replace all, update one
 * currency atomically, per-account positions, listings, and a portfolio summary priced by a
 * TickCache (composition: @fullon/account does not depend on @fullon/tick).
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/account.ts --operations basic --verbose)
 */
import { AccountCache } from '@fullon/account';
import type { CacheConnection } from '@fullon/core';
import { TickCache } from '@fullon/tick';
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['basic', 'positions', 'portfolio']);

async function basic(conn: CacheConnection, verbose: boolean): Promise<void> {
  const accounts = new AccountCache(conn);
  await accounts.setUserBalances(1000, {
    BTC: { total: 1.5, free: 1.2, used: 0.3 },
    ETH: { total: 10, free: 10, used: 0 },
    USDT: { total: 25_000, free: 20_000, used: 5_000 },
  });
  report(verbose, 'setUserBalances replaced every balance of account 1000 in one step');
  const btc = await accounts.getUserBalance(1000, 'BTC');
  check(btc?.total === 1.5, 'getUserBalance reads one currency');
  report(verbose, 'getUserBalance(1000, BTC)', btc);

  // Concurrent updates of different currencies never lose each other.
  await Promise.all(
    ['SOL', 'ADA', 'DOT', 'XRP'].map((currency, i) =>
      accounts.updateUserBalance(1000, currency, { total: i + 1, free: i + 1, used: 0 }),
    ),
  );
  const all = await accounts.getUserBalances(1000);
  check(Object.keys(all).length === 7, 'four concurrent updates kept, none lost');
  report(verbose, `updateUserBalance x4 concurrently → ${Object.keys(all).join(', ')}`);

  // A currency named like Python's metadata is a currency like any other.
  await accounts.updateUserBalance(1000, 'date', { total: 1, free: 1, used: 0 });
  check((await accounts.getUserBalance(1000, 'date'))?.total === 1, 'a currency named date');
  report(verbose, "a currency named 'date' round-trips (no metadata in the balances hash)");

  await accounts.setUserBalances(1001, { USDT: { total: 50, free: 50, used: 0 } });
  const accountsNow = await accounts.getAllAccounts();
  check(Object.keys(accountsNow).join() === '1000,1001', 'getAllAccounts lists both');
  report(verbose, `getAllAccounts() → accounts ${Object.keys(accountsNow).join(', ')}`);

  {
    await using own = await AccountCache.open({ ...conn.config });
    check((await own.getUserBalance('1000', 'ETH'))?.free === 10, 'AccountCache.open reads');
    report(
      verbose,
      "AccountCache.open() with `await using` reads '1000' (the same account as 1000)",
    );
  }
}

async function positions(conn: CacheConnection, verbose: boolean): Promise<void> {
  const accounts = new AccountCache(conn);
  const now = Date.now();
  await accounts.upsertPositions(2000, [
    { symbol: 'BTC/USDT', volume: 0.5, price: 60_000, cost: 30_000, fee: 12, time: now },
    { symbol: 'ETH/USDT', volume: -3, price: 3_100, time: now },
  ]);
  await accounts.upsertPositions(2001, [{ symbol: 'BTC/USDT', volume: 2, price: 58_000 }]);
  report(verbose, 'upsertPositions replaced the positions of accounts 2000 and 2001');

  const mine = await accounts.getPositions(2000);
  check(mine.length === 2 && mine.every((p) => p.exId === 2000), 'getPositions is per account');
  report(verbose, `getPositions(2000) → ${mine.map((p) => p.symbol).join(', ')} (2001's excluded)`);

  check(
    !(await accounts.setPosition(2000, { symbol: 'BTC/USDT', volume: 0.75, price: 61_000 })),
    'replaced',
  );
  report(
    verbose,
    'setPosition replaced BTC/USDT of 2000',
    await accounts.getPosition(2000, 'BTC/USDT'),
  );
  check(await accounts.setPosition(2000, { symbol: 'timestamp', volume: 1, price: 1 }), 'new');
  report(verbose, "a symbol named 'timestamp' is a symbol like any other");

  check(await accounts.deletePosition(2000, 'timestamp'), 'deletePosition → true');
  check(!(await accounts.deletePosition(2000, 'timestamp')), 'deletePosition again → false');
  report(verbose, 'deletePosition → true, then false');

  const every = await accounts.getAllPositions();
  report(verbose, `getAllPositions() → ${every.map((p) => `${p.exId}:${p.symbol}`).join(', ')}`);
  await accounts.upsertPositions(2001, []);
  check((await accounts.getPositions(2001)).length === 0, 'upsertPositions([]) clears');
  report(verbose, 'upsertPositions(2001, []) cleared that account');
  const cleaned = await accounts.cleanPositions();
  check(cleaned === 2, 'cleanPositions counts what it deleted');
  report(verbose, `cleanPositions() deleted ${cleaned} positions (balances stay)`);
}

async function portfolio(conn: CacheConnection, verbose: boolean): Promise<void> {
  const accounts = new AccountCache(conn);
  const ticks = new TickCache(conn);
  const now = Date.now();
  await ticks.setTickers([
    { symbol: 'BTC/USDT', exchange: 'kraken', price: 64_000, time: now },
    { symbol: 'ETH/USDT', exchange: 'kraken', price: 3_000, time: now },
  ]);
  await accounts.setUserBalances(3000, { USDT: { total: 10_000, free: 8_000, used: 2_000 } });
  await accounts.upsertPositions(3000, [
    { symbol: 'BTC/USDT', volume: 0.5, price: 60_000 },
    { symbol: 'ETH/USDT', volume: -2, price: 3_100 },
    { symbol: 'NEW/USDT', volume: 100, price: 1 },
  ]);
  // A TickCache has getPrice(symbol, exchange): it is a price source as it is.
  const summary = await accounts.getPortfolioSummary(3000, { prices: ticks, exchange: 'kraken' });
  check(summary.exposure === 0.5 * 64_000 + 2 * 3_000, 'exposure at current prices');
  check(summary.unrealizedPnl === 0.5 * 4_000 + 2 * 100, 'unrealised PnL');
  check(summary.unpriced.join() === 'NEW/USDT', 'a symbol without a ticker is reported');
  report(verbose, 'getPortfolioSummary(3000) priced by a TickCache', summary);
}

await runExample('account', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;
  if (wants('basic')) await basic(conn, args.verbose);
  if (wants('positions')) await positions(conn, args.verbose);
  if (wants('portfolio')) await portfolio(conn, args.verbose);
});
