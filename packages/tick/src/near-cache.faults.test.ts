import { type CacheConnection, connect, msgpackCodec, type RedisReply } from '@fullon/core';
import {
  type RedisClusterHandle,
  type RedisServerHandle,
  startRedisCluster,
  startRedisServer,
  until,
} from '@fullon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import { TickLayout } from './layouts.js';
import { invalidated, nearTicks, nextEvent } from './near-cache.test-helpers.js';
import { makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

describe('TickCache near cache on a server the test owns', () => {
  let server: RedisServerHandle;
  let conn: CacheConnection;
  let admin: CacheConnection;
  beforeAll(async () => {
    server = await startRedisServer();
    conn = await connect({ url: server.url, prefix: 'owned', socketTimeoutMs: 1_000 });
    admin = await connect({ url: server.url, prefix: 'admin', socketTimeoutMs: 1_000 });
  });
  afterAll(async () => {
    await conn.close();
    await admin.close();
    await server.stop();
  });
  const key = (symbol: string) => new TickKeys(conn.keys).ticker('binance', symbol);

  /** Ids of the tracking connections (flag `t`). */
  async function trackingIds(): Promise<string[]> {
    const list = String(await admin.send(undefined, ['CLIENT', 'LIST']));
    return list
      .split('\n')
      .filter((line) => / flags=\w*t/.test(line))
      .map((line) => /^id=(\d+)/.exec(line)?.[1] ?? '');
  }

  it('empties and bypasses the cache while its invalidation connection is gone, and serves again once back', async () => {
    await using ticks = await nearTicks(conn);
    const near = ticks.nearCache;
    await ticks.setTicker(makeTick({ symbol: 'KILL/USDT', price: 1 }));
    expect(await ticks.getPrice('KILL/USDT', 'binance')).toBe(1);
    expect(await ticks.getPrice('KILL/USDT', 'binance')).toBe(1);
    expect(near.size).toBe(1);
    const [id] = await trackingIds();
    expect(id).toBeDefined();
    const reset = nextEvent(near, 'reset');
    const live = nextEvent(near, 'live');
    await admin.send(undefined, ['CLIENT', 'KILL', 'ID', id ?? '']);
    await reset;
    expect(near.size).toBe(0);
    // Until tracking is back, every read goes to Redis (a write made meanwhile is seen).
    const bytes = TickLayout.encode(msgpackCodec, makeTick({ symbol: 'KILL/USDT', price: 2 }));
    await admin.send(key('KILL/USDT'), ['HSET', key('KILL/USDT'), 'v', bytes]);
    const misses = near.stats().misses;
    const stillDown = !near.live;
    expect(await ticks.getPrice('KILL/USDT', 'binance')).toBe(2);
    expect(near.stats().misses).toBe(misses + 1);
    if (stillDown && !near.live) expect(near.size).toBe(0);
    await live;
    expect((await trackingIds()).length).toBe(1);
    expect(await ticks.getPrice('KILL/USDT', 'binance')).toBe(2);
    const hits = near.stats().hits;
    expect(await ticks.getPrice('KILL/USDT', 'binance')).toBe(2);
    expect(near.stats().hits).toBe(hits + 1);
    expect(near.stats().flushes).toBeGreaterThanOrEqual(1);
  });

  it('empties and bypasses the cache when the data connection drops, and serves again once tracking is back', async () => {
    await using ticks = await nearTicks(conn);
    const near = ticks.nearCache;
    await ticks.setTicker(makeTick({ symbol: 'DATA/USDT', price: 1 }));
    expect(await ticks.getPrice('DATA/USDT', 'binance')).toBe(1);
    expect(near.size).toBe(1);
    const dataId = await conn.send<number>(undefined, ['CLIENT', 'ID']);
    const reset = nextEvent(near, 'reset');
    await admin.send(undefined, ['CLIENT', 'KILL', 'ID', String(dataId)]);
    await reset;
    expect(near.size).toBe(0);
    expect(await near.ready()).toBe(true);
    // Tracking was re-established on fresh connections: still exactly one.
    expect((await trackingIds()).length).toBe(1);
    expect(await ticks.getPrice('DATA/USDT', 'binance')).toBe(1);
    const seen = invalidated(near, key('DATA/USDT'));
    const bytes = TickLayout.encode(msgpackCodec, makeTick({ symbol: 'DATA/USDT', price: 2 }));
    await admin.send(key('DATA/USDT'), ['HSET', key('DATA/USDT'), 'v', bytes]);
    await seen;
    expect(await ticks.getPrice('DATA/USDT', 'binance')).toBe(2);
  });

  it('leaves no stale entry after FLUSHALL', async () => {
    await using ticks = await nearTicks(conn);
    await ticks.setTicker(makeTick({ symbol: 'FLUSH/USDT', price: 1 }));
    expect(await ticks.getPrice('FLUSH/USDT', 'binance')).toBe(1);
    const flushes = ticks.nearCache.stats().flushes;
    const seen = invalidated(ticks.nearCache, key('FLUSH/USDT'));
    await admin.send(undefined, ['FLUSHALL']);
    await seen;
    expect(ticks.nearCache.stats().flushes).toBe(flushes + 1);
    expect(await ticks.getPrice('FLUSH/USDT', 'binance')).toBeNull();
  });

  it('leaves no stale entry after the server restarts', async () => {
    await using ticks = await nearTicks(conn);
    await ticks.setTicker(makeTick({ symbol: 'RESTART/USDT', price: 1 }));
    expect(await ticks.getPrice('RESTART/USDT', 'binance')).toBe(1);
    expect(ticks.nearCache.size).toBe(1);
    const reset = nextEvent(ticks.nearCache, 'reset');
    await server.restartServer();
    await reset;
    expect(ticks.nearCache.size).toBe(0);
    expect(await ticks.nearCache.ready()).toBe(true);
    // The restarted server kept nothing (no persistence): neither does the near cache.
    expect(await ticks.getPrice('RESTART/USDT', 'binance')).toBeNull();
    await ticks.setTicker(makeTick({ symbol: 'RESTART/USDT', price: 2 }));
    expect(await ticks.getPrice('RESTART/USDT', 'binance')).toBe(2);
  });
});

describe('TickCache near cache on a cluster the test owns: a master failover', () => {
  let cluster: RedisClusterHandle;
  let conn: CacheConnection;
  let other: CacheConnection;
  beforeAll(async () => {
    cluster = await startRedisCluster(3, { replicas: 1, nodeTimeoutMs: 1000 });
    const options = {
      clusterNodes: cluster.nodes,
      prefix: 'near-failover',
      socketTimeoutMs: 1_000,
    };
    conn = await connect(options);
    other = await connect(options);
  }, 60_000);
  afterAll(async () => {
    await conn?.destroy();
    await other?.destroy();
    await cluster?.stop();
  });

  it('empties the cache when a master dies, and serves again, correctly, from the promoted replica', {
    timeout: 60_000,
  }, async () => {
    await using ticks = await nearTicks(conn);
    const near = ticks.nearCache;
    const writer = new TickCache(other);
    await writer.setTicker(makeTick({ symbol: 'FO/USDT', price: 1 }));
    expect(await ticks.getPrice('FO/USDT', 'binance')).toBe(1);
    expect(near.size).toBe(1);
    const key = new TickKeys(conn.keys).ticker('binance', 'FO/USDT');
    // Replication is asynchronous: make sure the replica has the tick before its master dies.
    expect(await other.send(key, ['WAIT', '1', '5000'])).toBe(1);
    const slot = await conn.send<number>(undefined, ['CLUSTER', 'KEYSLOT', key]);
    const ranges = await conn.send<RedisReply[][]>(undefined, ['CLUSTER', 'SLOTS']);
    const owner = ranges.find(([from, to]) => Number(from) <= slot && slot <= Number(to));
    const port = Array.isArray(owner?.[2]) ? Number(owner[2][1]) : Number.NaN;
    const victim = cluster.servers.find((s) => s.port === port);
    expect(victim).toBeDefined();
    const reset = nextEvent(near, 'reset');
    await victim?.killServer();
    await reset;
    expect(near.size).toBe(0);
    // Reads go to Redis (and fail while the slot has no master) until the replica takes over
    // and tracking is confirmed on the new set of masters.
    await until(
      async () => {
        if (near.live) return true;
        await ticks.getPrice('FO/USDT', 'binance').catch(() => null);
        return false;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect(near.live).toBe(true);
    expect(await ticks.getPrice('FO/USDT', 'binance')).toBe(1);
    const seen = invalidated(near, key);
    await writer.setTicker(makeTick({ symbol: 'FO/USDT', price: 2 }));
    await seen;
    expect(await ticks.getPrice('FO/USDT', 'binance')).toBe(2);
  });
});
