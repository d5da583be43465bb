import {
  type CacheConnection,
  type CacheConnectionLike,
  ConfigurationError,
  msgpackCodec,
  ValidationError,
} from '@fullon/core';
import {
  describeConformance,
  testConnection,
  trackingClients,
  useTestConnection,
} from '@fullon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickConformance } from './conformance.test-helpers.js';
import { TickKeys } from './keys.js';
import { TickLayout } from './layouts.js';
import { invalidated, nearTicks, runWriter } from './near-cache.test-helpers.js';
import { makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

describe('TickCache near cache', () => {
  const conn = useTestConnection();
  let other: CacheConnection;
  beforeAll(async () => {
    // A second connection on the same keys: "another client" of the same data.
    other = await testConnection({ prefix: conn().config.prefix });
  });
  afterAll(async () => {
    await other.close();
  });
  const keyOf = (symbol: string, exchange = 'binance') =>
    new TickKeys(conn().keys).ticker(exchange, symbol);

  it('is off unless asked for, and refuses a connection that cannot track invalidations', () => {
    expect(new TickCache(conn()).nearCache).toBeUndefined();
    expect(new TickCache(conn(), { nearCache: false }).nearCache).toBeUndefined();
    const c = conn();
    const plain: CacheConnectionLike = {
      keys: c.keys,
      codec: c.codec,
      mode: c.mode,
      send: c.send.bind(c),
      runScript: c.runScript.bind(c),
      blocking: c.blocking.bind(c),
      publish: c.publish.bind(c),
      subscribe: c.subscribe.bind(c),
      reportCorrupt: c.reportCorrupt.bind(c),
      close: c.close.bind(c),
    };
    expect(new TickCache(plain).nearCache).toBeUndefined();
    expect(() => new TickCache(plain, { nearCache: true })).toThrow(ConfigurationError);
    expect(() => new TickCache(c, { nearCache: { maxEntries: 0 } })).toThrow(ValidationError);
    expect(() => new TickCache(c, { nearCache: { maxEntries: 1.5 } })).toThrow(ValidationError);
  });

  it('serves getTicker and getPrice, both call forms, from memory once read; maxAgeMs still applies', async () => {
    await using ticks = await nearTicks(conn());
    const old = makeTick({ symbol: 'MEM/USDT', price: 10, time: Date.now() - 60_000 });
    await new TickCache(conn()).setTicker(old);
    expect(await ticks.getTicker('MEM/USDT', 'binance')).toEqual(old);
    expect(ticks.nearCache.stats()).toMatchObject({ hits: 0, misses: 1 });
    expect(await ticks.getTicker({ symbol: 'MEM/USDT', exchange: 'binance' })).toEqual(old);
    expect(await ticks.getPrice('MEM/USDT', 'binance')).toBe(10);
    expect(await ticks.getPrice({ symbol: 'MEM/USDT', exchange: 'binance' })).toBe(10);
    expect(await ticks.getTicker('MEM/USDT', 'binance', { maxAgeMs: 1_000 })).toBeNull();
    expect(await ticks.getPrice('MEM/USDT', 'binance', { maxAgeMs: 1_000 })).toBeNull();
    expect(await ticks.getTicker('MEM/USDT', 'binance', { maxAgeMs: 120_000 })).toEqual(old);
    expect(ticks.nearCache.stats()).toMatchObject({ hits: 6, misses: 1 });
    // A missing ticker is remembered as missing, until it is written.
    expect(await ticks.getTicker('NONE/USDT', 'binance')).toBeNull();
    expect(await ticks.getTicker('NONE/USDT', 'binance')).toBeNull();
    expect(ticks.nearCache.stats()).toMatchObject({ hits: 7, misses: 2 });
  });

  it('sees a write by another connection once its invalidation arrives', async () => {
    await using ticks = await nearTicks(conn());
    const writer = new TickCache(other);
    await writer.setTicker(makeTick({ symbol: 'OTHER/USDT', price: 1 }));
    expect(await ticks.getPrice('OTHER/USDT', 'binance')).toBe(1);
    expect(await ticks.getPrice('OTHER/USDT', 'binance')).toBe(1);
    const seen = invalidated(ticks.nearCache, keyOf('OTHER/USDT'));
    await writer.setTicker(makeTick({ symbol: 'OTHER/USDT', price: 2 }));
    await seen;
    expect(await ticks.getPrice('OTHER/USDT', 'binance')).toBe(2);
    expect(ticks.nearCache.stats().invalidations).toBeGreaterThanOrEqual(1);
  });

  it('sees a raw HSET that bypasses setTicker', async () => {
    await using ticks = await nearTicks(conn());
    await ticks.setTicker(makeTick({ symbol: 'RAW/USDT', price: 1 }));
    expect(await ticks.getPrice('RAW/USDT', 'binance')).toBe(1);
    const key = keyOf('RAW/USDT');
    const bytes = TickLayout.encode(msgpackCodec, makeTick({ symbol: 'RAW/USDT', price: 3 }));
    const seen = invalidated(ticks.nearCache, key);
    await other.send(key, ['HSET', key, 'v', bytes]);
    await seen;
    expect(await ticks.getPrice('RAW/USDT', 'binance')).toBe(3);
  });

  it('sees writes by another process: setTicker and a raw HSET', async () => {
    await using ticks = await nearTicks(conn());
    const key = keyOf('PROC/USDT');
    await ticks.setTicker(makeTick({ symbol: 'PROC/USDT', price: 1, time: 1_700_000_000_000 }));
    expect(await ticks.getPrice('PROC/USDT', 'binance')).toBe(1);
    let seen = invalidated(ticks.nearCache, key, 30_000);
    await runWriter(conn(), {
      NEAR_TEST_SYMBOL: 'PROC/USDT',
      NEAR_TEST_BASE: '1700000000000',
      NEAR_TEST_COUNT: '5',
    });
    await seen;
    // Each write is reported; the last one is the one a read must see.
    await expect.poll(() => ticks.getPrice('PROC/USDT', 'binance')).toBe(5);
    expect(await ticks.getTicker('PROC/USDT', 'binance')).toMatchObject({
      time: 1_700_000_000_005,
    });

    seen = invalidated(ticks.nearCache, key, 30_000);
    await runWriter(conn(), {
      NEAR_TEST_MODE: 'raw',
      NEAR_TEST_SYMBOL: 'PROC/USDT',
      NEAR_TEST_BASE: '1700000000100',
      NEAR_TEST_PRICE: '42',
    });
    await seen;
    expect(await ticks.getPrice('PROC/USDT', 'binance')).toBe(42);
  });

  it('reads its own writes at once: setTicker, setTickers, updateTicker, deleteTicker', async () => {
    await using ticks = await nearTicks(conn());
    const t0 = Date.now();
    await ticks.setTicker(makeTick({ symbol: 'OWN/USDT', price: 1, time: t0 }));
    expect(await ticks.getPrice('OWN/USDT', 'binance')).toBe(1);
    await ticks.setTicker(makeTick({ symbol: 'OWN/USDT', price: 2, time: t0 + 1 }));
    expect(await ticks.getPrice('OWN/USDT', 'binance')).toBe(2);
    await ticks.setTickers([makeTick({ symbol: 'OWN/USDT', price: 3, time: t0 + 2 })]);
    expect(await ticks.getPrice('OWN/USDT', 'binance')).toBe(3);
    await ticks.updateTicker('OWN/USDT', 'binance', { price: 4 });
    expect(await ticks.getPrice('OWN/USDT', 'binance')).toBe(4);
    expect(await ticks.deleteTicker('OWN/USDT', 'binance')).toBe(true);
    expect(await ticks.getTicker('OWN/USDT', 'binance')).toBeNull();
  });

  it('is invalidated by deleteTicker, updateTicker and deleteExchangeTickers of another cache', async () => {
    await using ticks = await nearTicks(conn());
    const writer = new TickCache(other);
    await writer.setTicker(makeTick({ symbol: 'UPD/USDT', exchange: 'kraken', price: 1 }));
    expect(await ticks.getPrice('UPD/USDT', 'kraken')).toBe(1);
    let seen = invalidated(ticks.nearCache, keyOf('UPD/USDT', 'kraken'));
    await writer.updateTicker('UPD/USDT', 'kraken', { price: 7 });
    await seen;
    expect(await ticks.getPrice('UPD/USDT', 'kraken')).toBe(7);
    seen = invalidated(ticks.nearCache, keyOf('UPD/USDT', 'kraken'));
    await writer.deleteTicker('UPD/USDT', 'kraken');
    await seen;
    expect(await ticks.getTicker('UPD/USDT', 'kraken')).toBeNull();

    await writer.setTicker(makeTick({ symbol: 'ALL/USDT', exchange: 'kraken', price: 1 }));
    expect(await ticks.getPrice('ALL/USDT', 'kraken')).toBe(1);
    seen = invalidated(ticks.nearCache, keyOf('ALL/USDT', 'kraken'));
    expect(await writer.deleteExchangeTickers('kraken')).toBe(1);
    await seen;
    expect(await ticks.getTicker('ALL/USDT', 'kraken')).toBeNull();
  });

  it('is invalidated when a ticker expires', async () => {
    await using ticks = await nearTicks(conn());
    await new TickCache(other, { ttlMs: 300 }).setTicker(makeTick({ symbol: 'TTL/USDT' }));
    const seen = invalidated(ticks.nearCache, keyOf('TTL/USDT'));
    expect(await ticks.getTicker('TTL/USDT', 'binance')).not.toBeNull();
    await seen;
    expect(await ticks.getTicker('TTL/USDT', 'binance')).toBeNull();
  });

  it('is invalidated by conn.clear()', async () => {
    const own = await testConnection();
    try {
      await using ticks = await nearTicks(own);
      await ticks.setTicker(makeTick({ symbol: 'CLR/USDT', price: 5 }));
      expect(await ticks.getPrice('CLR/USDT', 'binance')).toBe(5);
      expect(await ticks.getPrice('CLR/USDT', 'binance')).toBe(5);
      const seen = invalidated(
        ticks.nearCache,
        new TickKeys(own.keys).ticker('binance', 'CLR/USDT'),
      );
      await own.clear();
      await seen;
      expect(await ticks.getPrice('CLR/USDT', 'binance')).toBeNull();
    } finally {
      await own.close();
    }
  });

  it('does not keep a value read before an invalidation that arrived during the read', async () => {
    await using ticks = await nearTicks(conn());
    const writer = new TickCache(other);
    const base = Date.now();
    await writer.setTicker(makeTick({ symbol: 'RACE/USDT', price: 0, time: base }));
    // Reads and writes interleaved: whatever order they land in, once the last write's
    // invalidation arrived, every read sees the last price.
    for (let i = 1; i <= 200; i++) {
      const seen = invalidated(ticks.nearCache, keyOf('RACE/USDT'));
      await Promise.all([
        ticks.getPrice('RACE/USDT', 'binance'),
        writer.setTicker(makeTick({ symbol: 'RACE/USDT', price: i, time: base + i })),
        ticks.getPrice('RACE/USDT', 'binance'),
      ]);
      await seen;
      expect(await ticks.getPrice('RACE/USDT', 'binance')).toBe(i);
    }
  });

  it('holds at most maxEntries under 100 000 distinct symbols', { timeout: 240_000 }, async () => {
    await using ticks = await nearTicks(conn());
    const writer = new TickCache(other);
    const symbols = Array.from({ length: 100_000 }, (_, i) => `LRU${i}/USDT`);
    const now = Date.now();
    for (let i = 0; i < symbols.length; i += 5_000) {
      await writer.setTickers(
        symbols
          .slice(i, i + 5_000)
          .map((symbol) => makeTick({ symbol, exchange: 'lru', time: now })),
      );
    }
    for (let i = 0; i < symbols.length; i += 1_000) {
      const prices = await Promise.all(
        symbols.slice(i, i + 1_000).map((symbol) => ticks.getPrice(symbol, 'lru')),
      );
      expect(prices.every((p) => p !== null)).toBe(true);
      expect(ticks.nearCache.size).toBeLessThanOrEqual(10_000);
    }
    expect(ticks.nearCache.size).toBe(10_000);
    expect(ticks.nearCache.stats().evictions).toBe(90_000);
    // The most recently read are the ones held.
    const before = ticks.nearCache.stats().hits;
    await ticks.getPrice(symbols.at(-1) ?? '', 'lru');
    expect(ticks.nearCache.stats().hits).toBe(before + 1);
    await writer.deleteExchangeTickers('lru');
  });

  it('leaks no listener, timer or tracking connection over 1 000 open/close cycles', {
    timeout: 300_000,
  }, async () => {
    const c = conn();
    const listeners = () =>
      c.events.listenerCount('ready') + c.events.listenerCount('disconnected');
    const resources = () => process.getActiveResourcesInfo().length;
    // Warm up, so lazily created resources of the connection are counted in both samples.
    await (await nearTicks(c)).close();
    const before = {
      listeners: listeners(),
      tracking: await trackingClients(),
      resources: resources(),
    };
    for (let i = 0; i < 1_000; i++) {
      const ticks = new TickCache(c, { nearCache: true });
      // Every tenth cycle closes before tracking is even established.
      if (i % 10 !== 0) expect(await ticks.nearCache?.ready()).toBe(true);
      await ticks.close();
    }
    expect(listeners()).toBe(before.listeners);
    await expect.poll(() => trackingClients(), { timeout: 10_000 }).toBe(before.tracking);
    const counts = () => {
      const by: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) by[r] = (by[r] ?? 0) + 1;
      return JSON.stringify(by);
    };
    await expect
      .poll(() => resources(), { timeout: 10_000, message: counts() })
      .toBeLessThanOrEqual(before.resources);
  });

  it('two processes: the reader never sees time go backwards and sees the last of 10 000 ticks', {
    timeout: 240_000,
  }, async () => {
    await using ticks = await nearTicks(conn());
    const base = 1_800_000_000_000;
    await ticks.setTicker(makeTick({ symbol: 'PAIR/USDT', time: base }), { force: true });
    let last = 0;
    let backwards = 0;
    let writing = true;
    const reader = (async () => {
      let i = 0;
      while (writing) {
        const tick = await ticks.getTicker('PAIR/USDT', 'binance');
        const time = tick?.time ?? 0;
        if (time < last) backwards++;
        last = time;
        // A loop of near-cache hits never waits on I/O: let invalidations in.
        if (++i % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const done = await runWriter(conn(), {
      NEAR_TEST_SYMBOL: 'PAIR/USDT',
      NEAR_TEST_BASE: String(base),
      NEAR_TEST_COUNT: '10000',
    });
    const told = Date.now();
    await expect.poll(() => last, { timeout: 5_000, interval: 1 }).toBe(done.lastTime);
    const seenAfterMs = Date.now() - told;
    writing = false;
    await reader;
    expect(backwards).toBe(0);
    expect(last).toBe(base + 10_000);
    // Reported, not asserted (tests assert no timings): bench/ measures the latency.
    console.info(`near cache: last tick seen ${seenAfterMs} ms after the writer reported it`);
    expect(ticks.nearCache.stats().hits).toBeGreaterThan(0);
  });
});

// The conformance table with the near cache on: getTicker and getPrice then read through
// process memory, a path of its own that must keep every rule too. It runs in this file, after
// the suite above, because the leak test counts every tracking client on the server: a near
// cache of another file running beside it would be counted.
describeConformance({
  ...tickConformance,
  name: 'tick (near cache)',
  create: (conn) => new TickCache(conn, { nearCache: true }),
  prototypeNames: {
    ...tickConformance.prototypeNames,
    async 'read twice from the near cache'(cache, name) {
      expect(await cache.nearCache?.ready()).toBe(true);
      const before = cache.nearCache?.stats().hits ?? 0;
      await cache.setTicker({ symbol: name, exchange: 'near', price: 2, time: 1_700_000_000_000 });
      expect(await cache.getPrice(name, 'near')).toBe(2);
      expect(await cache.getPrice(name, 'near')).toBe(2);
      // The second read was served from memory: this suite exercises the near-cache path.
      expect(cache.nearCache?.stats().hits).toBe(before + 1);
    },
  },
});
