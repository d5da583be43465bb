import { ValidationError } from '@fullon/core';
import { rejection, useTestConnection } from '@fullon/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProcessKeys } from './keys.js';
import { ProcessCache } from './process-cache.js';
import { seedProcesses } from './test-helpers.js';

const HOUR = 3_600_000;

describe('getActiveProcesses among a long history', () => {
  const conn = useTestConnection();
  const live = new Map<string, { type: string; component: string }>();

  beforeAll(async () => {
    const now = Date.now();
    // 100 000 processes seen between 20 h and 2 h ago (records alive, heartbeats old).
    await seedProcesses(conn(), { count: 100_000, lastSeen: [now - 20 * HOUR, now - 2 * HOUR] });
    const processes = new ProcessCache(conn());
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const type = i % 2 === 0 ? 'ohlcv' : 'tick';
        const component = `live-${i % 10}`;
        const id = await processes.registerProcess(type, component, { status: 'running' });
        live.set(id, { type, component });
      }),
    );
  }, 120_000);

  it('returns exactly the 100 live processes, most recent first', async () => {
    const processes = new ProcessCache(conn());
    const active = await processes.getActiveProcesses();
    expect(active.map((r) => r.processId).sort()).toEqual([...live.keys()].sort());
    const seen = active.map((r) => r.lastSeen);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const { live: index } = new ProcessKeys(conn().keys);
    expect(await conn().send<number>(index, ['ZCARD', index])).toBe(100_100);
  });

  it('filters by type and component, and widens with maxAgeMs', async () => {
    const processes = new ProcessCache(conn());
    const ohlcv = await processes.getActiveProcesses({ type: 'ohlcv' });
    expect(ohlcv).toHaveLength(50);
    expect(ohlcv.every((r) => live.get(r.processId)?.type === 'ohlcv')).toBe(true);
    const one = await processes.getActiveProcesses({ type: 'tick', component: 'live-3' });
    expect(one).toHaveLength(10);
    expect(await processes.getActiveProcesses({ type: 'bot' })).toEqual([]);
    const wider = await processes.getActiveProcesses({
      maxAgeMs: 2 * HOUR + 10 * 60_000,
      type: 'ohlcv',
    });
    expect(wider.length).toBe(50);
    const someHistory = await processes.getActiveProcesses({ maxAgeMs: 2 * HOUR + 3 * 60_000 });
    expect(someHistory.length).toBeGreaterThan(100);
    expect(someHistory.length).toBeLessThan(1_000);
  });

  it('health and metrics count the window, not the history', async () => {
    const processes = new ProcessCache(conn());
    const health = await processes.getSystemHealth();
    expect(health).toEqual({
      healthy: true,
      totalProcesses: 100,
      byType: { ohlcv: 50, tick: 50 },
      byStatus: { running: 100 },
      staleProcesses: 0,
      errorProcesses: 0,
    });
    const metrics = await processes.getMetrics();
    expect(metrics).toEqual({
      totalProcesses: 100_100,
      liveProcesses: 100_100,
      activeProcesses: 100,
      stoppedProcesses: 0,
      components: 10,
      activeByType: { ohlcv: 50, tick: 50 },
    });
  });
});

describe('renamed options', () => {
  const conn = useTestConnection();

  it('getActiveProcesses({ sinceMs }) and getSystemHealth({ windowMs }) name the new maxAgeMs instead of ignoring the old name', async () => {
    const processes = new ProcessCache(conn());
    for (const [call, old] of [
      [() => processes.getActiveProcesses({ sinceMs: 1 } as never), 'sinceMs'],
      [() => processes.getSystemHealth({ windowMs: 1 } as never), 'windowMs'],
    ] as const) {
      const error = await rejection(call());
      expect(ValidationError.is(error), String(error)).toBe(true);
      expect((error as ValidationError).field).toBe(`options.${old}`);
      expect((error as ValidationError).message).toContain('maxAgeMs');
    }
  });
});
