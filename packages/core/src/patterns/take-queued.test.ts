import { describe, expect, it } from 'vitest';
import { DecodeError, FullonCacheError } from '../errors.js';
import { keySlot } from '../keys/slot.js';
import { TAKE_QUEUED } from '../scripts/take-queued.js';
import { rejection, useTestConnection } from '../testing/index.js';
import { inFlightKey, takeQueued } from './take-queued.js';

describe('takeQueued (at-least-once take)', () => {
  const conn = useTestConnection();
  const queueOf = (name: string) => {
    const queue = conn().keys.key('take', name);
    return { queue, inFlight: inFlightKey(queue) };
  };

  it('keeps the in-flight set in the queue slot, with or without a hash tag', () => {
    for (const queue of ['p:q:{binance}:42', 'p:exchange-ws-errors:7', 'p:q:{a}:{b}']) {
      expect(keySlot(inFlightKey(queue)), queue).toBe(keySlot(queue));
    }
    expect(inFlightKey('p:q:{binance}:42')).toBe('p:q:{binance}:42:in-flight');
    // Hashed whole by Redis: no derived key can share the slot.
    for (const queue of ['p:{}:x', 'p:{x'])
      expect(() => inFlightKey(queue)).toThrow(FullonCacheError);
  });

  it('takes in order, and leaves nothing in flight once the caller holds the item', async () => {
    const keys = queueOf('order');
    await conn().send(keys.queue, ['RPUSH', keys.queue, 'a', 'b']);
    await conn().send(keys.queue, ['PEXPIRE', keys.queue, '60000']);
    expect((await takeQueued(conn(), keys, { timeoutMs: 0 }))?.toString()).toBe('a');
    expect(await conn().send(keys.inFlight, ['ZCARD', keys.inFlight])).toBe(0);
    expect((await takeQueued(conn(), keys, { timeoutMs: 100 }))?.toString()).toBe('b');
    expect(await takeQueued(conn(), keys, { timeoutMs: 0 })).toBeNull();
  });

  it('an item whose taker never confirmed goes back to the head once its lease ran out', async () => {
    const keys = queueOf('lost');
    await conn().send(keys.queue, ['RPUSH', keys.queue, 'first', 'second']);
    await conn().send(keys.queue, ['PEXPIRE', keys.queue, '60000']);
    // A take whose reply never reached its caller: the script ran, nobody confirmed.
    const lost = await conn().runScript<[number, string]>(
      TAKE_QUEUED,
      [keys.queue, keys.inFlight],
      ['0123456789abcdef', '300', '100', '10000'],
    );
    expect(lost).toStrictEqual([1, 'first']);
    // It stays in flight as long as the queue would live.
    expect(await conn().send<number>(keys.inFlight, ['PTTL', keys.inFlight])).toBeGreaterThan(
      50_000,
    );
    expect((await takeQueued(conn(), keys, { timeoutMs: 0 }))?.toString()).toBe('second');
    // The queue is empty now: the wait ends when the lease runs out, with the lost item.
    expect((await takeQueued(conn(), keys, { timeoutMs: 5_000 }))?.toString()).toBe('first');
    expect(await conn().send(keys.inFlight, ['EXISTS', keys.inFlight])).toBe(0);
  });

  it('a key of another type is a DecodeError naming it, and nothing is written', async () => {
    for (const which of ['queue', 'inFlight'] as const) {
      const keys = queueOf(`wrong-${which}`);
      const other = which === 'queue' ? keys.inFlight : keys.queue;
      await conn().send(keys[which], ['SET', keys[which], 'garbage']);
      if (which === 'inFlight') await conn().send(other, ['RPUSH', other, 'kept']);
      const error = await rejection(takeQueued(conn(), keys, { timeoutMs: 0 }));
      expect(DecodeError.is(error), String(error)).toBe(true);
      expect((error as DecodeError).key).toBe(keys[which]);
      expect(await conn().send(keys[which], ['GET', keys[which]])).toBe('garbage');
      if (which === 'inFlight') {
        expect(await conn().send(other, ['LRANGE', other, '0', '-1'])).toStrictEqual(['kept']);
      } else expect(await conn().send(other, ['EXISTS', other])).toBe(0);
    }
  });

  it('a malformed in-flight entry is a DecodeError naming the set, and nothing is written', async () => {
    const keys = queueOf('malformed');
    await conn().send(keys.inFlight, ['ZADD', keys.inFlight, '1', 'short']);
    await conn().send(keys.queue, ['RPUSH', keys.queue, 'kept']);
    const error = await rejection(takeQueued(conn(), keys, { timeoutMs: 0 }));
    expect(DecodeError.is(error), String(error)).toBe(true);
    expect((error as DecodeError).key).toBe(keys.inFlight);
    expect(await conn().send(keys.queue, ['LRANGE', keys.queue, '0', '-1'])).toStrictEqual([
      'kept',
    ]);
    expect(await conn().send(keys.inFlight, ['ZCARD', keys.inFlight])).toBe(1);
  });
});
