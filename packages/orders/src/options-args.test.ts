import { ValidationError } from '@fullon/core';
import { rejection, snapshotKeyspace, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { OrdersCache } from './orders-cache.js';
import { order } from './test-helpers.js';

// Options arguments that are not objects, and free text holding a lone surrogate: a typed
// ValidationError naming the parameter (a rejected promise for methods), nothing written.

const NOT_OBJECTS: unknown[] = [null, 'open', 5, [], true];
const LONE = 'half \uD800 a pair';

function expectValidation(error: unknown, field: string): void {
  expect(ValidationError.is(error), String(error)).toBe(true);
  expect((error as ValidationError).field).toBe(field);
}

describe('OrdersCache options and free-text arguments', () => {
  const conn = useTestConnection();

  it('the constructor and open() refuse an options argument that is not an object, naming `options`', async () => {
    for (const bad of NOT_OBJECTS) {
      let thrown: unknown;
      try {
        new OrdersCache(conn(), bad as never);
      } catch (error) {
        thrown = error;
      }
      expectValidation(thrown, 'options');
      expectValidation(await rejection(OrdersCache.open(undefined, bad as never)), 'options');
    }
  });

  it('getOrders, popOpenOrder and claimOpenOrder reject an options argument that is not an object, naming `options`, and write nothing', async () => {
    const cache = new OrdersCache(conn());
    await cache.pushOpenOrder('q-opts', order(1));
    await cache.saveOrder('ex-opts', order(1, { status: 'open' }));
    const before = await snapshotKeyspace(conn());
    for (const bad of NOT_OBJECTS) {
      const calls = [
        () => cache.getOrders('ex-opts', bad as never),
        () => cache.popOpenOrder('q-opts', bad as never),
        () => cache.claimOpenOrder('q-opts', bad as never),
      ];
      for (const call of calls) {
        let result: Promise<unknown> | undefined;
        expect(() => {
          result = call();
        }).not.toThrow();
        expectValidation(await rejection(result ?? Promise.resolve()), 'options');
      }
    }
    expect(await snapshotKeyspace(conn())).toEqual(before);
  });

  it('release(reason) and an order reason holding a lone surrogate reject naming `reason`, and write nothing', async () => {
    const cache = new OrdersCache(conn());
    await cache.pushOpenOrder('q-text', order(2));
    const claim = await cache.claimOpenOrder('q-text', { timeoutMs: 0 });
    const before = await snapshotKeyspace(conn());
    expectValidation(await rejection(claim?.release(LONE) ?? Promise.resolve()), 'reason');
    expectValidation(
      await rejection(cache.pushOpenOrder('q-text', order(3, { reason: LONE }))),
      'reason',
    );
    expectValidation(
      await rejection(cache.saveOrder('ex-text', order(3, { reason: LONE }))),
      'reason',
    );
    expectValidation(
      await rejection(cache.updateOrder('ex-text', { orderId: 3, reason: LONE })),
      'reason',
    );
    expect(await snapshotKeyspace(conn())).toEqual(before);
  });
});
