import { type DecodeError, jsonCodec, msgpackCodec, ValidationError } from '@fullon/core';
import { rejection, sleep, testConnection, useTestConnection } from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { OrderKeys } from './keys.js';
import { OrdersCache } from './orders-cache.js';
import type { Order } from './schema.js';
import { order } from './test-helpers.js';

describe('OrdersCache order state', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const cache = () => new OrdersCache(conn());
  const keys = () => new OrderKeys(conn().keys);

  beforeEach(async () => {
    corrupt.length = 0;
    await conn().clear();
  });

  it('saves (replacing), reads, lists and deletes orders per exchange', async () => {
    const orders = cache();
    const placed = order(1, { status: 'open', price: 64_000, timestamp: 1_700_000_000_000 });
    expect(await orders.saveOrder('binance', placed)).toBe(false);
    expect(await orders.getOrder('binance', 1)).toEqual({ ...placed, exchange: 'binance' });
    expect(await orders.getOrder('binance', '1')).toEqual({ ...placed, exchange: 'binance' });
    expect(await orders.getOrder('kraken', 1)).toBeNull();
    // Replace: fields not given are gone, the order's own timestamp is kept.
    expect(await orders.saveOrder('binance', order(1, { status: 'open' }))).toBe(true);
    expect(await orders.getOrder('binance', 1)).toEqual(
      order(1, { status: 'open', exchange: 'binance' }),
    );
    await orders.saveOrder('binance', {
      exOrderId: 'EX-9',
      symbol: 'ETH/USDT',
      side: 'sell',
      volume: 2,
    });
    expect((await orders.getOrder('binance', 'EX-9'))?.symbol).toBe('ETH/USDT');
    const listed = await orders.getOrders('binance');
    expect(listed.map((o) => o.orderId ?? o.exOrderId).sort()).toEqual([1, 'EX-9']);
    expect(await orders.getOrderStatus('binance', 1)).toBe('open');
    expect(await orders.getOrderStatus('binance', 'EX-9')).toBeNull();
    expect(await orders.getOrderStatus('binance', 'none')).toBeNull();
    expect(await orders.deleteOrder('binance', 1)).toBe(true);
    expect(await orders.deleteOrder('binance', 1)).toBe(false);
    expect(await orders.getOrders('binance')).toHaveLength(1);
    expect(await orders.getOrders('nowhere')).toEqual([]);
  });

  it('lists by status through the index, following status changes', async () => {
    const orders = cache();
    for (let i = 0; i < 6; i++) {
      await orders.saveOrder(
        'bybit',
        order(i, { status: i % 2 === 0 ? 'open' : 'partially_filled' }),
      );
    }
    // Statuses that share a prefix do not mix.
    await orders.saveOrder('bybit', order(10, { status: 'open:x' }));
    await orders.saveOrder('bybit', order(11, { status: 'ope' }));
    const open = async () =>
      (await orders.getOrders('bybit', { status: 'open' })).map((o) => o.orderId);
    expect((await open()).sort()).toEqual([0, 2, 4]);
    expect(await orders.setOrderStatus('bybit', 2, 'partially_filled')).toBe(true);
    expect((await open()).sort()).toEqual([0, 4]);
    expect(
      (await orders.getOrders('bybit', { status: 'partially_filled' }))
        .map((o) => o.orderId)
        .sort(),
    ).toEqual([1, 2, 3, 5]);
    expect(await orders.setOrderStatus('bybit', 99, 'open')).toBe(false);
    expect(await orders.getOrder('bybit', 99)).toBeNull();
    await orders.updateOrder('bybit', { orderId: 4, status: 'closed' });
    expect((await open()).sort()).toEqual([0]);
    await orders.deleteOrder('bybit', 0);
    expect(await open()).toEqual([]);
    expect(await orders.getOrders('bybit', { status: 'unknown' })).toEqual([]);
  });

  it('updateOrder merges only the given fields, and creates a whole order when absent', async () => {
    const orders = cache();
    await orders.saveOrder('okx', order('m1', { price: 100, status: 'open', reason: 'grid' }));
    const merged = await orders.updateOrder('okx', {
      orderId: 'm1',
      finalVolume: 0.25,
      price: 101.5,
    });
    expect(merged).toEqual(
      order('m1', {
        exchange: 'okx',
        price: 101.5,
        finalVolume: 0.25,
        status: 'open',
        reason: 'grid',
      }),
    );
    expect(await orders.getOrder('okx', 'm1')).toEqual(merged);
    const created = await orders.updateOrder('okx', order('m2', { status: 'open' }));
    expect(created).toEqual(order('m2', { status: 'open', exchange: 'okx' }));

    const error = await rejection(orders.updateOrder('okx', { orderId: 'm3', price: 1 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(/symbol/);
    expect(await orders.getOrder('okx', 'm3')).toBeNull();
    expect(await orders.getOrders('okx')).toHaveLength(2);
  });

  it('20 concurrent updateOrder calls each setting a different field end with all 20 set', async () => {
    const orders = cache();
    await orders.saveOrder('binance', {
      orderId: 'race',
      symbol: 'BTC/USDT',
      side: 'buy',
      volume: 1,
    });
    await using other = await testConnection({ prefix: conn().config.prefix });
    const second = new OrdersCache(other);
    const now = Date.now();
    const patches: Partial<Order>[] = [
      { exOrderId: 'EX-1' },
      { exchange: 'binance' },
      { symbol: 'BTC/USDC' },
      { side: 'sell' },
      { status: 'open' },
      { volume: 2 },
      { price: 64_000 },
      { finalVolume: 1.5 },
      { plimit: 63_000 },
      { tick: 0.01 },
      { orderType: 'limit' },
      { futures: true },
      { leverage: 5 },
      { exId: 3 },
      { botId: 'bot-7' },
      { userId: 11 },
      { command: 'open long' },
      { reason: 'signal' },
      { timestamp: now },
      { orderId: 'race' },
    ];
    expect(patches).toHaveLength(20);
    await Promise.all(
      patches.map((patch, i) =>
        (i % 2 === 0 ? orders : second).updateOrder('binance', { orderId: 'race', ...patch }),
      ),
    );
    expect(await orders.getOrder('binance', 'race')).toEqual({
      orderId: 'race',
      exOrderId: 'EX-1',
      exchange: 'binance',
      symbol: 'BTC/USDC',
      side: 'sell',
      status: 'open',
      volume: 2,
      price: 64_000,
      finalVolume: 1.5,
      plimit: 63_000,
      tick: 0.01,
      orderType: 'limit',
      futures: true,
      leverage: 5,
      exId: 3,
      botId: 'bot-7',
      userId: 11,
      command: 'open long',
      reason: 'signal',
      timestamp: now,
    });
  });

  it('a canceled order expires alone while open orders of the same exchange stay', async () => {
    const orders = new OrdersCache(conn(), { ttlMs: 300 });
    await orders.saveOrder('kraken', order('open-1', { status: 'open' }));
    await orders.saveOrder('kraken', order('open-2'));
    await orders.saveOrder('kraken', order('gone-1', { status: 'canceled' }));
    await orders.saveOrder('kraken', order('live', { status: 'open' }));
    expect(await orders.setOrderStatus('kraken', 'live', 'FILLED')).toBe(true);
    await orders.updateOrder('kraken', {
      orderId: 'back',
      symbol: 'X',
      side: 'buy',
      volume: 1,
      status: 'cancelled',
    });
    // Reopened before its retention passed: it stays.
    await orders.updateOrder('kraken', { orderId: 'back', status: 'open' });
    const key = keys().order('kraken', 'gone-1');
    const ttl = await conn().send<number>(key, ['PTTL', key]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    const openKey = keys().order('kraken', 'open-1');
    expect(await conn().send(openKey, ['PTTL', openKey])).toBe(-1);

    await sleep(400);
    expect(await orders.getOrder('kraken', 'gone-1')).toBeNull();
    expect(await orders.getOrder('kraken', 'live')).toBeNull();
    const left = await orders.getOrders('kraken');
    expect(left.map((o) => o.orderId).sort()).toEqual(['back', 'open-1', 'open-2']);
    expect(await orders.getOrders('kraken', { status: 'canceled' })).toEqual([]);
    // The listing that met expired orders pruned them from the index.
    const state = keys().state('kraken');
    expect(await conn().send(state.index, ['HLEN', state.index])).toBe(3);
    expect(await conn().send(state.expiry, ['ZCARD', state.expiry])).toBe(0);
    expect(await conn().send(state.byStatus, ['ZCARD', state.byStatus])).toBe(3);
  });

  it('rejects bad input with a ValidationError naming the field, and writes nothing', async () => {
    const orders = cache();
    await orders.saveOrder('v', order('keep', { status: 'open' }));
    const snapshot = async () => {
      const state = keys().state('v');
      const key = keys().order('v', 'keep');
      return JSON.stringify([
        await conn().send(state.index, ['HGETALL', state.index]),
        await conn().send(state.byStatus, ['ZRANGE', state.byStatus, '0', '-1']),
        await conn().send(state.expiry, ['ZRANGE', state.expiry, '0', '-1']),
        (await conn().send<Buffer>(key, ['GET', key], { buffers: true })).toString('hex'),
      ]);
    };
    const before = await snapshot();
    const cases: [Promise<unknown>, string][] = [
      [orders.saveOrder('', order(1)), 'exchange'],
      [orders.saveOrder('v', { ...order(1), volume: Number.POSITIVE_INFINITY }), 'volume'],
      [orders.saveOrder('v', { ...order(1), exchange: 'other' }), 'exchange'],
      [orders.saveOrder('v', { symbol: 'X', side: 'buy', volume: 1 }), 'orderId'],
      [orders.updateOrder('v', { orderId: 'keep', price: -1 }), 'price'],
      [orders.updateOrder('v', { price: 1 }), 'orderId'],
      [orders.updateOrder('v', { orderId: 'keep', timestamp: 1_700_000_000 }), 'timestamp'],
      [orders.setOrderStatus('v', 'keep', ''), 'status'],
      [orders.setOrderStatus('v', 1.5, 'open'), 'orderId'],
      [orders.getOrder('v', ''), 'orderId'],
      [orders.getOrders('v', { status: '' }), 'status'],
      [orders.deleteOrder('\ud800', 'keep'), 'exchange'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field, field).toBe(field);
    }
    expect(await snapshot()).toBe(before);
  });

  it('a corrupt stored order: single reads throw DecodeError, merges write nothing, listings skip and report it', async () => {
    const orders = cache();
    await orders.saveOrder('c', order('ok', { status: 'open' }));
    await orders.saveOrder('c', order('bad', { status: 'open' }));
    await orders.saveOrder('c', order('foreign', { status: 'open' }));
    const bad = keys().order('c', 'bad');
    await conn().send(bad, ['SET', bad, Buffer.from('not msgpack')]);
    const foreign = keys().order('c', 'foreign');
    const other = await conn().send<Buffer>(
      keys().order('c', 'ok'),
      ['GET', keys().order('c', 'ok')],
      {
        buffers: true,
      },
    );
    await conn().send(foreign, ['SET', foreign, other]);

    for (const id of ['bad', 'foreign']) {
      const error = await rejection(orders.getOrder('c', id));
      expect((error as DecodeError).name, id).toBe('DecodeError');
      expect((error as DecodeError).key).toBe(keys().order('c', id));
      expect(((await rejection(orders.getOrderStatus('c', id))) as DecodeError).name).toBe(
        'DecodeError',
      );
    }
    const mergeError = await rejection(orders.updateOrder('c', { orderId: 'bad', price: 1 }));
    expect((mergeError as DecodeError).name).toBe('DecodeError');
    expect(
      ((await rejection(orders.setOrderStatus('c', 'bad', 'filled'))) as DecodeError).name,
    ).toBe('DecodeError');
    expect((await conn().send<Buffer>(bad, ['GET', bad], { buffers: true })).toString()).toBe(
      'not msgpack',
    );
    expect(await conn().send(bad, ['PTTL', bad])).toBe(-1);

    const listed = await orders.getOrders('c');
    expect(listed.map((o) => o.orderId)).toEqual(['ok']);
    expect(corrupt.map((e) => e.key).sort()).toEqual([bad, foreign].sort());
    expect((await orders.getOrders('c', { status: 'open' })).map((o) => o.orderId)).toEqual(['ok']);
  });

  it('merges values written by the JSON codec too', async () => {
    await using json = await testConnection({ prefix: conn().config.prefix, codec: jsonCodec });
    const orders = new OrdersCache(json);
    await orders.saveOrder(
      'j',
      order('j1', { price: 0.1, reason: 'a/b "quoted"', futures: false }),
    );
    const merged = await orders.updateOrder('j', { orderId: 'j1', status: 'open', leverage: 2.5 });
    expect(merged).toEqual(
      order('j1', {
        exchange: 'j',
        price: 0.1,
        reason: 'a/b "quoted"',
        futures: false,
        status: 'open',
        leverage: 2.5,
      }),
    );
    expect(await orders.getOrders('j', { status: 'open' })).toEqual([merged]);
    expect(msgpackCodec.name).toBe('msgpack');
  });
});
