import {
  type CacheConnection,
  ConfigurationError,
  DecodeError,
  jsonCodec,
  msgpackCodec,
  ValidationError,
} from '@fullon/core';
import { rejection, sleep, testConnection, useTestConnection } from '@fullon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessKeys } from './keys.js';
import { ProcessCache } from './process-cache.js';
import type { JsonObject } from './schema.js';

const TRICKY: JsonObject = {
  empty: {},
  list: [],
  nested: { a: [1, null, { b: [] }], c: '' },
  big: 1_717_171_717_171,
  float: 0.1 + 0.2,
  negative: -42.5,
  text: 'BTC/USDT ✓ {tag} "quoted" \\ back\nline',
  flag: false,
  nothing: null,
};

describe('ProcessCache', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });

  it('registers a process with defaults and reads it back', async () => {
    const processes = new ProcessCache(conn());
    const before = Date.now();
    const id = await processes.registerProcess('ohlcv', 'binance:BTC/USDT');
    const record = await processes.getProcess(id);
    expect(record).toMatchObject({
      processId: id,
      type: 'ohlcv',
      component: 'binance:BTC/USDT',
      status: 'starting',
      message: 'Process binance:BTC/USDT registered',
      params: {},
    });
    expect(record?.lastSeen).toBeGreaterThanOrEqual(before);
    expect(record?.createdAt).toBe(record?.lastSeen);
    expect(record?.updatedAt).toBe(record?.lastSeen);
    expect(await processes.getProcess('no-such-process')).toBeNull();
    const key = new ProcessKeys(conn().keys).record(id);
    const ttl = await conn().send<number>(key, ['PTTL', key]);
    expect(ttl).toBeGreaterThan(86_000_000);
  });

  it('accepts plain strings for type and status', async () => {
    const processes = new ProcessCache(conn());
    const id = await processes.registerProcess('my_custom_service', 'worker-1', {
      status: 'warming_up',
      message: 'hello',
    });
    expect(await processes.getProcess(id)).toMatchObject({
      type: 'my_custom_service',
      status: 'warming_up',
      message: 'hello',
    });
    const updated = await processes.updateProcess(id, { status: 'draining' });
    expect(updated?.status).toBe('draining');
  });

  it('updates atomically: status, message, params merged shallowly, heartbeat', async () => {
    const processes = new ProcessCache(conn());
    const id = await processes.registerProcess('bot', 'bot-7', {
      params: { exchange: 'kraken', symbols: ['BTC/USD'], limits: { max: 3 } },
    });
    const registered = await processes.getProcess(id);
    await sleep(5);
    const updated = await processes.updateProcess(id, {
      status: 'running',
      params: { symbols: ['BTC/USD', 'ETH/USD'], started: true },
    });
    expect(updated).toMatchObject({
      status: 'running',
      message: 'Process bot-7 registered',
      params: {
        exchange: 'kraken',
        symbols: ['BTC/USD', 'ETH/USD'],
        limits: { max: 3 },
        started: true,
      },
    });
    expect(updated?.lastSeen).toBeGreaterThan(registered?.lastSeen ?? Number.POSITIVE_INFINITY);
    expect(await processes.getProcess(id)).toEqual(updated);
    const quiet = await processes.updateProcess(id, { message: 'no beat', heartbeat: false });
    expect(quiet?.lastSeen).toBe(updated?.lastSeen);
    expect(quiet?.updatedAt).toBeGreaterThanOrEqual(updated?.updatedAt ?? 0);
    expect(quiet?.message).toBe('no beat');
    expect(await processes.updateProcess('missing', { status: 'running' })).toBeNull();
  });

  it('loses no param under concurrent updates', async () => {
    const processes = new ProcessCache(conn());
    const id = await processes.registerProcess('crawler', 'crawler-1');
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        processes.updateProcess(id, { params: { [`p${i}`]: i } }),
      ),
    );
    const record = await processes.getProcess(id);
    expect(Object.keys(record?.params ?? {})).toHaveLength(50);
    expect(record?.params.p49).toBe(49);
  });

  it('keeps params exact through the merge script with the msgpack and json codecs', async () => {
    for (const codec of [msgpackCodec, jsonCodec]) {
      const own = await testConnection({ codec });
      try {
        const processes = new ProcessCache(own);
        const id = await processes.registerProcess('tick', 'codec-check', { params: TRICKY });
        expect((await processes.getProcess(id))?.params, codec.name).toEqual(TRICKY);
        const many: JsonObject = {};
        for (let i = 0; i < 40; i++) many[`k${i}`] = { i, list: [i, {}] };
        const merged = await processes.updateProcess(id, { params: { ...many, empty: [] } });
        expect(merged?.params, codec.name).toEqual({ ...TRICKY, ...many, empty: [] });
        expect(await processes.heartbeat(id)).toBe(true);
        expect((await processes.getProcess(id))?.params, codec.name).toEqual(merged?.params);
      } finally {
        await own.clear();
        await own.close();
      }
    }
  });

  it('heartbeat sets lastSeen; false for an unknown process', async () => {
    const processes = new ProcessCache(conn());
    const id = await processes.registerProcess('tick', 'hb');
    const first = await processes.getProcess(id);
    await sleep(5);
    expect(await processes.heartbeat(id)).toBe(true);
    const second = await processes.getProcess(id);
    expect(second?.lastSeen).toBeGreaterThan(first?.lastSeen ?? Number.POSITIVE_INFINITY);
    expect(second?.status).toBe('starting');
    expect(await processes.heartbeat('nobody')).toBe(false);
  });

  it('stops a process: out of the active list, still readable, component kept', async () => {
    const processes = new ProcessCache(conn());
    const id = await processes.registerProcess('order', 'orders:stop-test');
    expect((await processes.getActiveProcesses({ component: 'orders:stop-test' })).length).toBe(1);
    expect(await processes.stopProcess(id)).toBe(true);
    expect(await processes.getProcess(id)).toMatchObject({
      status: 'stopped',
      message: 'Process stopped',
    });
    expect(await processes.getActiveProcesses({ component: 'orders:stop-test' })).toEqual([]);
    expect((await processes.getComponentStatus('orders:stop-test'))?.processId).toBe(id);
    expect(await processes.stopProcess('nobody')).toBe(false);
    // Back to running: listed again.
    await processes.updateProcess(id, { status: 'running' });
    expect((await processes.getActiveProcesses({ component: 'orders:stop-test' })).length).toBe(1);
    expect(await processes.stopProcess(id, 'bye')).toBe(true);
    expect((await processes.getProcess(id))?.message).toBe('bye');
  });

  it('a heartbeat does not revive a stopped process; its index follows the status only', async () => {
    const processes = new ProcessCache(conn());
    const id = await processes.registerProcess('tick', 'stopped-beat');
    await processes.stopProcess(id);
    expect(await processes.heartbeat(id)).toBe(true);
    expect((await processes.getProcess(id))?.status).toBe('stopped');
    expect(await processes.getActiveProcesses({ component: 'stopped-beat' })).toEqual([]);
    const keys = new ProcessKeys(conn().keys);
    expect(await conn().send<string | null>(keys.live, ['ZSCORE', keys.live, id])).toBeNull();
    expect(
      await conn().send<string | null>(keys.stopped, ['ZSCORE', keys.stopped, id]),
    ).not.toBeNull();
    const registeredStopped = await processes.registerProcess('tick', 'born-stopped', {
      status: 'stopped',
    });
    expect(
      await conn().send<string | null>(keys.live, ['ZSCORE', keys.live, registeredStopped]),
    ).toBeNull();
  });

  it('getComponentStatus follows the latest registration', async () => {
    const processes = new ProcessCache(conn());
    const first = await processes.registerProcess('tick', 'ticker_daemon');
    const second = await processes.registerProcess('tick', 'ticker_daemon');
    expect((await processes.getComponentStatus('ticker_daemon'))?.processId).toBe(second);
    // Stopping the older one leaves the component pointing at the newer (Python dropped it).
    await processes.stopProcess(first);
    expect((await processes.getComponentStatus('ticker_daemon'))?.processId).toBe(second);
    expect(await processes.getComponentStatus('nothing-here')).toBeNull();
  });

  it('validates every argument before writing', async () => {
    const processes = new ProcessCache(conn());
    const field = async (p: Promise<unknown>) => {
      const error = await rejection(p);
      return ValidationError.is(error) ? error.field : `not a ValidationError: ${String(error)}`;
    };
    expect(await field(processes.registerProcess('', 'c'))).toBe('type');
    expect(await field(processes.registerProcess('tick', 7 as unknown as string))).toBe(
      'component',
    );
    expect(
      await field(
        processes.registerProcess('tick', 'c', {
          params: { d: new Date() } as unknown as JsonObject,
        }),
      ),
    ).toBe('options.params.d');
    expect(
      await field(processes.registerProcess('tick', 'c', { params: [] as unknown as JsonObject })),
    ).toBe('options.params');
    expect(await field(processes.registerProcess('tick', 'c', { params: { n: Number.NaN } }))).toBe(
      'options.params.n',
    );
    expect(await field(processes.registerProcess('tick', 'c', { status: '' }))).toBe(
      'options.status',
    );
    expect(
      await field(processes.updateProcess('id', { heartbeat: 'yes' as unknown as boolean })),
    ).toBe('heartbeat');
    expect(await field(processes.updateProcess('id', { message: 'x'.repeat(10_001) }))).toBe(
      'message',
    );
    expect(await field(processes.getActiveProcesses({ maxAgeMs: -1 }))).toBe('options.maxAgeMs');
    expect(await field(processes.cleanupStaleProcesses({ staleMs: 0 }))).toBe('staleMs');
    expect(
      await field(processes.broadcast('tick', 'm', { f: () => 1 } as unknown as JsonObject)),
    ).toBe('data.f');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(
      await field(processes.registerProcess('tick', 'c', { params: cyclic as JsonObject })),
    ).toBe('options.params.self');
    expect(await processes.getActiveProcesses({ component: 'c' })).toEqual([]);
    expect(() => new ProcessCache(conn(), { ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => new ProcessCache(undefined as never)).toThrow(ConfigurationError);
  });

  it('a corrupt record: DecodeError on single reads and writes, skipped and reported in listings', async () => {
    const processes = new ProcessCache(conn());
    const good = await processes.registerProcess('tick', 'corrupt-test');
    const bad = await processes.registerProcess('tick', 'corrupt-test');
    const foreign = await processes.registerProcess('tick', 'corrupt-test');
    const keys = new ProcessKeys(conn().keys);
    const c: CacheConnection = conn();
    await c.send(keys.record(bad), ['SET', keys.record(bad), Buffer.from([0x93, 0x01, 0xc1])]);
    // A valid record of another process stored under this id's key.
    const other = await c.send<Buffer>(keys.record(good), ['GET', keys.record(good)], {
      buffers: true,
    });
    await c.send(keys.record(foreign), ['SET', keys.record(foreign), other]);
    for (const id of [bad, foreign]) {
      expect(DecodeError.is(await rejection(processes.getProcess(id)))).toBe(true);
      expect(DecodeError.is(await rejection(processes.heartbeat(id)))).toBe(true);
      expect(DecodeError.is(await rejection(processes.updateProcess(id, { status: 'x' })))).toBe(
        true,
      );
    }
    expect(
      await c.send<Buffer>(keys.record(bad), ['GET', keys.record(bad)], { buffers: true }),
    ).toEqual(Buffer.from([0x93, 0x01, 0xc1]));
    corrupt.length = 0;
    const listed = await processes.getActiveProcesses({ component: 'corrupt-test' });
    expect(listed.map((r) => r.processId)).toEqual([good]);
    expect(corrupt.map((e) => e.key).sort()).toEqual(
      [keys.record(bad), keys.record(foreign)].sort(),
    );
  });

  it('refuses the rewriting calls on a codec the scripts cannot read', async () => {
    const own = await testConnection({
      codec: { name: 'custom', encode: jsonCodec.encode, decode: jsonCodec.decode },
    });
    try {
      const processes = new ProcessCache(own);
      const id = await processes.registerProcess('tick', 'custom-codec');
      expect(ConfigurationError.is(await rejection(processes.heartbeat(id)))).toBe(true);
    } finally {
      await own.clear();
      await own.close();
    }
  });

  it('open() owns its connection', async () => {
    const c = conn();
    const own = await ProcessCache.open({ ...c.config, prefix: c.keys.prefix });
    const id = await own.registerProcess('tick', 'opened');
    await own.close();
    await own.close();
    expect((await new ProcessCache(c).getProcess(id))?.component).toBe('opened');
    expect(ValidationError.is(await rejection(ProcessCache.open(c.config, { ttlMs: 1.5 })))).toBe(
      true,
    );
  });
});

describe('ProcessCache with a shared registry', () => {
  let conn: CacheConnection;
  beforeAll(async () => {
    conn = await testConnection();
  });
  afterAll(async () => {
    await conn.clear();
    await conn.close();
  });

  it('two caches on one prefix see each other', async () => {
    const a = new ProcessCache(conn);
    const b = new ProcessCache(conn);
    const id = await a.registerProcess('account', 'acc-1');
    expect((await b.getProcess(id))?.type).toBe('account');
  });
});
