import { LockError, ValidationError } from '@fullon/core';
import { sleep, testConnection, until, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import type { LeaseLost } from './block-hold.js';
import { BotCache } from './bot-cache.js';
import { BotKeys } from './keys.js';

/** A promise of the next `onLost` call, and the callback to pass. */
function lostProbe(): { onLost: (lost: LeaseLost) => void; next: Promise<LeaseLost> } {
  let resolve: (lost: LeaseLost) => void = () => undefined;
  const next = new Promise<LeaseLost>((r) => {
    resolve = r;
  });
  return { onLost: (lost) => resolve(lost), next };
}

/** Rejects when `promise` has not settled within `ms`: a bound on a wait, not a timing assertion. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms).unref();
    }),
  ]);
}

describe('BotCache.holdBlock', () => {
  const conn = useTestConnection();

  it('keeps the block past its TTL by renewing it, then releases it', async () => {
    const bots = new BotCache(conn());
    const probe = lostProbe();
    // A renewal every 500 ms; only one confirmed more than 1 s late ends the hold (a TTL of
    // 300 ms lost it on a busy 2-core machine, where a renewal can be 200 ms late).
    const hold = await bots.holdBlock(1, 'BTC/USDT', 'bot-a', {
      ttlMs: 1_500,
      onLost: probe.onLost,
    });
    if (hold === null) return expect.unreachable('not acquired');
    const first = hold.expiresAt;
    // Three TTLs later the block is still ours, under the same token.
    await sleep(4_500);
    expect(hold.active).toBe(true);
    expect(await bots.isBlocked(1, 'BTC/USDT')).toBe('bot-a');
    expect(hold.expiresAt).toBeGreaterThan(first);
    expect((await bots.blockExchange(1, 'BTC/USDT', 'bot-b')).acquired).toBe(false);
    expect((await bots.getBlocks()).find((b) => b.symbol === 'BTC/USDT')?.token).toBe(hold.token);

    expect(await hold.release()).toBe(true);
    expect(await hold.release()).toBe(true); // idempotent: the same answer
    expect(hold.active).toBe(false);
    expect(hold.lost).toBeNull();
    expect(hold.signal.aborted).toBe(true);
    expect(LockError.is(hold.signal.reason)).toBe(true);
    expect(await bots.isBlocked(1, 'BTC/USDT')).toBeNull();
  });

  it('returns null when another bot holds the block', async () => {
    const bots = new BotCache(conn());
    await bots.blockExchange(2, 'BTC/USDT', 'bot-a');
    expect(await bots.holdBlock(2, 'BTC/USDT', 'bot-b', { ttlMs: 1_000 })).toBeNull();
    const aborted = AbortSignal.abort();
    expect(await bots.holdBlock(2, 'ETH/USDT', 'bot-b', { signal: aborted })).toBeNull();
    expect(await bots.isBlocked(2, 'ETH/USDT')).toBeNull();
  });

  it('calls onLost when the block is stolen by force', async () => {
    const bots = new BotCache(conn());
    const probe = lostProbe();
    // Long enough that the hold cannot expire on a busy machine before the force lands.
    const hold = await bots.holdBlock(3, 'BTC/USDT', 'bot-a', {
      ttlMs: 3_000,
      onLost: probe.onLost,
    });
    if (hold === null) return expect.unreachable('not acquired');
    const forced = await bots.blockExchange(3, 'BTC/USDT', 'bot-b', { force: true });
    expect(forced.token ?? 0).toBeGreaterThan(hold.token);
    expect(await within(probe.next, 5_000)).toEqual({ reason: 'stolen' });
    expect(hold.lost).toEqual({ reason: 'stolen' });
    expect(hold.active).toBe(false);
    expect(hold.signal.aborted).toBe(true);
    // Releasing a stolen hold leaves the new holder alone.
    expect(await hold.release()).toBe(false);
    expect(await bots.isBlocked(3, 'BTC/USDT')).toBe('bot-b');
  });

  it('calls onLost when the block expired before a renewal reached it', async () => {
    const bots = new BotCache(conn());
    const probe = lostProbe();
    const hold = await bots.holdBlock(4, 'BTC/USDT', 'bot-a', { ttlMs: 300, onLost: probe.onLost });
    if (hold === null) return expect.unreachable('not acquired');
    // What a stall longer than the TTL leaves behind: the lease is gone.
    const key = new BotKeys(conn().keys).block.lease('4', 'BTC/USDT');
    await conn().send(key, ['DEL', key]);
    expect(await within(probe.next, 5_000)).toEqual({ reason: 'expired' });
    expect(await bots.isBlocked(4, 'BTC/USDT')).toBeNull();
  });

  it('is inactive, aborted and lost as expired once its deadline passed, even with the event loop blocked', async () => {
    const bots = new BotCache(conn());
    const probe = lostProbe();
    const hold = await bots.holdBlock(9, 'BTC/USDT', 'bot-a', { ttlMs: 500, onLost: probe.onLost });
    if (hold === null) return expect.unreachable('not acquired');
    // Another bot takes the block once it has expired on the server, while this process is
    // paused: its connection is held up by a WAIT (no replica will ever answer), then asks.
    const own = await testConnection({ prefix: conn().keys.prefix });
    try {
      const key = new BotKeys(own.keys).block.lease('9', 'BTC/USDT');
      const waited = own.send(key, ['WAIT', '99', '1000']);
      const theft = new BotCache(own).blockExchange(9, 'BTC/USDT', 'bot-b');
      await sleep(50); // both commands are on the wire
      expect(hold.active).toBe(true);
      // The holder stalls (a long GC, a blocked event loop) for 4 times its TTL: the thread
      // sleeps without burning a core, and no timer, renewal or I/O callback can run meanwhile.
      const resume = performance.now() + 2_000;
      const cell = new Int32Array(new SharedArrayBuffer(4));
      while (performance.now() < resume) Atomics.wait(cell, 0, 0, resume - performance.now());
      // Read before any timer had a chance: the hold knows its own deadline passed.
      expect(hold.active).toBe(false);
      expect(hold.signal.aborted).toBe(true);
      expect(LockError.is(hold.signal.reason)).toBe(true);
      expect(hold.lost).toEqual({ reason: 'expired' });
      expect(await within(probe.next, 5_000)).toEqual({ reason: 'expired' });
      await waited;
      expect((await theft).acquired).toBe(true);
      // The renewal never overrode the new holder, and release leaves it alone.
      expect(await hold.release()).toBe(false);
      expect(await bots.isBlocked(9, 'BTC/USDT')).toBe('bot-b');
      expect(hold.lost).toEqual({ reason: 'expired' });
    } finally {
      await own.close();
    }
  });

  it('calls onLost with the error when renewals fail until the deadline', async () => {
    const own = await testConnection({ prefix: conn().keys.prefix });
    const bots = new BotCache(own);
    const probe = lostProbe();
    const hold = await bots.holdBlock(5, 'BTC/USDT', 'bot-a', { ttlMs: 300, onLost: probe.onLost });
    if (hold === null) return expect.unreachable('not acquired');
    await own.close(); // every renewal now fails
    const lost = await within(probe.next, 5_000);
    expect(lost.reason).toBe('error');
    expect(lost.error).toBeDefined();
    expect(hold.signal.aborted).toBe(true);
  });

  it('stops renewing and releases when its signal aborts', async () => {
    const bots = new BotCache(conn());
    const controller = new AbortController();
    const probe = lostProbe();
    const hold = await bots.holdBlock(6, 'BTC/USDT', 7, {
      ttlMs: 60_000,
      signal: controller.signal,
      onLost: probe.onLost,
    });
    if (hold === null) return expect.unreachable('not acquired');
    expect(hold.botId).toBe('7');
    controller.abort();
    expect(hold.active).toBe(false);
    await until(async () => (await bots.isBlocked(6, 'BTC/USDT')) === null, 5_000);
    expect(hold.lost).toBeNull();
  });

  it('rejects a signal that is not an AbortSignal as a ValidationError naming signal', async () => {
    const bots = new BotCache(conn());
    for (const signal of [{}, 'abort', 5, null, { aborted: false }]) {
      const pending = bots.holdBlock(8, 'BTC/USDT', 'bot-a', { signal: signal as AbortSignal });
      await expect(pending).rejects.toBeInstanceOf(ValidationError);
      await expect(pending).rejects.toMatchObject({ field: 'signal' });
    }
    expect(await bots.isBlocked(8, 'BTC/USDT')).toBeNull();
  });

  it('12 holds sharing one signal: no MaxListenersExceededWarning, abort releases all (R3 #17)', async () => {
    const bots = new BotCache(conn());
    const controller = new AbortController();
    const warnings: Error[] = [];
    const record = (warning: Error) => warnings.push(warning);
    process.on('warning', record);
    const holds = [];
    try {
      for (let i = 0; i < 12; i++) {
        const hold = await bots.holdBlock(40 + i, 'BTC/USDT', 7, {
          ttlMs: 60_000,
          signal: controller.signal,
        });
        if (hold === null) return expect.unreachable('not acquired');
        holds.push(hold);
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', record);
    }
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toStrictEqual([]);
    controller.abort();
    expect(holds.every((hold) => !hold.active)).toBe(true);
    for (let i = 0; i < 12; i++) {
      await until(async () => (await bots.isBlocked(40 + i, 'BTC/USDT')) === null, 5_000);
    }
  });

  it('is released by await using', async () => {
    const bots = new BotCache(conn());
    {
      const hold = await bots.holdBlock(7, 'BTC/USDT', 'bot-a', { ttlMs: 60_000 });
      if (hold === null) return expect.unreachable('not acquired');
      await using held = hold;
      expect(await bots.isBlocked(7, 'BTC/USDT')).toBe(held.botId);
    }
    expect(await bots.isBlocked(7, 'BTC/USDT')).toBeNull();
  });
});
