import { DecodeError } from '@fullon/core';
import { rejection, snapshotKeyspace, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { OrderKeys, type QueueKeys, type StateKeys } from './keys.js';
import { OrdersCache } from './orders-cache.js';
import { pruneOrdersScript } from './scripts/prune-orders.js';
import { order } from './test-helpers.js';
import type { OrderClaim } from './types.js';

// Every orders script checks the Redis type of every key it touches before its first write: a
// key of another type fails the call with a DecodeError naming it, and no key changes.

type QueueKey = Exclude<keyof QueueKeys, 'all'>;
type StateKey = keyof StateKeys | 'order';

/** The keys each queue script touches. */
const TAKE_KEYS: QueueKey[] = ['pending', 'jobs', 'leases', 'meta', 'signal', 'dead', 'deadIndex'];
const QUEUE_CASES: { method: string; keys: QueueKey[] }[] = [
  { method: 'pushOpenOrder', keys: ['pending', 'jobs', 'signal'] },
  { method: 'popOpenOrder', keys: TAKE_KEYS },
  { method: 'claimOpenOrder', keys: TAKE_KEYS },
  { method: 'recoverStalled', keys: TAKE_KEYS },
  { method: 'ack', keys: TAKE_KEYS },
  { method: 'release', keys: TAKE_KEYS },
  { method: 'replayDeadLetter', keys: ['pending', 'jobs', 'signal', 'dead', 'deadIndex'] },
];
const STATE_KEYS: StateKey[] = ['index', 'byStatus', 'expiry', 'order'];
const STATE_CASES: { method: string; keys: StateKey[] }[] = [
  { method: 'saveOrder', keys: STATE_KEYS },
  { method: 'updateOrder', keys: STATE_KEYS },
  { method: 'setOrderStatus', keys: STATE_KEYS },
  { method: 'deleteOrder', keys: STATE_KEYS },
  { method: 'prune', keys: ['index', 'byStatus', 'expiry'] },
];

describe('OrdersCache scripts on a key of the wrong Redis type', () => {
  const conn = useTestConnection();
  // maxAttempts 1: a released claim goes to the dead letters, so every queue key can exist.
  const cache = () => new OrdersCache(conn(), { maxAttempts: 1 });

  /** Puts a value of another type than `key` has (a list for a string key, else a string). */
  async function spoil(key: string, isString: boolean): Promise<void> {
    await conn().send(key, ['DEL', key]);
    await conn().send(key, isString ? ['RPUSH', key, 'garbage'] : ['SET', key, 'garbage']);
  }

  /** A queue with every key present: a dead letter `d`, a claim of `a`, `b` waiting. */
  async function busyQueue(queue: string): Promise<OrderClaim> {
    const c = cache();
    await c.pushOpenOrder(queue, order('d'));
    const dead = await c.claimOpenOrder(queue, { timeoutMs: 0 });
    expect(await dead?.release('test')).toBe('dead-lettered');
    await c.pushOpenOrder(queue, order('a'));
    await c.pushOpenOrder(queue, order('b'));
    const claim = await c.claimOpenOrder(queue, { timeoutMs: 0 });
    if (claim === null) throw new DecodeError(queue, undefined, 'setup: nothing claimed');
    return claim;
  }

  for (const { method, keys } of QUEUE_CASES) {
    for (const which of keys) {
      it(`${method} with orders-${which} of the wrong type: DecodeError naming it, nothing written`, async () => {
        const queue = `wt-${method}-${which}`;
        const claim = await busyQueue(queue);
        const key = new OrderKeys(conn().keys).queue(queue)[which];
        await spoil(key, false);
        const before = await snapshotKeyspace(conn());
        const c = cache();
        const calls: Record<string, () => Promise<unknown>> = {
          pushOpenOrder: () => c.pushOpenOrder(queue, order('e')),
          popOpenOrder: () => c.popOpenOrder(queue, { timeoutMs: 0 }),
          claimOpenOrder: () => c.claimOpenOrder(queue, { timeoutMs: 0 }),
          recoverStalled: () => c.recoverStalled(queue),
          ack: () => claim.ack(),
          release: () => claim.release('why'),
          replayDeadLetter: () => c.replayDeadLetter(queue, 'd'),
        };
        const call = calls[method];
        if (call === undefined) throw new DecodeError(queue, undefined, `no call ${method}`);
        const error = await rejection(call());
        expect(DecodeError.is(error), String(error)).toBe(true);
        expect((error as DecodeError).key).toBe(key);
        expect(await snapshotKeyspace(conn())).toEqual(before);
      });
    }
  }

  for (const { method, keys } of STATE_CASES) {
    for (const which of keys) {
      it(`${method} with ${which === 'order' ? 'the order key' : `order-${which}`} of the wrong type: DecodeError naming it, nothing written`, async () => {
        const exchange = `wt-${method}-${which}`;
        const c = cache();
        await c.saveOrder(exchange, order(1, { status: 'open' }));
        await c.saveOrder(exchange, order(2, { status: 'filled' }));
        const orderKeys = new OrderKeys(conn().keys);
        const state = orderKeys.state(exchange);
        const key = which === 'order' ? orderKeys.order(exchange, '1') : state[which];
        await spoil(key, which === 'order');
        const before = await snapshotKeyspace(conn());
        const calls: Record<string, () => Promise<unknown>> = {
          saveOrder: () => c.saveOrder(exchange, order(1, { status: 'canceled' })),
          updateOrder: () => c.updateOrder(exchange, { orderId: 1, price: 11 }),
          setOrderStatus: () => c.setOrderStatus(exchange, 1, 'filled'),
          deleteOrder: () => c.deleteOrder(exchange, 1),
          prune: () => pruneOrdersScript(conn(), state),
        };
        const call = calls[method];
        if (call === undefined) throw new DecodeError(exchange, undefined, `no call ${method}`);
        const error = await rejection(call());
        expect(DecodeError.is(error), String(error)).toBe(true);
        expect((error as DecodeError).key).toBe(key);
        expect(await snapshotKeyspace(conn())).toEqual(before);
      });
    }
  }

  it('claimOpenOrder and release with a stored claim count that is not a whole number: DecodeError naming the meta key, nothing written', async () => {
    const queue = 'wt-attempts';
    const claim = await busyQueue(queue);
    const keys = new OrderKeys(conn().keys).queue(queue);
    await conn().send(keys.meta, ['HSET', keys.meta, 'a:a', 'garbage', 'a:b', 'x1']);
    const before = await snapshotKeyspace(conn());
    for (const call of [
      () => cache().claimOpenOrder(queue, { timeoutMs: 0 }),
      () => claim.release('why'),
    ]) {
      const error = await rejection(call());
      expect(DecodeError.is(error), String(error)).toBe(true);
      expect((error as DecodeError).key).toBe(keys.meta);
      expect(await snapshotKeyspace(conn())).toEqual(before);
    }
  });
  it('claimOpenOrder with a stale id (no order) ahead of an order whose claim count is garbage: DecodeError naming the meta key, the stale id not dropped first', async () => {
    const queue = 'wt-stale';
    const c = cache();
    await c.pushOpenOrder(queue, order('gone'));
    await c.pushOpenOrder(queue, order('next'));
    const keys = new OrderKeys(conn().keys).queue(queue);
    await conn().send(keys.jobs, ['HDEL', keys.jobs, 'gone']);
    await conn().send(keys.meta, ['HSET', keys.meta, 'a:gone', '1', 'a:next', 'garbage']);
    const before = await snapshotKeyspace(conn());
    const error = await rejection(c.claimOpenOrder(queue, { timeoutMs: 0 }));
    expect(DecodeError.is(error), String(error)).toBe(true);
    expect((error as DecodeError).key).toBe(keys.meta);
    expect(await snapshotKeyspace(conn())).toEqual(before);
  });
});
