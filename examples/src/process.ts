/**
 * @fullon/process: a registry of running processes — register, update (shallow params merge),
 * heartbeat, the active list, component status, stale cleanup, health, metrics, broadcasts.
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/process.ts --operations basic --verbose)
 */
import type { CacheConnection } from '@fullon/core';
import { type Broadcast, ProcessCache } from '@fullon/process';
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['basic', 'broadcast']);

async function basic(conn: CacheConnection, verbose: boolean): Promise<void> {
  const processes = new ProcessCache(conn);
  const id = await processes.registerProcess('ohlcv', 'binance:BTC/USDT', {
    params: { timeframes: ['1m', '1h'], since: Date.now() },
  });
  report(verbose, `registerProcess → ${id}`, await processes.getProcess(id));

  const running = await processes.updateProcess(id, {
    status: 'running',
    message: 'collecting',
    params: { lastBar: Date.now() },
  });
  check(running?.params.timeframes !== undefined && running.params.lastBar !== undefined, 'merge');
  report(
    verbose,
    'updateProcess merged params shallowly (timeframes kept, lastBar added)',
    running,
  );
  check(await processes.heartbeat(id), 'heartbeat');
  report(verbose, 'heartbeat set lastSeen');

  // Plain strings work for types and statuses.
  const custom = await processes.registerProcess('my_reporter', 'daily-pnl', { status: 'idle' });
  const failing = await processes.registerProcess('tick', 'kraken:ticker', { status: 'running' });
  await processes.updateProcess(failing, { status: 'error', message: 'websocket closed' });

  const active = await processes.getActiveProcesses();
  check(active.length === 3, 'three active processes');
  report(verbose, `getActiveProcesses → ${active.map((p) => `${p.type}/${p.status}`).join(', ')}`);
  const ohlcvOnly = await processes.getActiveProcesses({ type: 'ohlcv' });
  check(ohlcvOnly.length === 1, 'filtered by type');
  const status = await processes.getComponentStatus('binance:BTC/USDT');
  check(status?.processId === id, 'component status');
  report(verbose, 'getComponentStatus(binance:BTC/USDT)', status);

  const health = await processes.getSystemHealth();
  check(!health.healthy && health.errorProcesses === 1, 'health sees the error');
  report(verbose, 'getSystemHealth', health);
  report(verbose, 'getMetrics (counted from the indexes, no SCAN)', await processes.getMetrics());

  check(await processes.stopProcess(custom, 'report done'), 'stopProcess');
  check((await processes.getActiveProcesses()).length === 2, 'a stopped process leaves the list');
  report(verbose, 'stopProcess: the record stays readable, the active list drops it');
  const cleaned = await processes.cleanupStaleProcesses({ staleMs: 30 * 60_000 });
  report(verbose, `cleanupStaleProcesses({ staleMs: 30 min }) → ${cleaned} (nothing is stale)`);

  {
    await using own = await ProcessCache.open({ ...conn.config });
    check((await own.getProcess(id))?.status === 'running', 'ProcessCache.open reads');
    report(verbose, 'ProcessCache.open() with `await using` reads and closes itself');
  }
}

async function broadcast(conn: CacheConnection, verbose: boolean): Promise<void> {
  const processes = new ProcessCache(conn);
  const controller = new AbortController();
  const stream = processes.subscribeBroadcasts('ohlcv', { signal: controller.signal });
  await stream.ready;
  const received: Broadcast[] = [];
  const listening = (async () => {
    for await (const message of stream) {
      received.push(message);
      controller.abort();
    }
  })();
  await processes.broadcast('tick', 'not for ohlcv');
  await processes.broadcast('ohlcv', 'reload symbols', { exchange: 'binance' });
  await listening;
  check(received[0]?.message === 'reload symbols', 'broadcast received');
  report(verbose, 'subscribeBroadcasts(ohlcv) received', received[0]);
}

await runExample('process', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;
  if (wants('basic')) await basic(conn, args.verbose);
  if (wants('broadcast')) await broadcast(conn, args.verbose);
});
