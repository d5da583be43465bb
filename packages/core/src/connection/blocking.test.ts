import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { medianDurationMs, testConnection, useTestConnection } from '../testing/index.js';

describe('blocking commands', () => {
  const conn = useTestConnection();

  it('a BLPOP waiting 3 s succeeds with socketTimeoutMs 500 when another connection pushes after ~2 s', async () => {
    // A wait four times the socket timeout: the pop's own deadline, not the socket timeout, bounds it.
    await using waiter = await testConnection({
      socketTimeoutMs: 500,
      prefix: conn().config.prefix,
    });
    const key = waiter.keys.tagged('queue', 'orders', 'binance');
    let settled = false;
    const pop = waiter.blocking<[string, string] | null>(key, ['BLPOP', key, '3']);
    void pop.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );

    // The shared connection stays free while the pop blocks on its own connection.
    await sleep(200);
    expect(await waiter.ping()).toBeGreaterThanOrEqual(0);
    expect(await waiter.send(key, ['LLEN', key])).toBe(0);
    expect(settled).toBe(false);

    await sleep(1800);
    expect(settled).toBe(false);
    expect(await conn().send(key, ['RPUSH', key, 'order-1'])).toBe(1);
    expect(await pop).toStrictEqual([key, 'order-1']);
    expect(await conn().send(key, ['LLEN', key])).toBe(0);
  });

  it('returns null when the server-side timeout passes', async () => {
    const key = conn().keys.tagged('queue', 'empty');
    expect(await conn().blocking(key, ['BLPOP', key, '0.2'])).toBeNull();
  });

  it('returns Buffers when asked to', async () => {
    const key = conn().keys.tagged('queue', 'bytes');
    const bytes = Buffer.from([0, 0xfe, 0x7f]);
    await conn().send(key, ['RPUSH', key, bytes]);
    const reply = await conn().blocking<[Buffer, Buffer]>(key, ['BLPOP', key, '1'], {
      buffers: true,
    });
    expect(reply[0].toString()).toBe(key);
    expect(reply[1].equals(bytes)).toBe(true);
  });

  it('serves several concurrent pops on separate connections', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => conn().keys.tagged('queue', `multi-${i}`));
    const pops = keys.map((k) => conn().blocking<[string, string]>(k, ['BLPOP', k, '5']));
    await sleep(100);
    // Pushed in reverse order: each pop gets its own key's value, whatever the order.
    for (const [i, k] of [...keys.entries()].reverse()) await conn().send(k, ['RPUSH', k, `v${i}`]);
    expect(await Promise.all(pops)).toStrictEqual(keys.map((k, i) => [k, `v${i}`]));
  });

  it('does not queue a pop behind another pop waiting on a key of the same tag (same node)', async () => {
    const idle = conn().keys.tagged('queue', 'same-node', 'idle');
    const busy = conn().keys.tagged('queue', 'same-node', 'busy');
    const order: string[] = [];
    const first = conn()
      .blocking(idle, ['BLPOP', idle, '3'])
      .then((reply) => order.push(`idle:${JSON.stringify(reply)}`));
    const second = conn()
      .blocking<[string, string]>(busy, ['BLPOP', busy, '3'])
      .then((reply) => order.push(`busy:${reply[1]}`));
    await sleep(100);
    await conn().send(busy, ['RPUSH', busy, 'job']);
    await Promise.all([first, second]);
    expect(order).toStrictEqual(['busy:job', 'idle:null']);
  });

  it('moves an item atomically with BLMOVE between two keys of one tag', async () => {
    const from = conn().keys.tagged('queue', 'q1', 'pending');
    const to = conn().keys.tagged('queue', 'q1', 'processing');
    await conn().send(from, ['RPUSH', from, 'job']);
    expect(await conn().blocking(from, ['BLMOVE', from, to, 'LEFT', 'RIGHT', '1'])).toBe('job');
    expect(await conn().send(to, ['LRANGE', to, '0', '-1'])).toStrictEqual(['job']);
  });

  /** Redis checks blocked clients' timeouts on its cron (10 times a second): a wait must not. */
  const OVERSHOOT_MS = 45;

  it('a 5 ms BLPOP on an empty list settles by its deadline plus a margin (defect 16)', async () => {
    const key = conn().keys.tagged('queue', 'short', 'x');
    // The first call opens the pooled connection; the bound is on the wait, not on connecting.
    expect(await conn().blocking(key, ['BLPOP', key, '0.005'])).toBeNull();
    const median = await medianDurationMs(async () => {
      expect(await conn().blocking(key, ['BLPOP', key, '0.005'])).toBeNull();
    });
    expect(median).toBeLessThan(5 + OVERSHOOT_MS);
  });
});
