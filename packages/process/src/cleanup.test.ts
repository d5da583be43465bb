import type { DecodeError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { ProcessKeys } from './keys.js';
import { ProcessCache } from './process-cache.js';
import { seedProcesses } from './test-helpers.js';

const MIN = 60_000;

describe('cleanupStaleProcesses and getSystemHealth', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });

  it('stops stale processes, drops dangling and corrupt entries, keeps the live ones', async () => {
    const c = conn();
    const keys = new ProcessKeys(c.keys);
    const processes = new ProcessCache(c);
    const now = Date.now();
    // 1 200 stale (more than two pages), 30 of whose records are gone, 1 corrupt.
    const stale = await seedProcesses(c, {
      count: 1_200,
      lastSeen: [now - 50 * MIN, now - 40 * MIN],
    });
    const gone = stale.slice(0, 30);
    for (const id of gone) await c.send(keys.record(id), ['DEL', keys.record(id)]);
    const broken = stale[100] as string;
    await c.send(keys.record(broken), ['SET', keys.record(broken), Buffer.from([0xc1])]);
    // 20 recent ones (within 30 min) and 10 fresh registrations stay.
    const recent = await seedProcesses(c, {
      count: 20,
      lastSeen: [now - 20 * MIN, now - 10 * MIN],
    });
    const fresh = await Promise.all(
      Array.from({ length: 10 }, (_, i) => processes.registerProcess('bot', `bot-${i}`)),
    );
    // A component pointing at a record that is gone.
    const orphan = await processes.registerProcess('crawler', 'orphan');
    await c.send(keys.record(orphan), ['DEL', keys.record(orphan)]);

    corrupt.length = 0;
    const removed = await processes.cleanupStaleProcesses({ staleMs: 30 * MIN });
    // 1 169 stopped, 30 + 1 dangling (the orphan was live), 1 corrupt.
    expect(removed).toBe(1_200 + 1);
    expect(corrupt.map((e) => e.key)).toEqual([keys.record(broken)]);
    const stillLive = await c.send<string[]>(keys.live, ['ZRANGE', keys.live, '0', '-1']);
    expect(stillLive.sort()).toEqual([...recent, ...fresh].sort());
    const sample = stale[500] as string;
    expect(await processes.getProcess(sample)).toMatchObject({
      status: 'stopped',
      message: 'Process stale: no heartbeat for 1800000 ms',
    });
    expect(await c.send<number>(keys.stopped, ['ZCARD', keys.stopped])).toBe(1_200 - 31);
    expect(await processes.getComponentStatus('orphan')).toBeNull();
    expect(
      await c.send<string | null>(keys.components, ['HGET', keys.components, 'orphan']),
    ).toBeNull();
    expect((await processes.getComponentStatus('bot-3'))?.type).toBe('bot');
    // Nothing left to do.
    expect(await processes.cleanupStaleProcesses({ staleMs: 30 * MIN })).toBe(0);
    const metrics = await processes.getMetrics();
    expect(metrics.liveProcesses).toBe(30);
    expect(metrics.stoppedProcesses).toBe(1_169);
    expect(metrics.totalProcesses).toBe(1_199);
  });

  it('health counts stale and error processes', async () => {
    const c = conn();
    const processes = new ProcessCache(c);
    const healthyBefore = await processes.getSystemHealth({ staleMs: 30 * MIN });
    expect(healthyBefore.healthy).toBe(true);
    const now = Date.now();
    await seedProcesses(c, { count: 3, lastSeen: [now - 50 * MIN, now - 45 * MIN], type: 'ohlcv' });
    const failing = await processes.registerProcess('ohlcv', 'failing');
    await processes.updateProcess(failing, { status: 'error', message: 'exchange down' });
    const health = await processes.getSystemHealth({ staleMs: 30 * MIN });
    expect(health.healthy).toBe(false);
    expect(health.staleProcesses).toBe(3);
    expect(health.errorProcesses).toBe(1);
    expect(health.byStatus.error).toBe(1);
    expect(health.byType.ohlcv).toBe(4);
    expect(health.totalProcesses).toBe(healthyBefore.totalProcesses + 4);
    const narrow = await processes.getSystemHealth({ maxAgeMs: 10 * MIN });
    expect(narrow.staleProcesses).toBe(0);
    expect(narrow.errorProcesses).toBe(1);
  });

  it('keeps index entries bounded: writes prune entries older than the TTL', async () => {
    const c = conn();
    const keys = new ProcessKeys(c.keys);
    const processes = new ProcessCache(c, { ttlMs: 60 * MIN });
    const now = Date.now();
    await seedProcesses(c, { count: 150, lastSeen: [now - 3 * 60 * MIN, now - 2 * 60 * MIN] });
    const before = await c.send<number>(keys.live, ['ZCARD', keys.live]);
    await processes.registerProcess('tick', 'pruner-1');
    await processes.registerProcess('tick', 'pruner-2');
    const after = await c.send<number>(keys.live, ['ZCARD', keys.live]);
    expect(after).toBe(before - 150 + 2);
    expect(await c.send<number>(keys.live, ['PTTL', keys.live])).toBeGreaterThan(0);
  });
});
