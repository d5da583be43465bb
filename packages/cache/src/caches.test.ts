import { AccountCache } from '@fullon/account';
import { BotCache } from '@fullon/bot';
import {
  type CacheConnectionLike,
  ConfigurationError,
  ConnectionError,
  type ConnectOptions,
  ValidationError,
} from '@fullon/core';
import {
  type NodeClient,
  nodeClients,
  redisTarget,
  rejection,
  sleep,
  testConnection,
  uniquePrefix,
  useTestConnection,
} from '@fullon/core/testing';
import { ExchangeCache, SymbolCache } from '@fullon/exchange';
import { OHLCVCache } from '@fullon/ohlcv';
import { OrdersCache } from '@fullon/orders';
import { ProcessCache } from '@fullon/process';
import { TickCache } from '@fullon/tick';
import { TradesCache } from '@fullon/trades';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaches, openCaches } from './index.js';
import { exerciseEveryCache } from './test-helpers.js';

const conn = useTestConnection();

/** What containers need of a cache: `dispose()`, and the connection it uses. */
interface Disposable {
  readonly connection: CacheConnectionLike;
  dispose(): Promise<void>;
}

/** Every cache class: how to open one with a connection of its own, and to build one on `conn`. */
const CACHE_CLASSES: [
  string,
  (config: ConnectOptions) => Promise<Disposable>,
  (conn: CacheConnectionLike) => Disposable,
][] = [
  ['TickCache', (c) => TickCache.open(c), (conn) => new TickCache(conn)],
  ['SymbolCache', (c) => SymbolCache.open(c), (conn) => new SymbolCache(conn)],
  ['ExchangeCache', (c) => ExchangeCache.open(c), (conn) => new ExchangeCache(conn)],
  ['OrdersCache', (c) => OrdersCache.open(c), (conn) => new OrdersCache(conn)],
  ['TradesCache', (c) => TradesCache.open(c), (conn) => new TradesCache(conn)],
  ['AccountCache', (c) => AccountCache.open(c), (conn) => new AccountCache(conn)],
  ['BotCache', (c) => BotCache.open(c), (conn) => new BotCache(conn)],
  ['OHLCVCache', (c) => OHLCVCache.open(c), (conn) => new OHLCVCache(conn)],
  ['ProcessCache', (c) => ProcessCache.open(c), (conn) => new ProcessCache(conn)],
];

/** The per-cache option names of `createCaches`. */
const CACHE_NAMES = [
  'ticks',
  'symbols',
  'exchanges',
  'orders',
  'trades',
  'accounts',
  'bots',
  'ohlcv',
  'processes',
] as const;

/** Connected clients summed over every master (one for standalone). */
async function connectedClients(probes: NodeClient[]): Promise<number> {
  const counts = await Promise.all(
    probes.map(async (probe) => {
      const info = await probe.info('clients');
      return Number(/connected_clients:(\d+)/.exec(info)?.[1] ?? Number.NaN);
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/** Waits (bounded) until the server counts `expected` clients; returns the last count. */
async function clientsSettleAt(probes: NodeClient[], expected: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  let count = await connectedClients(probes);
  while (count !== expected && Date.now() < deadline) {
    await sleep(20);
    count = await connectedClients(probes);
  }
  return count;
}

describe('createCaches', () => {
  it('builds every cache on the one connection, and each one writes and reads there', async () => {
    const c = createCaches(conn());
    for (const cache of [
      c.ticks,
      c.symbols,
      c.exchanges,
      c.orders,
      c.trades,
      c.accounts,
      c.bots,
      c.ohlcv,
      c.processes,
    ]) {
      expect(cache.connection).toBe(conn());
    }
    expect(c.connection).toBe(conn());

    await exerciseEveryCache(c);
  });

  it('passes each cache its own options', () => {
    const c = createCaches(conn(), { ticks: { ttlMs: 1_000 }, orders: { maxAttempts: 3 } });
    expect(c.ticks.ttlMs).toBe(1_000);
    expect(c.orders.maxAttempts).toBe(3);
    const error = (() => {
      try {
        createCaches(conn(), { orders: { maxAttempts: -1 } });
      } catch (e) {
        return e;
      }
    })();
    expect(ValidationError.is(error)).toBe(true);
  });

  it('rejects options that are not an object, as a whole or per cache, naming them', () => {
    const thrown = (options: unknown): unknown => {
      try {
        createCaches(conn(), options as never);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const bad of [null, 5, 'ticks', [], [{}]]) {
      const error = thrown(bad);
      expect(ConfigurationError.is(error), JSON.stringify(bad)).toBe(true);
      expect(error).toMatchObject({ variable: 'options' });
      for (const name of CACHE_NAMES) {
        const inner = thrown({ [name]: bad });
        expect(ConfigurationError.is(inner), `${name}: ${JSON.stringify(bad)}`).toBe(true);
        expect(inner).toMatchObject({ variable: `options.${name}` });
      }
    }
  });

  it('rejects something that is not a connection', () => {
    expect(() => createCaches({} as never)).toThrow(ConfigurationError);
  });
});

describe('openCaches', () => {
  let probes: NodeClient[] = [];
  beforeAll(async () => {
    probes = await nodeClients();
  });
  afterAll(async () => {
    await Promise.all(probes.map((p) => p.disconnect()));
  });

  function address(): { url: string } | { clusterNodes: { host: string; port: number }[] } {
    const target = redisTarget();
    return target.mode === 'cluster' ? { clusterNodes: target.nodes } : { url: target.url };
  }

  it('owns its connection: close() drops the server client count back', async () => {
    const before = await connectedClients(probes);
    const caches = await openCaches({ ...address(), prefix: uniquePrefix() });
    await caches.ticks.setTicker({ symbol: 'X/Y', exchange: 'e', price: 1, time: Date.now() });
    // a subscription opens a link of its own; close() must end it too
    const sub = caches.ticks.subscribe({ exchange: 'e' });
    await sub.ready;
    expect(await connectedClients(probes)).toBeGreaterThan(before);
    await caches.connection.send(undefined, ['PING']);
    await caches.close();
    expect(await clientsSettleAt(probes, before)).toBe(before);
    await caches.close(); // idempotent
  });

  it('await using closes it too', async () => {
    const before = await connectedClients(probes);
    {
      await using caches = await openCaches({ ...address(), prefix: uniquePrefix() });
      expect(await caches.orders.getQueueLength('q')).toBe(0);
    }
    expect(await clientsSettleAt(probes, before)).toBe(before);
  });

  it('a cache option out of range rejects and leaks no connection', async () => {
    const before = await connectedClients(probes);
    const error = await rejection(
      openCaches({ ...address(), prefix: uniquePrefix() }, { ticks: { ttlMs: -5 } }),
    );
    expect(ValidationError.is(error)).toBe(true);
    expect(await clientsSettleAt(probes, before)).toBe(before);
  });

  it('rejects a config or options that are not objects, naming them, and leaks no connection', async () => {
    const before = await connectedClients(probes);
    for (const bad of [null, 5, []]) {
      const config = await rejection(openCaches(bad as never));
      expect(ConfigurationError.is(config), JSON.stringify(bad)).toBe(true);
      expect(config).toMatchObject({ variable: 'config' });
    }
    for (const bad of [null, 5, 'x', []]) {
      const target = { ...address(), prefix: uniquePrefix() };
      const whole = await rejection(openCaches(target, bad as never));
      expect(ConfigurationError.is(whole), JSON.stringify(bad)).toBe(true);
      expect(whole).toMatchObject({ variable: 'options' });
      const one = await rejection(openCaches(target, { bots: bad } as never));
      expect(ConfigurationError.is(one), JSON.stringify(bad)).toBe(true);
      expect(one).toMatchObject({ variable: 'options.bots' });
    }
    expect(await clientsSettleAt(probes, before)).toBe(before);
  });

  it('dispose() closes the connection a cache or openCaches() opened, and only that one', async () => {
    for (const [name, open, build] of CACHE_CLASSES) {
      const cache = await open({ ...address(), prefix: uniquePrefix() });
      await cache.dispose();
      const error = await rejection(cache.connection.send(undefined, ['PING']));
      expect(ConnectionError.is(error), `${name}.open() then dispose()`).toBe(true);
      await build(conn()).dispose();
      expect(await conn().send(undefined, ['PING']), `${name} on a passed connection`).toBe('PONG');
    }
    const caches = await openCaches({ ...address(), prefix: uniquePrefix() });
    await caches.dispose();
    expect(ConnectionError.is(await rejection(caches.connection.send(undefined, ['PING'])))).toBe(
      true,
    );
  });

  it('a connection passed to createCaches stays open when its caches are dropped', async () => {
    const own = await testConnection();
    try {
      const c = createCaches(own);
      expect(await c.orders.getQueueLength('q')).toBe(0);
      expect(await own.ping()).toBeGreaterThanOrEqual(0);
    } finally {
      await own.close();
    }
  });
});
