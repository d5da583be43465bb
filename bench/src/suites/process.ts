import { type CacheConnection, connect, FullonCacheError } from '@fullon/core';
import { ProcessCache } from '@fullon/process';
// Internals of @fullon/process, imported by path so baseline (a) runs the very same script and keys.
import { ProcessKeys } from '../../../packages/process/src/keys.js';
import { UPDATE_PROCESS } from '../../../packages/process/src/scripts/update.js';
import { seedProcesses } from '../../../packages/process/src/test-helpers.js';
import type { Contest, Variant } from '../runner.js';
import type { BenchClients, BenchSuite } from '../suite.js';

const PROCESSES = 100;
const TTL_MS = String(86_400_000);
const HOUR = 3_600_000;
const ids: string[] = [];

async function seedRegistry(clients: BenchClients): Promise<void> {
  const processes = new ProcessCache(clients.msgpack);
  for (let i = 0; i < PROCESSES; i++) {
    ids.push(
      await processes.registerProcess('ohlcv', `binance:SYM${i}/USDT`, {
        status: 'running',
        params: { timeframes: ['1m', '1h'], since: Date.now() },
      }),
    );
  }
}

function processContests(clients: BenchClients): Contest[] {
  const processes = new ProcessCache(clients.msgpack);
  const keys = new ProcessKeys(clients.msgpack.keys);
  const records = ids.map((id) => keys.record(id));
  const { nodeRedis } = clients;
  const rawHeartbeat: Variant = {
    name: '(a) raw node-redis, same script',
    run: (i) => {
      const n = i % PROCESSES;
      return nodeRedis.sendCommand([
        'EVALSHA',
        UPDATE_PROCESS.sha,
        '4',
        records[n] ?? '',
        keys.live,
        keys.stopped,
        keys.components,
        'msgpack',
        ids[n] ?? '',
        String(Date.now()),
        TTL_MS,
        '1',
        '',
        '0',
        '',
        '0',
      ]);
    },
  };
  return [
    {
      op: 'heartbeat',
      ours: { name: 'ours', run: (i) => processes.heartbeat(ids[i % PROCESSES] ?? '') },
      baselines: [rawHeartbeat],
    },
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
}

/** One timed `getActiveProcesses()` call, in ms. */
async function timeActive(processes: ProcessCache): Promise<number> {
  const started = performance.now();
  const active = await processes.getActiveProcesses();
  const ms = performance.now() - started;
  if (active.length !== 100) {
    throw new FullonCacheError(`expected 100 live processes, got ${active.length}`);
  }
  return ms;
}

/**
 * getActiveProcesses with 100 live among 100 000 historical against among 1 000: both
 * registries seeded first (under prefixes of their own), then the calls interleaved, so load
 * from the other engineers on the machine hits both alike.
 */
async function processNotes(base: CacheConnection, quick: boolean): Promise<string> {
  const runs = quick ? 60 : 200;
  const histories = [1_000, 100_000];
  const conns = await Promise.all(
    histories.map((history) =>
      connect({ ...base.config, prefix: `${base.keys.prefix}-proc${history}` }),
    ),
  );
  try {
    const caches: ProcessCache[] = [];
    for (const [k, conn] of conns.entries()) {
      const now = Date.now();
      const count = histories[k] ?? 0;
      await seedProcesses(conn, { count, lastSeen: [now - 20 * HOUR, now - 2 * HOUR] });
      const processes = new ProcessCache(conn);
      for (let i = 0; i < 100; i++) await processes.registerProcess('tick', `live-${i}`);
      caches.push(processes);
    }
    const times = caches.map(() => [] as number[]);
    for (let r = 0; r < runs + 10; r++) {
      for (const [k, processes] of caches.entries()) {
        const ms = await timeActive(processes);
        if (r >= 10) times[k]?.push(ms);
      }
    }
    const [small, large] = times.map(median);
    const ratio = (large ?? 0) / Math.max(1e-9, small ?? 0);
    return `- getActiveProcesses() with 100 live processes, median of ${runs} interleaved calls: ${small?.toFixed(2)} ms among 1 000 historical, ${large?.toFixed(2)} ms among 100 000 historical — **${ratio.toFixed(2)}×** (target within 2×).`;
  } finally {
    for (const conn of conns) {
      await conn.clear();
      await conn.close();
    }
  }
}

/** The process suite: heartbeat, and getActiveProcesses scaling with history. */
export const suite: BenchSuite = {
  name: 'process',
  seed: seedRegistry,
  contests: processContests,
  notes: (clients, quick) => processNotes(clients.msgpack, quick),
};
