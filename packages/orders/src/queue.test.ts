import { type DecodeError, LockError, msgpackCodec, ValidationError } from '@fullon/core';
import {
  medianDurationMs,
  rejection,
  sleep,
  testConnection,
  untilBlocked,
  useTestConnection,
} from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { OrdersCache } from './orders-cache.js';
import { order, queueKeys, queueSnapshot } from './test-helpers.js';

describe('OrdersCache queue', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const cache = () => new OrdersCache(conn());

  beforeEach(async () => {
    corrupt.length = 0;
    await conn().clear();
  });

  it('pops in push order across 3 producers (FIFO), and null once empty', async () => {
    await using p2 = await testConnection({ prefix: conn().config.prefix });
    await using p3 = await testConnection({ prefix: conn().config.prefix });
    const producers = [cache(), new OrdersCache(p2), new OrdersCache(p3)];
    const pushed: string[] = [];
    for (let i = 0; i < 60; i++) {
      const id = `o-${i}`;
      const producer = producers[i % 3] ?? cache();
      const result = await producer.pushOpenOrder('binance', order(id));
      expect(result).toEqual({ length: i + 1, queued: true });
      pushed.push(id);
    }
    expect(await cache().getQueueLength('binance')).toBe(60);
    const popped: string[] = [];
    for (;;) {
      const next = await cache().popOpenOrder('binance', { timeoutMs: 0 });
      if (next === null) break;
      popped.push(String(next.orderId));
    }
    expect(popped).toEqual(pushed);
    expect(await cache().getQueueLength('binance')).toBe(0);
  });

  it('returns the whole order as pushed', async () => {
    const full = order(7, {
      exOrderId: 'ex-7',
      exchange: 'kraken',
      price: 64_250.5,
      orderType: 'limit',
      futures: true,
      leverage: 3,
      botId: 2,
      userId: 'u1',
      status: 'open',
      command: 'place',
      timestamp: Date.now(),
    });
    await cache().pushOpenOrder('q', full);
    expect(await cache().popOpenOrder('q', { timeoutMs: 0 })).toEqual(full);
  });

  it('a pop waiting 8 s with a 5 s socket timeout returns the order pushed at 7 s', async () => {
    await using waiter = await testConnection({
      prefix: conn().config.prefix,
      socketTimeoutMs: 5_000,
    });
    const started = Date.now();
    const pending = new OrdersCache(waiter).popOpenOrder('slow', { timeoutMs: 8_000 });
    await untilBlocked(conn(), queueKeys(conn(), 'slow').signal);
    await sleep(7_000 - (Date.now() - started));
    expect((await cache().pushOpenOrder('slow', order('late'))).queued).toBe(true);
    expect((await pending)?.orderId).toBe('late');
    // The wait ended with the push, within its deadline (plus a margin).
    expect(Date.now() - started).toBeLessThan(8_000 + 2_000);
  }, 20_000);

  it('a pop returns an order pushed while it waits, and null at its timeout', async () => {
    const pending = cache().popOpenOrder('wait', { timeoutMs: 10_000 });
    await untilBlocked(conn(), queueKeys(conn(), 'wait').signal);
    await cache().pushOpenOrder('wait', order('w1'));
    expect((await pending)?.orderId).toBe('w1');
    expect(await cache().popOpenOrder('wait', { timeoutMs: 150 })).toBeNull();
  });

  it('pushing the same id twice queues it once, also concurrently from 2 connections', async () => {
    expect(await cache().pushOpenOrder('dup', order(1))).toEqual({ length: 1, queued: true });
    expect(await cache().pushOpenOrder('dup', order(1, { volume: 9 }))).toEqual({
      length: 1,
      queued: false,
    });
    expect(await cache().pushOpenOrder('dup', order('1'))).toEqual({ length: 1, queued: false });

    await using other = await testConnection({ prefix: conn().config.prefix });
    const results = await Promise.all([
      cache().pushOpenOrder('dup', order('x')),
      new OrdersCache(other).pushOpenOrder('dup', order('x')),
    ]);
    expect(results.map((r) => r.queued).sort()).toEqual([false, true]);
    expect(await cache().getQueueLength('dup')).toBe(2);

    // A claimed order is not queued again either; once acked, its id may be pushed anew.
    const claim = await cache().claimOpenOrder('dup', { timeoutMs: 0 });
    expect(claim?.orderId).toBe('1');
    expect((await cache().pushOpenOrder('dup', order(1))).queued).toBe(false);
    await claim?.ack();
    expect(await cache().pushOpenOrder('dup', order(1))).toEqual({ length: 2, queued: true });
  });

  it('a claim waits for an order pushed later, and ack removes it for good', async () => {
    const pending = cache().claimOpenOrder('c', { timeoutMs: 10_000, visibilityMs: 60_000 });
    await untilBlocked(conn(), queueKeys(conn(), 'c').signal);
    await cache().pushOpenOrder('c', order('c1'));
    const claim = await pending;
    expect(claim?.order).toEqual(order('c1'));
    expect(claim?.attempts).toBe(1);
    expect(await cache().getQueueLength('c')).toBe(0);
    await claim?.ack();
    expect(await cache().recoverStalled('c')).toEqual({ requeued: 0, deadLettered: 0 });
    expect(await cache().claimOpenOrder('c', { timeoutMs: 0 })).toBeNull();
    const keys = queueKeys(conn(), 'c');
    expect(await conn().send(keys.jobs, ['HLEN', keys.jobs])).toBe(0);
    expect(await conn().send(keys.meta, ['HLEN', keys.meta])).toBe(0);
    // Acking twice: the claim is no longer held.
    expect(await rejection(claim?.ack() ?? Promise.resolve())).toBeInstanceOf(LockError);
  });

  it('counts claims in progress: a claim adds one, ack and release take it away', async () => {
    const orders = cache();
    for (const id of ['c-1', 'c-2', 'c-3']) await orders.pushOpenOrder('counted', order(id));
    expect(await orders.getClaimedCount('counted')).toBe(0);
    const first = await orders.claimOpenOrder('counted', { timeoutMs: 0 });
    const second = await orders.claimOpenOrder('counted', { timeoutMs: 0 });
    expect(await orders.getClaimedCount('counted')).toBe(2);
    expect(await orders.getQueueLength('counted')).toBe(1);
    await first?.ack();
    expect(await orders.getClaimedCount('counted')).toBe(1);
    await second?.release();
    expect(await orders.getClaimedCount('counted')).toBe(0);
    expect(await orders.getQueueLength('counted')).toBe(2);
    expect(await orders.getClaimedCount('never-used')).toBe(0);
    expect(await rejection(orders.getClaimedCount(''))).toMatchObject({ field: 'queue' });
  });

  it('a consumer that claims and dies loses nothing: the order is claimed again after visibilityMs', async () => {
    await cache().pushOpenOrder('crash', order('c-1'));
    await cache().pushOpenOrder('crash', order('c-2'));
    const doomed = await testConnection({ prefix: conn().config.prefix });
    const first = await new OrdersCache(doomed).claimOpenOrder('crash', {
      timeoutMs: 0,
      visibilityMs: 300,
    });
    expect(first?.orderId).toBe('c-1');
    await doomed.close(); // the consumer is gone, without ack or release

    const survivor = cache();
    const second = await survivor.claimOpenOrder('crash', { timeoutMs: 0, visibilityMs: 60_000 });
    expect(second?.orderId).toBe('c-2');
    // c-1 comes back at the head of the queue once its lease expires (the wait sweeps it).
    const again = await survivor.claimOpenOrder('crash', { timeoutMs: 5_000 });
    expect(again?.orderId).toBe('c-1');
    expect(again?.attempts).toBe(2);
    expect(again?.order).toEqual(order('c-1'));
    await again?.ack();
    await second?.ack();
    expect(await survivor.getQueueLength('crash')).toBe(0);
  });

  it('recoverStalled puts expired claims back at the head, earliest first', async () => {
    for (const id of ['r1', 'r2', 'r3']) await cache().pushOpenOrder('rec', order(id));
    // Leases long enough that a busy machine cannot let one expire before the first check.
    const a = await cache().claimOpenOrder('rec', { timeoutMs: 0, visibilityMs: 1_000 });
    const b = await cache().claimOpenOrder('rec', { timeoutMs: 0, visibilityMs: 1_100 });
    expect([a?.orderId, b?.orderId]).toEqual(['r1', 'r2']);
    expect(await cache().recoverStalled('rec')).toEqual({ requeued: 0, deadLettered: 0 });
    await sleep(1_200);
    expect(await cache().recoverStalled('rec')).toEqual({ requeued: 2, deadLettered: 0 });
    expect(await cache().getQueueLength('rec')).toBe(3);
    const order1 = await cache().popOpenOrder('rec', { timeoutMs: 0 });
    const order2 = await cache().popOpenOrder('rec', { timeoutMs: 0 });
    const order3 = await cache().popOpenOrder('rec', { timeoutMs: 0 });
    expect([order1?.orderId, order2?.orderId, order3?.orderId]).toEqual(['r1', 'r2', 'r3']);
  });

  it('a stale ack after re-delivery fails with LockError and does not remove the new claim', async () => {
    await cache().pushOpenOrder('stale', order('s1'));
    const old = await cache().claimOpenOrder('stale', { timeoutMs: 0, visibilityMs: 100 });
    const fresh = await cache().claimOpenOrder('stale', { timeoutMs: 5_000, visibilityMs: 60_000 });
    expect(fresh?.orderId).toBe('s1');
    expect(fresh?.token).not.toBe(old?.token);
    const error = await rejection(old?.ack() ?? Promise.resolve());
    expect(error).toBeInstanceOf(LockError);
    expect(await rejection(old?.release() ?? Promise.resolve())).toBeInstanceOf(LockError);
    const keys = queueKeys(conn(), 'stale');
    expect(await conn().send(keys.leases, ['ZCARD', keys.leases])).toBe(1);
    expect(await conn().send(keys.jobs, ['HEXISTS', keys.jobs, 's1'])).toBe(1);
    await fresh?.ack();
    expect(await conn().send(keys.jobs, ['HEXISTS', keys.jobs, 's1'])).toBe(0);
  });

  it('release puts the order back at the head; after maxAttempts it is a dead letter with its reason; replay puts it back at the tail', async () => {
    const orders = new OrdersCache(conn(), { maxAttempts: 3 });
    await orders.pushOpenOrder('dl', order('bad'));
    const c1 = await orders.claimOpenOrder('dl', { timeoutMs: 0 });
    expect(await c1?.release('exchange down')).toBe('requeued');
    const c2 = await orders.claimOpenOrder('dl', { timeoutMs: 0, visibilityMs: 50 });
    expect([c2?.orderId, c2?.attempts]).toEqual(['bad', 2]);
    // c2's lease expires; the next claim sweeps it back and takes it (attempt 3)
    const c3 = await orders.claimOpenOrder('dl', { timeoutMs: 5_000 });
    expect([c3?.orderId, c3?.attempts]).toEqual(['bad', 3]);
    expect(await c3?.release('insufficient margin')).toBe('dead-lettered');
    expect(await orders.getQueueLength('dl')).toBe(0);
    await orders.pushOpenOrder('dl', order('good'));

    const before = Date.now();
    const letters = await orders.getDeadLetters('dl');
    expect(letters).toHaveLength(1);
    expect(letters[0]?.order).toEqual(order('bad'));
    expect(letters[0]?.reason).toBe('insufficient margin');
    expect(letters[0]?.attempts).toBe(3);
    expect(letters[0]?.at).toBeLessThanOrEqual(before + 1_000);

    expect(await orders.replayDeadLetter('dl', 'bad')).toBe(true);
    expect(await orders.replayDeadLetter('dl', 'bad')).toBe(false);
    expect(await orders.getDeadLetters('dl')).toEqual([]);
    const next = await orders.popOpenOrder('dl', { timeoutMs: 0 });
    expect(next?.orderId).toBe('good');
    const replayed = await orders.claimOpenOrder('dl', { timeoutMs: 0 });
    expect([replayed?.orderId, replayed?.attempts]).toEqual(['bad', 1]);
  });

  it('an order whose last lease expires is dead-lettered by the sweep, with the reason', async () => {
    const orders = new OrdersCache(conn(), { maxAttempts: 2 });
    await orders.pushOpenOrder('exp', order('e1'));
    await orders.claimOpenOrder('exp', { timeoutMs: 0, visibilityMs: 30 });
    const second = await orders.claimOpenOrder('exp', { timeoutMs: 2_000, visibilityMs: 30 });
    expect(second?.attempts).toBe(2);
    await sleep(60);
    expect(await orders.claimOpenOrder('exp', { timeoutMs: 0 })).toBeNull();
    const [letter] = await orders.getDeadLetters('exp');
    expect(letter?.attempts).toBe(2);
    expect(letter?.reason).toMatch(/lease expired/);
    // Replaying is refused while the same id is queued again; the dead letter stays.
    await orders.pushOpenOrder('exp', order('e1'));
    expect(await orders.replayDeadLetter('exp', 'e1')).toBe(false);
    expect(await orders.getDeadLetters('exp')).toHaveLength(1);
  });

  it('keeps at most maxDeadLetters dead letters, dropping the oldest', async () => {
    const orders = new OrdersCache(conn(), { maxAttempts: 1, maxDeadLetters: 2 });
    for (const id of ['d1', 'd2', 'd3']) {
      await orders.pushOpenOrder('cap', order(id));
      const claim = await orders.claimOpenOrder('cap', { timeoutMs: 0 });
      expect(await claim?.release()).toBe('dead-lettered');
    }
    const letters = await orders.getDeadLetters('cap');
    expect(letters.map((l) => l.order.orderId)).toEqual(['d2', 'd3']);
    expect(letters.map((l) => l.reason)).toEqual(['released', 'released']);
  });

  it('rejects bad input with a ValidationError naming the field, and writes nothing', async () => {
    const before = await queueSnapshot(conn(), 'v');
    const cases: [Promise<unknown>, string][] = [
      [cache().pushOpenOrder('', order(1)), 'queue'],
      [cache().pushOpenOrder('v', { ...order(1), volume: -1 }), 'volume'],
      [cache().pushOpenOrder('v', { ...order(1), side: 'long' as 'buy' }), 'side'],
      [cache().pushOpenOrder('v', { symbol: 'X', side: 'buy', volume: 1 }), 'orderId'],
      [cache().pushOpenOrder('v', { ...order(1), timestamp: 1_700_000_000 }), 'timestamp'],
      [cache().pushOpenOrder('v', { ...order(1), price: Number.NaN }), 'price'],
      [cache().popOpenOrder('v', { timeoutMs: -1 }), 'timeoutMs'],
      [cache().popOpenOrder('v', {} as { timeoutMs: number }), 'timeoutMs'],
      [cache().claimOpenOrder('v', { timeoutMs: 0, visibilityMs: 0 }), 'visibilityMs'],
      [cache().replayDeadLetter('v', -1), 'orderId'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
      expect((error as ValidationError).message).toContain(field);
    }
    expect(await queueSnapshot(conn(), 'v')).toBe(before);
    expect(() => new OrdersCache(conn(), { maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => new OrdersCache(conn(), { ttlMs: 1.5 })).toThrow(/ttlMs/);
  });

  it('a corrupt queued order is reported and dead-lettered; the pop or claim takes the next one', async () => {
    const keys = queueKeys(conn(), 'bad');
    await cache().pushOpenOrder('bad', order('p'));
    await cache().pushOpenOrder('bad', order('p2'));
    await conn().send(keys.jobs, ['HSET', keys.jobs, 'p', Buffer.from([0xc1])]);
    expect((await cache().popOpenOrder('bad', { timeoutMs: 0 }))?.orderId).toBe('p2');
    expect(corrupt.map((e) => e.key)).toEqual([keys.jobs]);

    await cache().pushOpenOrder('bad', order('q'));
    await cache().pushOpenOrder('bad', order('q2'));
    // A valid order under another order's id is corrupt too.
    await conn().send(keys.jobs, [
      'HSET',
      keys.jobs,
      'q',
      Buffer.from(msgpackCodec.encode([1, 'other', ...Array(19).fill(null)])),
    ]);
    const claim = await cache().claimOpenOrder('bad', { timeoutMs: 0 });
    expect(claim?.orderId).toBe('q2');
    expect(claim?.attempts).toBe(1);
    await claim?.ack();
    expect(corrupt.map((e) => e.key)).toEqual([keys.jobs, keys.jobs]);
    expect(await cache().getQueueLength('bad')).toBe(0);
    expect(await cache().popOpenOrder('bad', { timeoutMs: 0 })).toBeNull();
    // Neither is lost: both wait in the dead letters, with why.
    const dead = await conn().send<string[]>(keys.deadIndex, ['ZRANGE', keys.deadIndex, '0', '-1']);
    expect(dead.sort()).toEqual(['p', 'q']);
    const reasons = await conn().send<string[]>(keys.dead, ['HMGET', keys.dead, 'r:p', 'r:q']);
    for (const reason of reasons) expect(reason).toMatch(/^corrupt: /);
    // The dead letters themselves are corrupt: the listing skips them and reports them.
    corrupt.length = 0;
    expect(await cache().getDeadLetters('bad')).toEqual([]);
    expect(corrupt.map((e) => e.key)).toEqual([keys.dead, keys.dead]);
  });

  it('a dead letter whose time is not epoch ms is skipped and reported, not listed as a time (R3 #10)', async () => {
    const keys = queueKeys(conn(), 'times');
    const orders = new OrdersCache(conn(), { maxAttempts: 1 });
    for (const id of ['a', 'b', 'c']) {
      await orders.pushOpenOrder('times', order(id));
      await (await orders.claimOpenOrder('times', { timeoutMs: 0 }))?.release();
    }
    await conn().send(keys.dead, ['HSET', keys.dead, 't:a', '1', 't:b', '1700000000']);
    const letters = await orders.getDeadLetters('times');
    expect(letters.map((l) => l.order.orderId)).toEqual(['c']);
    expect(corrupt.map((e) => [e.key, e.field])).toEqual([
      [keys.dead, 't:a'],
      [keys.dead, 't:b'],
    ]);
  });

  /** Redis checks blocked clients' timeouts on its cron (10 times a second): a wait must not. */
  const OVERSHOOT_MS = 45;

  it('a 5 ms pop or claim on an empty queue settles by its deadline plus a margin (defect 16)', async () => {
    const orders = cache();
    // The first calls open the pooled connection; the bound is on the wait, not on connecting.
    expect(await orders.popOpenOrder('short', { timeoutMs: 5 })).toBeNull();
    expect(await orders.claimOpenOrder('short', { timeoutMs: 5 })).toBeNull();
    const pops = await medianDurationMs(async () => {
      expect(await orders.popOpenOrder('short', { timeoutMs: 5 })).toBeNull();
    });
    expect(pops).toBeLessThan(5 + OVERSHOOT_MS);
    const claims = await medianDurationMs(async () => {
      expect(await orders.claimOpenOrder('short', { timeoutMs: 5 })).toBeNull();
    });
    expect(claims).toBeLessThan(5 + OVERSHOOT_MS);
  });
});
