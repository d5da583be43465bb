import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../errors.js';
import { type RedisClusterHandle, startRedisCluster } from '../server/redis-server.js';
import { rejection } from '../testing/index.js';
import { connect } from './connect.js';
import type { CacheConnection } from './connection.js';
import type { RedisReply } from './connection-like.js';

/** Concurrent writers keeping the cluster under load during the failover. */
const WRITERS = 8;
/** The bound the failover must meet: kill → first success on the dead master's slots. */
const RECOVERY_BOUND_MS = 10_000;

/** Port of the master serving `key`, from the cluster's own view. */
async function masterPortOf(conn: CacheConnection, key: string): Promise<number> {
  const slot = await conn.send<number>(undefined, ['CLUSTER', 'KEYSLOT', key]);
  const ranges = await conn.send<RedisReply[][]>(undefined, ['CLUSTER', 'SLOTS']);
  for (const [from, to, master] of ranges) {
    if (Number(from) <= slot && slot <= Number(to) && Array.isArray(master)) {
      return Number(master[1]);
    }
  }
  throw new Error(`no master serves slot ${slot}`);
}

describe('cluster failover, on a 3-master + 3-replica cluster the test owns (defect 1)', () => {
  let cluster: RedisClusterHandle;
  let conn: CacheConnection;
  beforeAll(async () => {
    cluster = await startRedisCluster(3, { replicas: 1, nodeTimeoutMs: 1000 });
    conn = await connect({
      clusterNodes: cluster.nodes,
      prefix: 'failover',
      socketTimeoutMs: 1000,
    });
  }, 60_000);
  afterAll(async () => {
    await conn?.destroy();
    await cluster?.stop();
  });

  it('serves the dead master’s slots again on the same connection within 10 s of a SIGKILL under load', async () => {
    const key = conn.keys.tagged('order', 'victim');
    await conn.send(key, ['SET', key, 'before']);
    const port = await masterPortOf(conn, key);
    const victim = cluster.servers.find((s) => s.port === port);
    if (victim === undefined) throw new Error(`no server on port ${port}`);

    let loading = true;
    let written = 0;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; loading; i++) {
        const k = conn.keys.tagged('load', `${w}-${i % 32}`);
        await conn.send(k, ['INCR', k]).then(
          () => written++,
          () => sleep(20),
        );
      }
    });
    await expect.poll(() => written, { timeout: 5000 }).toBeGreaterThan(100);

    const events: string[] = [];
    conn.events.on('disconnected', () => events.push('disconnected'));
    conn.events.on('ready', () => events.push('ready'));
    await victim.killServer();
    const killedAt = performance.now();
    let recoveredMs: number | undefined;
    while (recoveredMs === undefined && performance.now() - killedAt < RECOVERY_BOUND_MS) {
      try {
        await conn.send(key, ['SET', key, 'after']);
        recoveredMs = performance.now() - killedAt;
      } catch {
        await sleep(20);
      }
    }
    loading = false;
    await Promise.all(writers);
    console.info(
      `failover: kill → first success on the moved slots ${Math.round(recoveredMs ?? -1)} ms`,
    );

    expect(recoveredMs, 'the moved slots never came back').toBeDefined();
    // One outage: one `disconnected`, then `ready` once the promoted replica's link is watched.
    await expect.poll(() => events, { timeout: 5000 }).toEqual(['disconnected', 'ready']);
    expect(await conn.send(key, ['GET', key])).toBe('after');
    const health = await conn.health();
    expect(health.nodes).toBe(3);
  }, 30_000);
});

describe('a stalled cluster node, on a 3-master cluster the test owns', () => {
  let cluster: RedisClusterHandle;
  let conn: CacheConnection;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    conn = await connect({ clusterNodes: cluster.nodes, prefix: 'stall', socketTimeoutMs: 500 });
  }, 60_000);
  afterAll(async () => {
    for (const server of cluster?.servers ?? []) server.resumeServer();
    await conn?.destroy();
    await cluster?.stop();
  });

  it('fails calls on a SIGSTOPped master with ConnectionError within the watchdog bound, serves the others, and recovers', async () => {
    const key = conn.keys.tagged('k', 'stalled');
    await conn.send(key, ['SET', key, 'v']);
    const port = await masterPortOf(conn, key);
    const paused = cluster.servers.find((s) => s.port === port);
    if (paused === undefined) throw new Error(`no server on port ${port}`);
    let other = '';
    for (let i = 0; other === ''; i++) {
      const candidate = conn.keys.tagged('k', `other-${i}`);
      if ((await masterPortOf(conn, candidate)) !== port) other = candidate;
    }
    paused.pauseServer();
    // Resumed after 4 s at the latest, so a call that hangs fails its bound, not the test.
    const resume = setTimeout(() => paused.resumeServer(), 4000);
    try {
      const started = performance.now();
      const error = await rejection(conn.send(key, ['GET', key]));
      const ms = performance.now() - started;
      expect(ConnectionError.is(error), String(error)).toBe(true);
      expect(ms).toBeLessThan(1.5 * 500 + 1000);
      expect(await conn.send(other, ['SET', other, 'fine'])).toBe('OK');
    } finally {
      clearTimeout(resume);
      paused.resumeServer();
    }
    await expect
      .poll(() => conn.send(key, ['GET', key]).catch(() => 'down'), { timeout: 10_000 })
      .toBe('v');
  });
});
