import { type CacheConnection, DecodeError, jsonCodec, msgpackCodec } from '@fullon/core';
import { rejection, snapshotKeyspace, testConnection } from '@fullon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderKeys } from './keys.js';
import { OrdersCache } from './orders-cache.js';
import { order } from './test-helpers.js';

// Writes check the identity of the stored record as reads do: a record stored under another
// order's key (or another exchange's) is corrupt, and updateOrder / setOrderStatus write nothing.

describe.each([
  ['msgpack', msgpackCodec],
  ['json', jsonCodec],
])('OrdersCache writes over a foreign record (%s)', (_name, codec) => {
  let conn: CacheConnection;
  beforeAll(async () => {
    conn = await testConnection({ codec });
  });
  afterAll(async () => {
    await conn.clear();
    await conn.close();
  });

  /** Stores orders 1 and 2, then copies `source`'s bytes onto order 1's key. */
  async function foreignUnder1(exchange: string, source: string): Promise<string> {
    const orders = new OrdersCache(conn);
    const keys = new OrderKeys(conn.keys);
    await orders.saveOrder(exchange, order(1, { status: 'open' }));
    await orders.saveOrder(exchange, order(2, { symbol: 'ETH/USDT', volume: 7, status: 'open' }));
    await orders.saveOrder('other', order(1, { symbol: 'SOL/USDT', status: 'open' }));
    const from = source === 'order 2' ? keys.order(exchange, '2') : keys.order('other', '1');
    const bytes = await conn.send<Buffer>(from, ['GET', from], { buffers: true });
    const target = keys.order(exchange, '1');
    await conn.send(target, ['SET', target, bytes]);
    return target;
  }

  for (const source of ['order 2', "another exchange's order 1"]) {
    it(`${source}'s bytes under order 1's key: getOrder, setOrderStatus and updateOrder reject with DecodeError naming the key, nothing written`, async () => {
      const exchange = `ex-${source.length}`;
      const key = await foreignUnder1(exchange, source);
      const orders = new OrdersCache(conn);
      const before = await snapshotKeyspace(conn);
      for (const call of [
        () => orders.getOrder(exchange, 1),
        () => orders.setOrderStatus(exchange, 1, 'filled'),
        () => orders.updateOrder(exchange, { orderId: 1, price: 11 }),
        () => orders.updateOrder(exchange, { orderId: 1, status: 'canceled' }),
      ]) {
        const error = await rejection(call());
        expect(DecodeError.is(error), String(error)).toBe(true);
        expect((error as DecodeError).key).toBe(key);
        expect(await snapshotKeyspace(conn)).toEqual(before);
      }
    });
  }

  it('a stored order of the right layout and identity whose values break the rules: setOrderStatus and updateOrder reject with DecodeError naming the key, nothing written', async () => {
    const orders = new OrdersCache(conn);
    const exchange = 'ex-rules';
    await orders.saveOrder(exchange, order(1, { status: 'open' }));
    const key = new OrderKeys(conn.keys).order(exchange, '1');
    // [version, orderId, exOrderId, exchange, symbol, side, status, volume, …]: volume -1, side 'up'.
    const tuple = [1, 1, null, exchange, 'BTC/USDT', 'up', 'open', -1, ...Array(13).fill(null)];
    await conn.send(key, ['SET', key, Buffer.from(codec.encode(tuple))]);
    const before = await snapshotKeyspace(conn);
    for (const call of [
      () => orders.setOrderStatus(exchange, 1, 'filled'),
      () => orders.updateOrder(exchange, { orderId: 1, price: 11 }),
      () => orders.updateOrder(exchange, { orderId: 1, side: 'buy', volume: 1 }),
    ]) {
      const error = await rejection(call());
      expect(DecodeError.is(error), String(error)).toBe(true);
      expect((error as DecodeError).key).toBe(key);
      expect(await snapshotKeyspace(conn)).toEqual(before);
    }
  });

  it('an order keyed by exOrderId (no orderId) still merges', async () => {
    const orders = new OrdersCache(conn);
    await orders.saveOrder('ex-x', { exOrderId: 'x-1', symbol: 'A/B', side: 'sell', volume: 1 });
    expect(await orders.setOrderStatus('ex-x', 'x-1', 'open')).toBe(true);
    expect(await orders.updateOrder('ex-x', { exOrderId: 'x-1', price: 3 })).toEqual({
      exOrderId: 'x-1',
      exchange: 'ex-x',
      symbol: 'A/B',
      side: 'sell',
      volume: 1,
      status: 'open',
      price: 3,
    });
  });

  it('an order whose numeric id is large merges', async () => {
    const orders = new OrdersCache(conn);
    const id = Number.MAX_SAFE_INTEGER;
    await orders.saveOrder('ex-big', order(id, { status: 'open' }));
    expect(await orders.setOrderStatus('ex-big', id, 'filled')).toBe(true);
    expect((await orders.getOrder('ex-big', id))?.status).toBe('filled');
  });
});
