import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inChunksSequentially } from '@fullon/core/author';
import { redisTarget, sleep, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { OrdersCache } from './orders-cache.js';
import { order, queueKeys } from './test-helpers.js';

const WORKER = fileURLToPath(new URL('../test/claim-worker.ts', import.meta.url));
const ORDERS = 5_000;
const QUEUE = 'multi';

/** One consumer process and what it reported. */
interface Worker {
  child: ChildProcess;
  claimed: string[];
  acked: string[];
  ready: Promise<void>;
  closed: Promise<void>;
  killed: boolean;
  /** Whether it reported `stopped` (graceful stop after SIGTERM: every ack it made is reported). */
  stopped: boolean;
}

describe('OrdersCache across processes', () => {
  const conn = useTestConnection();

  it('3 consumer processes claim 5 000 orders while 2 are SIGKILLed: every order acked exactly once or dead-lettered', async () => {
    const cache = new OrdersCache(conn());
    const ids = Array.from({ length: ORDERS }, (_, i) => `mp-${i}`);
    await inChunksSequentially(ids, (slice) =>
      Promise.all(slice.map((id) => cache.pushOpenOrder(QUEUE, order(id)))),
    );
    expect(await cache.getQueueLength(QUEUE)).toBe(ORDERS);

    let totalAcked = 0;
    const workers: Worker[] = [];
    const start = (): Worker => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=@fullon/source', WORKER],
        {
          env: {
            ...process.env,
            ORDERS_TEST_TARGET: JSON.stringify(redisTarget()),
            ORDERS_TEST_PREFIX: conn().config.prefix,
            ORDERS_TEST_QUEUE: QUEUE,
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let markReady = () => {};
      const worker: Worker = {
        child,
        claimed: [],
        acked: [],
        ready: new Promise((resolve) => {
          markReady = resolve;
        }),
        closed: new Promise((resolve) => child.on('close', () => resolve())),
        killed: false,
        stopped: false,
      };
      let rest = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          const [what, id = ''] = line.split(' ');
          if (what === 'ready') markReady();
          else if (what === 'stopped') worker.stopped = true;
          else if (what === 'claimed') worker.claimed.push(id);
          else if (what === 'acked') {
            worker.acked.push(id);
            totalAcked++;
          }
        }
      });
      workers.push(worker);
      return worker;
    };

    try {
      const first = [start(), start(), start()];
      await Promise.all(first.map((w) => w.ready));
      const kill1 = 300 + Math.floor(Math.random() * 1_200);
      const kills = [kill1, kill1 + 500 + Math.floor(Math.random() * 1_500)];
      const keys = queueKeys(conn(), QUEUE);
      const deadline = Date.now() + 45_000;
      for (;;) {
        const next = kills[0];
        if (next !== undefined && totalAcked >= next) {
          kills.shift();
          const live = workers.filter((w) => !w.killed);
          const victim = live[Math.floor(Math.random() * live.length)];
          if (victim !== undefined) {
            victim.killed = true;
            victim.child.kill('SIGKILL');
            await victim.closed;
            start();
          }
        }
        const [pending, leased, jobs] = await Promise.all([
          conn().send<number>(keys.pending, ['LLEN', keys.pending]),
          conn().send<number>(keys.leases, ['ZCARD', keys.leases]),
          conn().send<number>(keys.jobs, ['HLEN', keys.jobs]),
        ]);
        if (kills.length === 0 && pending + leased + jobs === 0) break;
        if (Date.now() > deadline) {
          throw new Error(
            `not drained in time: ${pending} pending, ${leased} leased, ${jobs} jobs`,
          );
        }
        await sleep(20);
      }
      // Drained. Stop the live workers gracefully and wait until each has exited: its stdout is
      // then read to the end, so an ack it made is an ack we counted (SIGKILLing them here
      // raced their last "acked" line).
      const live = workers.filter((w) => !w.killed);
      // A replacement may still be starting: SIGTERM only once it handles it (it says 'ready'
      // after installing the handler).
      await Promise.all(live.map((w) => Promise.race([w.ready, w.closed])));
      for (const w of live) w.child.kill('SIGTERM');
      await Promise.all(live.map((w) => w.closed));
    } finally {
      for (const w of workers)
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.closed));
    }

    expect(workers.filter((w) => w.killed)).toHaveLength(2);
    expect(workers.filter((w) => !w.killed).map((w) => w.stopped)).toEqual([true, true, true]);
    const ackCount = new Map<string, number>();
    for (const w of workers)
      for (const id of w.acked) ackCount.set(id, (ackCount.get(id) ?? 0) + 1);
    // A killed worker may have acked its last order without living to report it.
    const inFlight = new Set<string>();
    for (const w of workers.filter((k) => k.killed)) {
      const last = w.claimed.at(-1);
      if (last !== undefined && w.acked.at(-1) !== last) inFlight.add(last);
    }
    const dead = new Set((await cache.getDeadLetters(QUEUE)).map((l) => String(l.order.orderId)));
    const unexplained: string[] = [];
    const twice: string[] = [];
    for (const id of ids) {
      const count = ackCount.get(id) ?? 0;
      if (count > 1) twice.push(id);
      if (count === 1 && dead.has(id)) twice.push(id);
      if (count === 0 && !dead.has(id) && !inFlight.has(id)) unexplained.push(id);
    }
    expect(twice).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(await cache.getQueueLength(QUEUE)).toBe(0);
  }, 60_000);
});
