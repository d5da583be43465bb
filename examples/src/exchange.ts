/**
 * @fullon/exchange: symbol and exchange metadata with read-through loading, invalidation, and the
 * websocket error queue.
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/exchange.ts --operations basic --verbose)
 */
import {
  type CatExchange,
  ExchangeCache,
  type ExchangeInput,
  SymbolCache,
  type SymbolInfo,
} from '@fullon/exchange';
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['basic', 'readthrough', 'wserrors']);

/** Stands in for your database or `exchange.loadMarkets()`; counts how often it is asked. */
const database = {
  calls: 0,
  symbols: [
    // ccxt's default precision mode is tick size: store its steps as given, and say so.
    {
      symbol: 'BTC/USD',
      base: 'BTC',
      quote: 'USD',
      decimals: 1,
      precisionMode: 'tickSize',
      pricePrecision: 0.1,
      amountPrecision: 1e-8,
      updateFrame: '1h',
    },
    {
      symbol: 'ETH/USD',
      base: 'ETH',
      quote: 'USD',
      decimals: 2,
      precisionMode: 'decimals',
      pricePrecision: 2,
      amountPrecision: 8,
      updateFrame: '1h',
    },
  ] satisfies SymbolInfo[],
  accounts: [
    { exId: 1, userId: 7, name: 'kraken main', catExchange: 'kraken' },
    { exId: 2, userId: 7, name: 'binance testnet', catExchange: 'binance', test: true },
  ] satisfies ExchangeInput[],
  catalog: [
    { catExId: 1, name: 'binance' },
    { catExId: 2, name: 'kraken' },
  ] satisfies CatExchange[],
};

async function slowly<T>(value: T): Promise<T> {
  database.calls += 1;
  await new Promise((resolve) => setTimeout(resolve, 20));
  return value;
}

await runExample('exchange', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;

  if (wants('basic')) {
    const symbols = new SymbolCache(conn);
    const stored = await symbols.setSymbols('kraken', database.symbols);
    report(args.verbose, `setSymbols stored ${stored} symbols for kraken (one atomic step)`);
    const btc = await symbols.getSymbol('BTC/USD', 'kraken');
    check(
      btc?.decimals === 1 && btc.pricePrecision === 0.1 && btc.exchange === 'kraken',
      'getSymbol round trip',
    );
    report(args.verbose, 'getSymbol BTC/USD', btc);
    check(await symbols.symbolExists('ETH/USD', 'kraken'), 'symbolExists ETH/USD');
    check(await symbols.deleteSymbol('ETH/USD', 'kraken'), 'deleteSymbol ETH/USD');
    const left = await symbols.getSymbols('kraken');
    check(left.length === 1, 'one symbol left after deleteSymbol');
    report(args.verbose, 'deleteSymbol ETH/USD; getSymbols now returns', left);
    check((await symbols.getSymbols('nowhere')).length === 0, 'a miss without a loader is []');
    report(args.verbose, 'a miss without a loader returns []');

    const exchanges = new ExchangeCache(conn);
    for (const account of database.accounts) await exchanges.setExchange(account);
    const mine = await exchanges.getExchanges(7);
    check(mine.length === 2, "user 7's exchanges");
    report(args.verbose, `getExchanges(7) returns ${mine.length} accounts`, mine);
    check((await exchanges.getExchange(2))?.test === true, 'getExchange(2)');
    await exchanges.setCatExchanges(database.catalog);
    report(args.verbose, 'getCatExchanges', await exchanges.getCatExchanges());
    check(await exchanges.deleteExchange(2), 'deleteExchange(2)');
    check((await exchanges.getExchanges(7)).length === 1, 'deleted account left the list');
    report(args.verbose, 'deleteExchange(2) also drops it from the user list');
  }

  if (wants('readthrough')) {
    const symbols = new SymbolCache(conn, {
      load: (exchange) => slowly(exchange === 'bitstamp' ? database.symbols : []),
      ttlMs: 3_600_000,
    });
    const before = database.calls;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => symbols.getSymbols('bitstamp')),
    );
    check(database.calls - before === 1, '20 concurrent misses call the loader once');
    check(
      answers.every((a) => a.length === 2),
      'every caller gets the loaded symbols',
    );
    report(args.verbose, '20 concurrent misses: the loader ran once, all 20 got 2 symbols');
    await symbols.getSymbol('BTC/USD', 'bitstamp');
    check(database.calls - before === 1, 'the next read comes from Redis');
    report(args.verbose, 'the next read came from Redis (TTL 1 h)');
    await symbols.invalidate('bitstamp');
    await symbols.getSymbols('bitstamp');
    check(database.calls - before === 2, 'invalidate sends the next read to the loader');
    report(args.verbose, 'after invalidate the loader ran again');

    const exchanges = new ExchangeCache(conn, {
      load: {
        exchange: (exId) =>
          slowly(database.accounts.find((a) => String(a.exId) === String(exId)) ?? null),
        userExchanges: (userId) =>
          slowly(database.accounts.filter((a) => String(a.userId) === String(userId))),
        catExchanges: () => slowly(database.catalog),
      },
    });
    await exchanges.invalidate({ exId: 1, userId: 7, catExchanges: true });
    // Another service that only reads accounts by id: its read-through stores account 1 but
    // never marks user 7's list complete, so the list loader above still answers in full.
    const byId = new ExchangeCache(conn, {
      load: { exchange: (exId) => slowly(database.accounts.find((a) => a.exId === exId) ?? null) },
    });
    check((await byId.getExchange(1))?.exId === 1, 'a by-id read-through');
    const account = await exchanges.getExchange(1);
    check(account?.name === 'kraken main', 'getExchange loads through');
    report(args.verbose, 'getExchange(1) loaded from the database', account);
    check((await exchanges.getExchanges(7)).length === 2, 'getExchanges loads through');
    check((await exchanges.getCatExchanges()).length === 2, 'getCatExchanges loads through');
    check((await exchanges.getExchange(404)) === null, 'unknown account is null');
    report(args.verbose, 'getExchanges(7), getCatExchanges() loaded; getExchange(404) is null');
  }

  if (wants('wserrors')) {
    const exchanges = new ExchangeCache(conn);
    await exchanges.pushWsError(1, 'socket closed: 1006');
    await exchanges.pushWsError(1, 'rate limited');
    const first = await exchanges.popWsError(1, { timeoutMs: 0 });
    check(first === 'socket closed: 1006', 'oldest error first');
    report(args.verbose, `popWsError -> ${JSON.stringify(first)}`);
    const waiting = exchanges.popWsError(3, { timeoutMs: 2_000 });
    setTimeout(() => void exchanges.pushWsError(3, 'pushed while waiting'), 100);
    check((await waiting) === 'pushed while waiting', 'a blocking pop receives a later push');
    report(args.verbose, 'a blocking pop received an error pushed after it started');
    check((await exchanges.popWsError(4, { timeoutMs: 200 })) === null, 'null at the timeout');
    report(args.verbose, 'popWsError returned null at its timeout');
  }
});
