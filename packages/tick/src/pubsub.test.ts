import { type DecodeError, ValidationError } from '@fullon/core';
import { until, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import { TickLayout } from './layouts.js';
import type { Tick } from './schema.js';
import { makeTick, subscriberCount } from './test-helpers.js';
import { TickCache } from './tick-cache.js';
import type { TickSubscription } from './types.js';

/**
 * Collects the ticks that `keep` accepts until there are `count`, then aborts the subscription
 * and lets iteration end by itself. On a cluster, ticks written on different nodes may arrive in
 * any order, and stray ticks of earlier tests may still be on their way: callers that subscribe
 * across slots filter and compare sorted.
 */
async function collect(
  sub: TickSubscription,
  count: number,
  controller: AbortController,
  keep: (tick: Tick) => boolean = () => true,
): Promise<Tick[]> {
  const seen: Tick[] = [];
  for await (const tick of sub) {
    if (!keep(tick)) continue;
    seen.push(tick);
    if (seen.length === count) controller.abort();
  }
  return seen;
}

const byPrice = (a: Tick, b: Tick) => a.price - b.price;

describe('TickCache pub/sub', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const cache = () => new TickCache(conn());

  it('streams one ticker, ended by abort', async () => {
    const ticks = cache();
    const controller = new AbortController();
    const sub = ticks.subscribe({ exchange: 'ps1', symbol: 'BTC/USDT', signal: controller.signal });
    await sub.ready;
    const done = collect(sub, 2, controller);
    await ticks.setTicker(makeTick({ exchange: 'ps1', symbol: 'ETH/USDT', price: 99 }));
    await ticks.setTicker(makeTick({ exchange: 'ps2', symbol: 'BTC/USDT', price: 98 }));
    await ticks.setTicker(makeTick({ exchange: 'ps1', symbol: 'BTC/USDT', price: 1 }));
    await ticks.setTicker(makeTick({ exchange: 'ps1', symbol: 'BTC/USDT', price: 2 }));
    const seen = await done;
    expect(seen.map((t) => [t.exchange, t.symbol, t.price])).toEqual([
      ['ps1', 'BTC/USDT', 1],
      ['ps1', 'BTC/USDT', 2],
    ]);
    expect(await sub.next()).toEqual({ value: undefined, done: true });
  });

  it('streams one exchange (including hostile symbols), ended by abort', async () => {
    const ticks = cache();
    const controller = new AbortController();
    const sub = ticks.subscribe({ exchange: 'ex:*{1}', signal: controller.signal });
    await sub.ready;
    const done = collect(sub, 3, controller);
    await ticks.setTicker(makeTick({ exchange: 'ex:*{1}', symbol: 'a b\u00a0*', price: 1 }));
    await ticks.setTicker(makeTick({ exchange: 'ex', symbol: 'x', price: 90 }));
    await ticks.setTicker(makeTick({ exchange: 'ex:*{1}x', symbol: 'x', price: 91 }));
    await ticks.setTickers([
      makeTick({ exchange: 'ex:*{1}', symbol: 'B/USDT', price: 2 }),
      makeTick({ exchange: 'other', symbol: 'B/USDT', price: 92 }),
    ]);
    await ticks.setTicker(makeTick({ exchange: 'ex:*{1}', symbol: 'C/USDT', price: 3 }));
    const seen = await done;
    expect(seen.map((t) => [t.exchange, t.symbol, t.price])).toEqual([
      ['ex:*{1}', 'a b\u00a0*', 1],
      ['ex:*{1}', 'B/USDT', 2],
      ['ex:*{1}', 'C/USDT', 3],
    ]);
  });

  it('streams one symbol on every exchange', async () => {
    const ticks = cache();
    const controller = new AbortController();
    const sub = ticks.subscribe({ symbol: 'SYM/USDT', signal: controller.signal });
    await sub.ready;
    const done = collect(sub, 2, controller);
    await ticks.setTicker(makeTick({ exchange: 'one', symbol: 'SYM/USDT', price: 1 }));
    await ticks.setTicker(makeTick({ exchange: 'one', symbol: 'SYM/USDTX', price: 90 }));
    await ticks.setTicker(makeTick({ exchange: 'two', symbol: 'SYM/USDT', price: 2 }));
    expect((await done).sort(byPrice).map((t) => [t.exchange, t.price])).toEqual([
      ['one', 1],
      ['two', 2],
    ]);
  });

  it('streams everything, ended by abort', async () => {
    const ticks = cache();
    const controller = new AbortController();
    const sub = ticks.subscribe({ signal: controller.signal });
    await sub.ready;
    const mine = new Set(['all1', 'all2', 'all3']);
    const done = collect(sub, 3, controller, (t) => mine.has(t.exchange));
    await ticks.setTicker(makeTick({ exchange: 'all1', symbol: 'A', price: 1 }));
    await ticks.setTicker(makeTick({ exchange: 'all2', symbol: 'B', price: 2 }));
    await ticks.updateTicker('A', 'all1', { price: 3 });
    expect((await done).sort(byPrice).map((t) => `${t.exchange}:${t.symbol}:${t.price}`)).toEqual([
      'all1:A:1',
      'all2:B:2',
      'all1:A:3',
    ]);
  });

  it('skips and reports a payload that does not decode', async () => {
    const ticks = cache();
    const sub = ticks.subscribe({ exchange: 'cx', symbol: 'C' });
    await sub.ready;
    const channel = new TickKeys(conn().keys).channel('cx', 'C');
    const tick = makeTick({ exchange: 'cx', symbol: 'C', price: 4 });
    // Both from one client to one channel, so they arrive in this order even on a cluster.
    await conn().publish(channel, Buffer.from([0xc1]));
    await conn().publish(channel, TickLayout.encode(conn().codec, tick));
    expect((await sub.next()).value).toEqual(tick);
    expect(corrupt.map((e) => e.key)).toEqual([channel]);
    await sub.close();
  });

  it('does not publish a tick that was not written', async () => {
    const ticks = cache();
    const now = Date.now();
    await ticks.setTicker(makeTick({ exchange: 'np', price: 1, time: now }));
    const sub = ticks.subscribe({ exchange: 'np' });
    await sub.ready;
    await ticks.setTicker(makeTick({ exchange: 'np', price: 2, time: now - 1 }));
    await ticks.setTicker(makeTick({ exchange: 'np', price: 3, time: now + 1 }));
    let next = await sub.next();
    // On a cluster, the publication of the first write (before subscribing) may still arrive.
    if (next.value?.price === 1) next = await sub.next();
    expect(next.value).toMatchObject({ price: 3 });
    await sub.close();
  });

  it('ends when the loop breaks, and when aborted before the server confirmed', async () => {
    const ticks = cache();
    const sub = ticks.subscribe({ exchange: 'brk' });
    await sub.ready;
    const pending = (async () => {
      for await (const tick of sub) return tick;
      return null;
    })();
    await ticks.setTicker(makeTick({ exchange: 'brk', price: 5 }));
    expect(await pending).toMatchObject({ price: 5 });
    expect(await sub.next()).toEqual({ value: undefined, done: true });

    const controller = new AbortController();
    const early = ticks.subscribe({ exchange: 'brk', signal: controller.signal });
    controller.abort();
    const seen: Tick[] = [];
    for await (const tick of early) seen.push(tick);
    expect(seen).toEqual([]);
  });

  it('rejects a signal that is not an AbortSignal as a ValidationError naming signal', () => {
    const ticks = cache();
    for (const signal of [{}, 'abort', 5, null, { aborted: false }]) {
      for (const target of [{}, { exchange: 'bs', symbol: 'BTC/USDT' }]) {
        let thrown: unknown;
        try {
          ticks.subscribe({ ...target, signal: signal as AbortSignal });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(ValidationError);
        expect(thrown).toMatchObject({ field: 'signal' });
      }
    }
  });

  it('waitForTicker returns the stored tick at once', async () => {
    const ticks = cache();
    const tick = makeTick({ exchange: 'wait', symbol: 'NOW/USDT' });
    await ticks.setTicker(tick);
    expect(await ticks.waitForTicker('NOW/USDT', 'wait', { timeoutMs: 30_000 })).toEqual(tick);
  });

  it('waitForTicker returns a tick published right after the call started', async () => {
    const ticks = cache();
    for (let round = 0; round < 20; round++) {
      const symbol = `RACE${round}/USDT`;
      const tick = makeTick({ exchange: 'wait', symbol, price: round });
      const waiting = ticks.waitForTicker(symbol, 'wait', { timeoutMs: 5_000 });
      // Written while the wait subscribes, reads or listens: it must be seen in every case.
      await Promise.resolve();
      await ticks.setTicker(tick);
      expect(await waiting).toEqual(tick);
    }
  });

  it('waitForTicker skips a stored tick older than maxAgeMs and takes the next one', async () => {
    const ticks = cache();
    await ticks.setTicker(
      makeTick({ exchange: 'wait', symbol: 'STALE/USDT', time: Date.now() - 60_000, price: 1 }),
    );
    const waiting = ticks.waitForTicker('STALE/USDT', 'wait', {
      timeoutMs: 30_000,
      maxAgeMs: 1_000,
    });
    // Publish repeatedly until the wait, once subscribed, sees one; no sleep-based ordering.
    let result: Tick | null | undefined;
    void waiting.then((t) => {
      result = t;
    });
    for (let price = 2; result === undefined && price < 10_000; price++) {
      await ticks.setTicker(makeTick({ exchange: 'wait', symbol: 'STALE/USDT', price }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await waiting)?.price).toBeGreaterThan(1);
  });

  it('waitForTicker ignores a published tick older than maxAgeMs', async () => {
    const ticks = cache();
    const stale = makeTick({
      exchange: 'wait',
      symbol: 'LATE/USDT',
      time: Date.now() - 60_000,
      price: 1,
    });
    const current = makeTick({ exchange: 'wait', symbol: 'LATE/USDT', price: 2 });
    await ticks.setTicker(stale);
    const channel = new TickKeys(conn().keys).channel('wait', 'LATE/USDT');
    const waiting = ticks.waitForTicker('LATE/USDT', 'wait', {
      timeoutMs: 10_000,
      maxAgeMs: 1_000,
    });
    await until(async () => (await subscriberCount(conn(), channel)) > 0, {
      timeoutMs: 10_000,
      intervalMs: 1,
    });
    // What a cluster may deliver: the stale tick's publication arriving after the subscription.
    await conn().publish(channel, TickLayout.encode(conn().codec, stale));
    await conn().publish(channel, TickLayout.encode(conn().codec, current));
    expect(await waiting).toEqual(current);
  });

  it('waitForTicker returns null at its timeout and leaves no subscription behind', async () => {
    const ticks = cache();
    expect(await ticks.waitForTicker('NEVER/USDT', 'wait', { timeoutMs: 50 })).toBeNull();
    const channel = new TickKeys(conn().keys).channel('wait', 'NEVER/USDT');
    expect(await subscriberCount(conn(), channel)).toBe(0);
    await expect(
      ticks.waitForTicker('NEVER/USDT', 'wait', { timeoutMs: -5 }),
    ).rejects.toMatchObject({
      field: 'timeoutMs',
    });
  });

  it('rejects bad subscribe filters with ValidationError', () => {
    const ticks = cache();
    expect(() => ticks.subscribe({ exchange: '' })).toThrow(/exchange/);
    expect(() => ticks.subscribe({ symbol: 7 as never })).toThrow(/symbol/);
  });
});
