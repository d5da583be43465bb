import { randomUUID } from 'node:crypto';
import { isEpochMs } from '@fullon/core/author';
import type { FieldKind, ParamSpec } from '@fullon/core/testing';
import { defineConformance } from '@fullon/core/testing';
import { expect } from 'vitest';
import { OrdersCache } from './orders-cache.js';
import type { Order } from './schema.js';

const T0 = 1_700_000_000_000;
const QUEUE = 'binance';
const EXCHANGE = 'binance';
/** Long enough that a claim taken by an abandoned call is not re-delivered during the kit's waits. */
const VISIBILITY_MS = 30_000;

/**
 * Every field of an order with its kind. `side` is a picklist (`'buy' | 'sell'`): the kit has
 * no such kind, and every hostile value of `name` (non-strings, empty, huge, control
 * characters, lone surrogates) is also not a side, so `name` attacks it honestly.
 */
const ORDER_FIELDS: Readonly<Record<string, FieldKind>> = {
  orderId: 'id',
  exOrderId: 'name',
  exchange: 'name',
  symbol: 'name',
  side: 'name',
  status: 'name',
  volume: 'nonNegative',
  price: 'nonNegative',
  finalVolume: 'nonNegative',
  plimit: 'nonNegative',
  tick: 'nonNegative',
  orderType: 'name',
  futures: 'boolean',
  leverage: 'number',
  exId: 'id',
  botId: 'id',
  userId: 'id',
  command: 'text',
  reason: 'text',
  timestamp: 'epochMs',
};

const queue: ParamSpec = { name: 'queue', kind: 'name' };
const exchange: ParamSpec = { name: 'exchange', kind: 'name' };
const orderId: ParamSpec = { name: 'orderId', kind: 'id' };
const popOptions: ParamSpec = { name: 'options', kind: 'options', fields: { timeoutMs: 'waitMs' } };
const claimOptions: ParamSpec = {
  name: 'options',
  kind: 'options',
  fields: { timeoutMs: 'waitMs', visibilityMs: 'ttlMs' },
};

/** A whole valid order with every field set. */
function order(id: string | number, extra: Partial<Order> = {}): Order {
  return {
    orderId: id,
    exOrderId: `EX-${id}`,
    exchange: EXCHANGE,
    symbol: 'BTC/USDT',
    side: 'buy',
    status: 'open',
    volume: 0.5,
    price: 100,
    finalVolume: 0,
    plimit: 101,
    tick: 0.01,
    orderType: 'limit',
    futures: false,
    leverage: 1,
    exId: 1,
    botId: 2,
    userId: 3,
    command: 'place',
    reason: 'signal',
    timestamp: T0,
    ...extra,
  };
}

/**
 * The conformance table of `OrdersCache`.
 *
 * `popOpenOrder` and `claimOpenOrder` are takes. A claim counts as received by the caller once
 * acked: its `invoke` claims, then acks, and returns the order. So the stall check's "the item
 * reaches a later call, once" means: a later claim leased it and acked it, and nothing is left
 * queued or leased. The claim's `visibilityMs` (30 s) outlasts the kit's later wait (8 s), so an
 * order leased by the abandoned call would not come back within the check by lease expiry: the
 * check fails if the abandoned call took it, instead of re-delivery masking it.
 */
export const ordersConformance = defineConformance<OrdersCache>({
  name: 'orders',
  cacheClass: OrdersCache,
  // maxAttempts 1: a released claim is dead-lettered, so the seed makes every queue key exist.
  create: (conn) => new OrdersCache(conn, { maxAttempts: 1 }),
  async seed(cache) {
    // Queue: dead letters `d` and `d2` (two, so the dead-letter families still exist after the
    // kit's clean replay of `d`), a claim of `q1` in progress, `q2` and `q3` waiting.
    for (const id of ['d', 'd2']) {
      await cache.pushOpenOrder(QUEUE, order(id));
      const dead = await cache.claimOpenOrder(QUEUE, { timeoutMs: 0 });
      await dead?.release('seeded');
    }
    for (const id of ['q1', 'q2', 'q3']) await cache.pushOpenOrder(QUEUE, order(id));
    await cache.claimOpenOrder(QUEUE, { timeoutMs: 0, visibilityMs: VISIBILITY_MS });
    // State: two open orders and a filled one (retention: the expiry index).
    await cache.saveOrder(EXCHANGE, order(1));
    await cache.saveOrder(EXCHANGE, order(2));
    await cache.saveOrder(EXCHANGE, order(3, { status: 'filled' }));
  },
  families: {
    'orders-pending': {},
    'orders-jobs': {},
    // Claimed ids by lease deadline: an index of the jobs hash (a foreign member is counted by
    // getClaimedCount and dropped as stale when its lease is recovered).
    'orders-leases': { index: true },
    'orders-meta': {},
    'orders-signal': {},
    'orders-dead': {},
    'orders-dead-index': { index: true },
    order: {},
    'order-index': { index: true },
    'order-by-status': { index: true },
    'order-expiry': { index: true },
  },
  methods: {
    pushOpenOrder: {
      kind: 'write',
      params: [queue, { name: 'order', kind: 'record', fields: ORDER_FIELDS }],
      args: (i) => [QUEUE, order(`p${i}`)],
    },
    popOpenOrder: {
      kind: 'take',
      params: [queue, popOptions],
      args: () => [QUEUE, { timeoutMs: 20 }],
      async pushItem(cache) {
        await cache.pushOpenOrder(QUEUE, order(randomUUID()));
      },
    },
    claimOpenOrder: {
      kind: 'take',
      params: [queue, claimOptions],
      args: () => [QUEUE, { timeoutMs: 20, visibilityMs: VISIBILITY_MS }],
      // Received = acked (see the table's comment); `null` when nothing came.
      async invoke(cache, args) {
        const claim = await cache.claimOpenOrder(
          args[0] as string,
          args[1] as { timeoutMs: number; visibilityMs?: number },
        );
        if (claim === null) return null;
        await claim.ack();
        return claim.order;
      },
      async pushItem(cache) {
        await cache.pushOpenOrder(QUEUE, order(randomUUID()));
      },
    },
    recoverStalled: { kind: 'write', params: [queue], args: () => [QUEUE] },
    getQueueLength: { kind: 'read', params: [queue], args: () => [QUEUE] },
    getClaimedCount: { kind: 'read', params: [queue], args: () => [QUEUE] },
    getDeadLetters: {
      kind: 'listing',
      params: [queue],
      args: () => [QUEUE],
      // `at` is the server's clock when the seed dead-lettered `d`, different on every reseed:
      // compared as "a valid epoch-ms time", everything else as is.
      async invoke(cache, args) {
        const letters = await cache.getDeadLetters(args[0] as string);
        return letters.map((letter) => ({ ...letter, at: isEpochMs(letter.at) }));
      },
    },
    replayDeadLetter: {
      kind: 'write',
      params: [queue, orderId],
      args: (i) => [QUEUE, i === 0 ? 'd' : `none-${i}`],
    },
    saveOrder: {
      kind: 'write',
      params: [exchange, { name: 'order', kind: 'record', fields: ORDER_FIELDS }],
      args: (i) => [EXCHANGE, order(100 + i)],
    },
    updateOrder: {
      kind: 'write',
      params: [exchange, { name: 'patch', kind: 'record', fields: ORDER_FIELDS }],
      // i = 0 merges into seeded order 1; the load check creates one order per call.
      args: (i) => [EXCHANGE, order(i === 0 ? 1 : 100 + i, { price: 11, status: 'partial' })],
    },
    getOrder: { kind: 'read', params: [exchange, orderId], args: () => [EXCHANGE, 1] },
    getOrders: {
      kind: 'listing',
      params: [
        exchange,
        { name: 'options', kind: 'options', optional: true, fields: { status: 'name' } },
      ],
      args: () => [EXCHANGE, { status: 'open' }],
    },
    setOrderStatus: {
      kind: 'write',
      params: [exchange, orderId, { name: 'status', kind: 'name' }],
      args: (i) => [EXCHANGE, i === 0 ? 2 : `none-${i}`, 'canceling'],
    },
    getOrderStatus: { kind: 'read', params: [exchange, orderId], args: () => [EXCHANGE, 1] },
    deleteOrder: {
      kind: 'write',
      params: [exchange, orderId],
      args: (i) => [EXCHANGE, i === 0 ? 2 : 100 + i],
    },
  },
  prototypeNames: {
    async 'queue name and order id'(cache, name) {
      await cache.pushOpenOrder(name, order(name));
      await cache.pushOpenOrder(name, order('other'));
      expect(await cache.getQueueLength(name)).toBe(2);
      expect((await cache.popOpenOrder(name, { timeoutMs: 0 }))?.orderId).toBe(name);
      const claim = await cache.claimOpenOrder(name, { timeoutMs: 0 });
      expect(claim?.orderId).toBe('other');
      expect(await cache.getClaimedCount(name)).toBe(1);
      expect(await claim?.release('x')).toBe('dead-lettered');
      expect((await cache.getDeadLetters(name)).map((d) => d.order.orderId)).toEqual(['other']);
    },
    async 'exchange, status, order id and exOrderId'(cache, name) {
      await cache.saveOrder(name, order(name, { exchange: name, status: name, exOrderId: name }));
      await cache.saveOrder(name, order('b', { exchange: name, status: name }));
      expect(await cache.getOrderStatus(name, name)).toBe(name);
      const listed = await cache.getOrders(name, { status: name });
      expect(listed.map((o) => o.orderId).sort()).toEqual(['b', name].sort());
      expect(await cache.getOrders(name)).toHaveLength(2);
      expect(await cache.setOrderStatus(name, 'b', 'filled')).toBe(true);
      expect(await cache.getOrders(name, { status: name })).toHaveLength(1);
      expect((await cache.updateOrder(name, { orderId: name, price: 7 })).price).toBe(7);
      expect(await cache.deleteOrder(name, name)).toBe(true);
    },
  },
});
