import { DecodeError, ValidationError } from '@fullon/core';
import { redisTarget, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import type { Tick } from './schema.js';
import { makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

describe('TickCache reads and writes', () => {
  const conn = useTestConnection();
  const cache = () => new TickCache(conn());

  it('round-trips every field', async () => {
    const tick: Tick = {
      symbol: 'ETH/USDT',
      exchange: 'kraken',
      price: 3_100.25,
      time: 1_717_171_717_123,
      volume: 12_345.678,
      bid: 3_100.2,
      ask: 3_100.3,
      last: 3_100.25,
      change: -12.5,
      percentage: -0.4,
    };
    expect(await cache().setTicker(tick)).toBe(true);
    expect(await cache().getTicker('ETH/USDT', 'kraken')).toEqual(tick);
    expect(await cache().getTicker({ symbol: 'ETH/USDT', exchange: 'kraken' })).toEqual(tick);
  });

  it('round-trips a tick with only the required fields, leaving the others absent', async () => {
    const tick = makeTick({ symbol: 'MIN/USDT', exchange: 'minimal' });
    await cache().setTicker(tick);
    const read = await cache().getTicker('MIN/USDT', 'minimal');
    expect(read).toEqual(tick);
    expect(Object.keys(read ?? {}).sort()).toEqual(['exchange', 'price', 'symbol', 'time']);
  });

  it('returns null for a ticker that does not exist', async () => {
    expect(await cache().getTicker('NOPE/USDT', 'binance')).toBeNull();
    expect(await cache().getPrice('NOPE/USDT', 'binance')).toBeNull();
  });

  it('does not write an older tick, and force writes it', async () => {
    const ticks = cache();
    const now = Date.now();
    await ticks.setTicker(makeTick({ symbol: 'OLD/USDT', price: 2, time: now }));
    expect(
      await ticks.setTicker(makeTick({ symbol: 'OLD/USDT', price: 1, time: now - 1_000 })),
    ).toBe(false);
    expect(await ticks.getPrice('OLD/USDT', 'binance')).toBe(2);
    expect(
      await ticks.setTicker(makeTick({ symbol: 'OLD/USDT', price: 1, time: now - 1_000 }), {
        force: true,
      }),
    ).toBe(true);
    expect(await ticks.getTicker('OLD/USDT', 'binance')).toMatchObject({
      price: 1,
      time: now - 1_000,
    });
    // A tick as old as the stored one replaces it (same-millisecond updates are not lost).
    expect(
      await ticks.setTicker(makeTick({ symbol: 'OLD/USDT', price: 3, time: now - 1_000 })),
    ).toBe(true);
    expect(await ticks.getPrice({ symbol: 'OLD/USDT', exchange: 'binance' })).toBe(3);
  });

  it('ends with the newest tick when 50 writers race', async () => {
    const ticks = cache();
    const base = Date.now();
    const order = Array.from({ length: 50 }, (_, i) => i).sort(() => Math.random() - 0.5);
    const results = await Promise.all(
      order.map((i) =>
        ticks.setTicker(makeTick({ symbol: 'RACE/USDT', price: i, time: base + i })),
      ),
    );
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await ticks.getTicker('RACE/USDT', 'binance')).toMatchObject({
      price: 49,
      time: base + 49,
    });
  });

  it('treats a tick older than maxAgeMs as missing', async () => {
    const ticks = cache();
    await ticks.setTicker(makeTick({ symbol: 'AGE/USDT', time: Date.now() - 60_000 }));
    expect(await ticks.getTicker('AGE/USDT', 'binance', { maxAgeMs: 10_000 })).toBeNull();
    expect(await ticks.getPrice('AGE/USDT', 'binance', { maxAgeMs: 10_000 })).toBeNull();
    expect(await ticks.getTicker('AGE/USDT', 'binance', { maxAgeMs: 600_000 })).not.toBeNull();
    expect(
      await ticks.getTicker({ symbol: 'AGE/USDT', exchange: 'binance' }, { maxAgeMs: 600_000 }),
    ).not.toBeNull();
    await expect(ticks.getTicker('AGE/USDT', 'binance', { maxAgeMs: -1 })).rejects.toThrow(
      /maxAgeMs/,
    );
  });

  it('round-trips hostile symbol and exchange names', async () => {
    const ticks = cache();
    const names = ['{', '}', 'a:b', '*', 'with space', 'no\u00a0break', '{x}:*?[]', 'ü€/💥'];
    for (const name of names) {
      await ticks.setTicker(makeTick({ symbol: name, exchange: `ex ${name}`, price: name.length }));
    }
    for (const name of names) {
      expect(await ticks.getTicker(name, `ex ${name}`)).toMatchObject({
        symbol: name,
        exchange: `ex ${name}`,
        price: name.length,
      });
      expect(await ticks.getTickers(`ex ${name}`)).toHaveLength(1);
    }
    // A hostile name does not reach another ticker's key.
    expect(await ticks.getTicker('*', 'ex {')).toBeNull();
  });

  it('rejects a bad name or a bad call form with ValidationError', async () => {
    const ticks = cache();
    await expect(ticks.getTicker('', 'binance')).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'symbol',
    });
    await expect(ticks.getTicker('BTC/USDT', '')).rejects.toMatchObject({ field: 'exchange' });
    // What an untyped caller may pass.
    const loose = ticks.getTicker.bind(ticks) as unknown as (
      ...args: unknown[]
    ) => Promise<unknown>;
    await expect(loose('BTC/USDT')).rejects.toMatchObject({ field: 'exchange' });
    await expect(
      loose({ symbol: 'BTC/USDT', exchange: 'binance' }, 'kraken'),
    ).rejects.toMatchObject({
      field: 'options',
    });
    await expect(loose({ symbol: 'BTC/USDT' })).rejects.toMatchObject({ field: 'exchange' });
    await expect(loose(42, 'binance')).rejects.toMatchObject({ field: 'symbol' });
  });

  it('throws DecodeError with the key for a corrupt stored value', async () => {
    const ticks = cache();
    const key = new TickKeys(conn().keys).ticker('corrupt-ex', 'BAD/USDT');
    await conn().send(key, ['HSET', key, 'v', Buffer.from([0xc1, 0xff])]);
    const error = await ticks.getTicker('BAD/USDT', 'corrupt-ex').catch((e: unknown) => e);
    expect(DecodeError.is(error)).toBe(true);
    expect(error).toMatchObject({ key, field: 'v' });
    await expect(ticks.getPrice('BAD/USDT', 'corrupt-ex')).rejects.toBeInstanceOf(DecodeError);
  });

  it('gives every ticker a TTL, defaulting to 24 h', async () => {
    const keys = new TickKeys(conn().keys);
    await cache().setTicker(makeTick({ symbol: 'TTL/USDT', exchange: 'ttl-ex' }));
    const ttl = await conn().send<number>(keys.ticker('ttl-ex', 'TTL/USDT'), [
      'PTTL',
      keys.ticker('ttl-ex', 'TTL/USDT'),
    ]);
    expect(ttl).toBeGreaterThan(86_400_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(86_400_000);
    const indexTtl = await conn().send<number>(keys.index('ttl-ex'), [
      'PTTL',
      keys.index('ttl-ex'),
    ]);
    expect(indexTtl).toBeGreaterThan(86_400_000 - 60_000);

    const short = new TickCache(conn(), { ttlMs: 5_000 });
    await short.setTicker(makeTick({ symbol: 'SHORT/USDT', exchange: 'ttl-ex' }));
    const shortTtl = await conn().send<number>(keys.ticker('ttl-ex', 'SHORT/USDT'), [
      'PTTL',
      keys.ticker('ttl-ex', 'SHORT/USDT'),
    ]);
    expect(shortTtl).toBeGreaterThan(0);
    expect(shortTtl).toBeLessThanOrEqual(5_000);
    // A shorter-lived ticker never shortens the index's life below its longest ticker.
    const after = await conn().send<number>(keys.index('ttl-ex'), ['PTTL', keys.index('ttl-ex')]);
    expect(after).toBeGreaterThan(86_400_000 - 60_000);
    expect(() => new TickCache(conn(), { ttlMs: 0 })).toThrow(ValidationError);
    expect(() => new TickCache(conn(), { ttlMs: 1.5 })).toThrow(/ttlMs/);
  });

  it('opens its own connection and closes it on dispose', async () => {
    const target = redisTarget();
    const config =
      target.mode === 'cluster'
        ? { clusterNodes: target.nodes, prefix: conn().config.prefix }
        : { url: target.url, prefix: conn().config.prefix };
    let opened: TickCache | undefined;
    {
      await using ticks = await TickCache.open(config);
      opened = ticks;
      await ticks.setTicker(makeTick({ symbol: 'OPEN/USDT', exchange: 'open-ex', price: 7 }));
      expect(await ticks.getPrice('OPEN/USDT', 'open-ex')).toBe(7);
    }
    await expect(opened.getPrice('OPEN/USDT', 'open-ex')).rejects.toMatchObject({
      code: 'CONNECTION',
    });
    // The tick outlives the connection that wrote it.
    expect(await cache().getPrice('OPEN/USDT', 'open-ex')).toBe(7);
    // A cache on a borrowed connection does not close it.
    await cache().close();
    expect(await conn().ping()).toBeGreaterThan(0);
  });
});
