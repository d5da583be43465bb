import { ValidationError } from '@fullon/core';
import { medianDurationMs, sleep, untilBlocked, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { ExchangeCache } from './exchange-cache.js';
import { ExchangeKeys } from './keys.js';

describe('websocket errors', () => {
  const conn = useTestConnection({ socketTimeoutMs: 1_000 });

  it('pops in push order, and null when empty with timeoutMs 0', async () => {
    const cache = new ExchangeCache(conn());
    expect(await cache.popWsError(1, { timeoutMs: 0 })).toBeNull();
    expect(await cache.pushWsError(1, 'first')).toBe(1);
    expect(await cache.pushWsError('1', 'second')).toBe(2);
    expect(await cache.pushWsError(2, 'other exchange')).toBe(1);
    expect(await cache.popWsError(1, { timeoutMs: 0 })).toBe('first');
    expect(await cache.popWsError(1, { timeoutMs: 500 })).toBe('second');
    expect(await cache.popWsError(1, { timeoutMs: 0 })).toBeNull();
    expect(await cache.popWsError(2, { timeoutMs: 0 })).toBe('other exchange');
  });

  it('returns a message pushed after the pop started waiting', async () => {
    const cache = new ExchangeCache(conn());
    const pending = cache.popWsError('late', { timeoutMs: 10_000 });
    await untilBlocked(conn(), new ExchangeKeys(conn().keys).wsErrors('late'));
    await cache.pushWsError('late', 'socket closed: 1006');
    expect(await pending).toBe('socket closed: 1006');
  });

  it('returns null at its timeout', async () => {
    const cache = new ExchangeCache(conn());
    expect(await cache.popWsError('quiet', { timeoutMs: 300 })).toBeNull();
  });

  it('waits longer than the socket timeout (1 s) on its dedicated connection', async () => {
    const cache = new ExchangeCache(conn());
    const key = new ExchangeKeys(conn().keys).wsErrors('long');
    const pending = cache.popWsError('long', { timeoutMs: 4_000 });
    await untilBlocked(conn(), key);
    await sleep(1_500);
    // The shared connection stays free while the pop blocks.
    expect(await conn().send<number>(key, ['LLEN', key])).toBe(0);
    await cache.pushWsError('long', 'after the socket timeout');
    expect(await pending).toBe('after the socket timeout');
    expect(await cache.popWsError('long', { timeoutMs: 1_300 })).toBeNull();
  });

  it('keeps the newest 1 000 by default, and a configured cap', async () => {
    const cache = new ExchangeCache(conn());
    expect(cache.wsErrors).toEqual({ cap: 1_000, ttlMs: 86_400_000 });
    let length = 0;
    for (let i = 1; i <= 1_003; i++) length = await cache.pushWsError('cap', `e${i}`);
    expect(length).toBe(1_000);
    const key = new ExchangeKeys(conn().keys).wsErrors('cap');
    expect(await conn().send<number>(key, ['LLEN', key])).toBe(1_000);
    expect(await cache.popWsError('cap', { timeoutMs: 0 })).toBe('e4');

    const small = new ExchangeCache(conn(), { wsErrors: { cap: 3 } });
    for (let i = 1; i <= 5; i++) await small.pushWsError('small', `m${i}`);
    const popped: (string | null)[] = [];
    for (let i = 0; i < 4; i++) popped.push(await small.popWsError('small', { timeoutMs: 0 }));
    expect(popped).toEqual(['m3', 'm4', 'm5', null]);
  });

  it('expires a list 24 h after its last push by default', async () => {
    const cache = new ExchangeCache(conn());
    await cache.pushWsError('ttl', 'x');
    const key = new ExchangeKeys(conn().keys).wsErrors('ttl');
    const pttl = await conn().send<number>(key, ['PTTL', key]);
    expect(pttl).toBeGreaterThan(86_400_000 - 60_000);
    expect(pttl).toBeLessThanOrEqual(86_400_000);
  });

  it('handles hostile exchange ids and messages', async () => {
    const cache = new ExchangeCache(conn());
    const message = 'line 1\nline 2 }{ * \u0000 ü€';
    await cache.pushWsError('a}{:*', message);
    expect(await cache.popWsError('a', { timeoutMs: 0 })).toBeNull();
    expect(await cache.popWsError('a}{:*', { timeoutMs: 0 })).toBe(message);
  });

  it.each([
    ['exId', () => new ExchangeCache(conn()).pushWsError('', 'x')],
    ['message', () => new ExchangeCache(conn()).pushWsError(1, '')],
    ['message', () => new ExchangeCache(conn()).pushWsError(1, 'x'.repeat(65_537))],
    ['message', () => new ExchangeCache(conn()).pushWsError(1, 5 as unknown as string)],
    ['exId', () => new ExchangeCache(conn()).popWsError(-1, { timeoutMs: 0 })],
    ['timeoutMs', () => new ExchangeCache(conn()).popWsError(1, { timeoutMs: -1 })],
    ['timeoutMs', () => new ExchangeCache(conn()).popWsError(1, { timeoutMs: 1.5 })],
    ['timeoutMs', () => new ExchangeCache(conn()).popWsError(1, {} as { timeoutMs: number })],
  ])('rejects a bad %s, writing nothing', async (field, call) => {
    await expect(call()).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && e.field === field && e.message.includes(field),
    );
    const key = new ExchangeKeys(conn().keys).wsErrors(1);
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
  });

  /** Redis checks blocked clients' timeouts on its cron (10 times a second): a wait must not. */
  const OVERSHOOT_MS = 45;

  it('a 5 ms wait on an empty list settles by its deadline plus a margin (defect 16)', async () => {
    const cache = new ExchangeCache(conn());
    // The first call opens the pooled connection; the bound is on the wait, not on connecting.
    expect(await cache.popWsError(16, { timeoutMs: 5 })).toBeNull();
    const median = await medianDurationMs(async () => {
      expect(await cache.popWsError(16, { timeoutMs: 5 })).toBeNull();
    });
    expect(median).toBeLessThan(5 + OVERSHOOT_MS);
  });
});
