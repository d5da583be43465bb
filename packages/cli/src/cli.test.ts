import { execFileSync } from 'node:child_process';
import { type Caches, createCaches, type Tick } from '@fullon/cache';
import type { CacheConnection } from '@fullon/core';
import { findFreePort } from '@fullon/core/server';
import { redisTarget, sleep, testConnection } from '@fullon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type Run, runCli, runInTerminal, startCli } from './test-helpers.js';

let conn: CacheConnection;
let caches: Caches;
let address: string[];
const now = Date.now();
const minute = Math.floor(now / 60_000) * 60_000;

const btc: Tick = {
  symbol: 'BTC/USDT',
  exchange: 'binance',
  price: 64_250.5,
  bid: 64_250,
  ask: 64_251,
  time: now - 3_000,
};
const eth: Tick = { symbol: 'ETH/USDT', exchange: 'binance', price: 3_100, time: now - 1_000 };
const krakenStale: Tick = {
  symbol: 'ETH/USD',
  exchange: 'kraken',
  price: 3_099,
  time: now - 600_000,
};

async function seed(c: Caches): Promise<void> {
  await c.ticks.setTickers([btc, eth, krakenStale]);
  await c.orders.saveOrder('binance', {
    orderId: 1,
    symbol: 'BTC/USDT',
    side: 'buy',
    volume: 0.5,
    price: 64_000,
    status: 'open',
  });
  await c.orders.saveOrder('binance', {
    orderId: 2,
    symbol: 'ETH/USDT',
    side: 'sell',
    volume: 2,
    status: 'filled',
  });
  for (const orderId of [10, 11, 12]) {
    await c.orders.pushOpenOrder('q1', { orderId, symbol: 'BTC/USDT', side: 'buy', volume: 1 });
  }
  const claim = await c.orders.claimOpenOrder('q1', { timeoutMs: 0 });
  await claim?.release('exchange down'); // maxAttempts 1: dead-lettered
  // Order 11 stays claimed (a consumer is working on it).
  await c.orders.claimOpenOrder('q1', { timeoutMs: 0, visibilityMs: 600_000 });
  for (const [tradeId, side] of [
    ['t1', 'buy'],
    ['t2', 'sell'],
  ] as const) {
    await c.trades.pushTrade('binance', {
      tradeId,
      symbol: 'BTC/USDT',
      side,
      volume: 0.1,
      price: 64_000,
      cost: 6_400,
      fee: 0.5,
      time: now - 10_000,
    });
  }
  await c.accounts.setUserBalances(7, {
    USDT: { total: 1_000, free: 600, used: 400 },
    BTC: { total: 0.5, free: 0.5, used: 0 },
  });
  await c.accounts.setPosition(7, { symbol: 'BTC/USDT', volume: 0.5, price: 64_000 });
  await c.accounts.setPosition(8, { symbol: 'ETH/USDT', volume: -2, price: 3_000 });
  await c.bots.blockExchange(7, 'BTC/USDT', 'bot-1', { ttlMs: 600_000 });
  await c.bots.updateBot('bot-1', { feed: { price: 64_000 } });
  await c.ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [
    [minute - 120_000, 1, 2, 0.5, 1.5, 10],
    [minute - 60_000, 1.5, 3, 1, 2.5, 20],
    [minute, 2.5, 2.5, 2, 2, 5],
  ]);
  await c.processes.registerProcess('bot', 'bot-1', { status: 'running' });
  await c.processes.registerProcess('tick', 'ticker_daemon');
}

beforeAll(async () => {
  buildCli();
  conn = await testConnection();
  caches = createCaches(conn, { orders: { maxAttempts: 1 } });
  await seed(caches);
  const target = redisTarget();
  if (target.mode !== 'standalone') throw new TypeError('the CLI tests run standalone only');
  address = ['--url', target.url, '--prefix', conn.config.prefix];
}, 180_000);

afterAll(async () => {
  await conn?.clear();
  await conn?.close();
});

/** Runs the CLI on the seeded prefix with `--json` and parses its one document. */
async function json<T>(...args: string[]): Promise<T> {
  const run = await runCli([...args, '--json', ...address]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** Runs the CLI on the seeded prefix for a table. */
async function text(...args: string[]): Promise<Run> {
  const run = await runCli([...args, ...address]);
  expect(run.code, run.stderr).toBe(0);
  return run;
}

/** The table row that holds every cell given, or `undefined`. */
function row(output: string, ...cells: string[]): string | undefined {
  return output.split('\n').find((line) => cells.every((c) => line.includes(`│ ${c} `)));
}

/** The `--json` runs of the first describe, made at once (each run is a node start-up). */
const JSON_RUNS = {
  ping: ['ping'],
  health: ['health'],
  tickers: ['tickers'],
  kraken: ['tickers', '--exchange', 'kraken'],
  stale: ['tickers', '--stale-ms', '60000'],
  orders: ['orders', 'binance'],
  filled: ['orders', 'binance', '--status', 'filled'],
  queue: ['queue', 'q1'],
  trades: ['trades', 'BTC/USDT', 'binance'],
  balances: ['balances', '7'],
  positions: ['positions'],
  positions8: ['positions', '8'],
  blocks: ['blocks'],
  bots: ['bots'],
  ohlcv: ['ohlcv', 'BTC/USDT', 'binance', '1m', '--count', '2'],
  processes: ['processes'],
  botProcesses: ['processes', '--type', 'bot'],
  staleProcesses: ['processes', '--stale'],
} as const;
type JsonRun = keyof typeof JSON_RUNS;

describe('--json: one document per command, what the caches hold', () => {
  const parsed = new Map<JsonRun, unknown>();
  beforeAll(async () => {
    const names = Object.keys(JSON_RUNS) as JsonRun[];
    const results = await Promise.all(names.map((name) => json<unknown>(...JSON_RUNS[name])));
    for (const [i, name] of names.entries()) parsed.set(name, results[i]);
  }, 120_000);
  /** The parsed output of one run. */
  function out<T>(name: JsonRun): T {
    return parsed.get(name) as T;
  }

  it('ping and health', () => {
    expect(out<{ ok: boolean }>('ping').ok).toBe(true);
    const health = out<{ redis: { prefix: string }; processes: { totalProcesses: number } }>(
      'health',
    );
    expect(health.redis.prefix).toBe(conn.config.prefix);
    expect(health.processes.totalProcesses).toBe(2);
  });

  it('tickers, by exchange and stale', () => {
    expect(out('tickers')).toEqual([btc, eth, krakenStale]);
    expect(out('kraken')).toEqual([krakenStale]);
    expect(out('stale')).toEqual([krakenStale]);
  });

  it('orders, by status', async () => {
    expect(out<{ orderId: number }[]>('orders').map((o) => o.orderId)).toEqual([1, 2]);
    expect(out('filled')).toEqual([await caches.orders.getOrder('binance', 2)]);
  });

  it('queue: waiting, claimed, dead letters', () => {
    const queue = out<{
      length: number;
      claimed: number;
      deadLetters: { order: { orderId: number }; reason: string; attempts: number }[];
    }>('queue');
    expect(queue.length).toBe(1);
    expect(queue.claimed).toBe(1);
    expect(queue.deadLetters).toMatchObject([
      { order: { orderId: 10 }, reason: 'exchange down', attempts: 1 },
    ]);
  });

  it('trades are peeked, never drained', async () => {
    const trades = out<{ tradeId: string }[]>('trades');
    expect(trades.map((t) => t.tradeId)).toEqual(['t1', 't2']);
    expect(await caches.trades.peekTrades('BTC/USDT', 'binance')).toEqual(trades);
  });

  it('balances and positions', async () => {
    expect(out('balances')).toEqual(await caches.accounts.getUserBalances(7));
    expect(
      out<{ exId: number; symbol: string }[]>('positions').map((p) => [p.exId, p.symbol]),
    ).toEqual([
      [7, 'BTC/USDT'],
      [8, 'ETH/USDT'],
    ]);
    expect(out('positions8')).toEqual(await caches.accounts.getPositions(8));
  });

  it('blocks and bots', async () => {
    expect(out('blocks')).toEqual(await caches.bots.getBlocks());
    expect(out('blocks')).toMatchObject([{ exId: '7', symbol: 'BTC/USDT', botId: 'bot-1' }]);
    expect(out('bots')).toEqual(await caches.bots.getBots());
  });

  it('ohlcv, newest --count bars as objects', () => {
    expect(out('ohlcv')).toEqual([
      { time: minute - 60_000, open: 1.5, high: 3, low: 1, close: 2.5, volume: 20 },
      { time: minute, open: 2.5, high: 2.5, low: 2, close: 2, volume: 5 },
    ]);
  });

  it('processes, by type and stale', () => {
    const all = out<{ component: string }[]>('processes');
    expect(all.map((p) => p.component).sort()).toEqual(['bot-1', 'ticker_daemon']);
    expect(out<{ component: string }[]>('botProcesses').map((p) => p.component)).toEqual(['bot-1']);
    expect(out('staleProcesses')).toEqual([]);
  });
});

describe('tables for people', () => {
  it('show the rows that were written, with ages', async () => {
    const [tickers, queue, blocks, balances, positions, orders, trades, bots, ohlcv, processes] =
      await Promise.all([
        text('tickers'),
        text('queue', 'q1'),
        text('blocks'),
        text('balances', '7'),
        text('positions'),
        text('orders', 'binance'),
        text('trades', 'BTC/USDT', 'binance'),
        text('bots'),
        text('ohlcv', 'BTC/USDT', 'binance', '1m'),
        text('processes'),
      ]);
    expect(row(tickers.stdout, 'binance', 'BTC/USDT', '64250.5', '64250', '64251')).toBeDefined();
    expect(row(tickers.stdout, 'kraken', 'ETH/USD', '3099')).toMatch(/│ 1\d min ago /);
    expect(tickers.stdout).not.toContain('\u001b[');
    expect(row(queue.stdout, 'q1', '1', '1', '1')).toBeDefined();
    expect(row(queue.stdout, '10', 'BTC/USDT', 'exchange down')).toBeDefined();
    expect(row(blocks.stdout, '7', 'BTC/USDT', 'bot-1')).toMatch(/│ \d+ min /);
    expect(row(balances.stdout, 'USDT', '1000', '600', '400')).toBeDefined();
    expect(row(positions.stdout, '8', 'ETH/USDT', '-2', '3000')).toBeDefined();
    expect(row(orders.stdout, '1', 'BTC/USDT', 'buy', '0.5', '64000', 'open')).toBeDefined();
    expect(row(trades.stdout, 't2', 'sell', '0.1', '64000')).toBeDefined();
    expect(row(bots.stdout, 'bot-1')).toContain('{"feed":{"price":64000}}');
    expect(row(ohlcv.stdout, '1.5', '3', '1', '2.5', '20')).toBeDefined();
    expect(row(processes.stdout, 'bot', 'bot-1', 'running')).toMatch(/ s ago /);
  });

  it('colour on a terminal, none with NO_COLOR', async () => {
    execFileSync('script', ['--version']); // util-linux `script` is required
    const coloured = await runInTerminal(['tickers', ...address]);
    expect(coloured.code, coloured.stdout).toBe(0);
    expect(coloured.stdout).toContain('\u001b[1m');
    expect(coloured.stdout).toContain('BTC/USDT');
    const plain = await runInTerminal(['tickers', ...address], { NO_COLOR: '1' });
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).toContain('BTC/USDT');
    expect(plain.stdout).not.toContain('\u001b[');
  });
});

describe('--watch', () => {
  it('--json prints a line for a tick written after it started, and ends cleanly on SIGINT', async () => {
    const watcher = startCli(['tickers', '--watch', '--json', '--exchange', 'binance', ...address]);
    // The snapshot is read after the subscription is live: its first line means "listening".
    await watcher.line((l) => l.includes('"BTC/USDT"'));
    const fresh: Tick = {
      symbol: 'SOL/USDT',
      exchange: 'binance',
      price: 150.25,
      time: Date.now(),
    };
    await caches.ticks.setTicker(fresh);
    const line = await watcher.line((l) => l.includes('"SOL/USDT"'));
    expect(JSON.parse(line)).toEqual(fresh);
    expect(await watcher.interrupt(), watcher.stderr()).toBe(0);
    await caches.ticks.deleteTicker('SOL/USDT', 'binance');
  });
  it('ohlcv --watch --json prints the bars, then an upsert written after it started', async () => {
    const watcher = startCli([
      'ohlcv',
      'BTC/USDT',
      'binance',
      '1m',
      '--count',
      '1',
      '--watch',
      '--json',
      ...address,
    ]);
    await watcher.line((l) => l.includes(`"time":${minute},`));
    await caches.ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [[minute, 2.5, 4, 2, 3.5, 9]]);
    const line = await watcher.line((l) => l.includes('"close":3.5'));
    expect(JSON.parse(line)).toEqual({
      time: minute,
      open: 2.5,
      high: 4,
      low: 2,
      close: 3.5,
      volume: 9,
    });
    expect(await watcher.interrupt(), watcher.stderr()).toBe(0);
  });

  it('processes --broadcasts --json prints each broadcast sent to the type, from its channel', async () => {
    const watcher = startCli(['processes', '--type', 'bot', '--broadcasts', '--json', ...address]);
    // broadcast() answers how many subscribers received it: 1 once the CLI listens.
    const deadline = Date.now() + 15_000;
    let received = 0;
    while (received === 0 && Date.now() < deadline) {
      received = await caches.processes.broadcast('bot', 'reload', { at: 1 });
      if (received === 0) await sleep(100);
    }
    expect(received).toBe(1);
    const line = await watcher.line((l) => l.includes('"reload"'));
    expect(JSON.parse(line)).toMatchObject({ type: 'bot', message: 'reload', data: { at: 1 } });
    expect(await watcher.interrupt(), watcher.stderr()).toBe(0);
  });
});

describe('failures and usage errors', () => {
  it('unreachable Redis: exit 1 with the connection message and how to point it elsewhere', async () => {
    const port = await findFreePort();
    const run = await runCli(['ping', '--url', `redis://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot connect to Redis at 127.0.0.1:${port}`);
    expect(run.stderr).toContain('--url redis://host:6379');
  });

  it('a bad flag: exit 2 with the command help', async () => {
    const run = await runCli(['tickers', '--no-such-flag', ...address]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--no-such-flag'");
    expect(run.stderr).toContain('Usage: fullon-cache tickers [options]');
    const bad = await runCli(['ohlcv', 'BTC/USDT', 'binance', '7x', ...address]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Usage: fullon-cache ohlcv');
    const none = await runCli([]);
    expect(none.code).toBe(2);
    const lonely = await runCli(['processes', '--broadcasts', ...address]);
    expect(lonely.code).toBe(2);
    expect(lonely.stderr).toContain('--broadcasts needs --type');
  });

  it('an invalid --url or --prefix, or a malformed variable, is a usage error: exit 2 naming it', async () => {
    const url = address[1] ?? '';
    const runs = await Promise.all([
      runCli(['ping', '--url', 'localhost:6379']),
      runCli(['tickers', '--url', url, '--prefix', 'bad prefix!']),
      runCli(['ping'], { REDIS_PORT: 'abc' }),
      runCli(['ping'], { REDIS_URL: 'localhost:6379' }),
      runCli(['ping', '--url', url], { FULLON_CACHE_PREFIX: 'bad prefix!' }),
    ]);
    const named = ['--url', '--prefix', 'REDIS_PORT', 'REDIS_URL', 'FULLON_CACHE_PREFIX'];
    for (const [i, run] of runs.entries()) {
      expect(run.code, `${named[i]}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(named[i]);
      expect(run.stdout).toBe('');
    }
  });

  it('--version exits 0', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('clear without --yes refuses and deletes nothing; with --yes it clears the prefix', async () => {
    const refused = await runCli(['clear', ...address]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(await caches.ticks.getPrice('BTC/USDT', 'binance')).toBe(btc.price);
    const cleared = await json<{ deleted: number }>('clear', '--yes');
    expect(cleared.deleted).toBeGreaterThan(0);
    expect(await caches.ticks.getAllTickers()).toEqual([]);
  });
});
