import { type DecodeError, ValidationError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { ProcessKeys } from './keys.js';
import { ProcessCache } from './process-cache.js';
import type { Broadcast } from './schema.js';

describe('ProcessCache broadcasts', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });

  it('delivers broadcasts of its type, in order, with data', async () => {
    const processes = new ProcessCache(conn());
    const controller = new AbortController();
    const stream = processes.subscribeBroadcasts('ohlcv', { signal: controller.signal });
    await stream.ready;
    const received: Broadcast[] = [];
    const listening = (async () => {
      for await (const broadcast of stream) {
        received.push(broadcast);
        if (received.length === 2) controller.abort();
      }
    })();
    const before = Date.now();
    const receivers = await processes.broadcast('ohlcv', 'reload', { symbols: ['BTC/USDT'], n: 2 });
    // A cluster counts only the subscribers of the node that received the PUBLISH.
    if (conn().mode === 'standalone') expect(receivers).toBe(1);
    await processes.broadcast('tick', 'not for ohlcv');
    await processes.broadcast('ohlcv', 'pause');
    await listening;
    expect(received.map(({ message, data, type }) => ({ message, data, type }))).toEqual([
      { message: 'reload', data: { symbols: ['BTC/USDT'], n: 2 }, type: 'ohlcv' },
      { message: 'pause', data: {}, type: 'ohlcv' },
    ]);
    expect(received[0]?.time).toBeGreaterThanOrEqual(before);
    expect(await processes.broadcast('nobody_listens', 'hello')).toBe(0);
  });

  it('rejects a signal that is not an AbortSignal as a ValidationError naming signal', async () => {
    const processes = new ProcessCache(conn());
    for (const signal of [{}, 'abort', 5, null, { aborted: false }]) {
      // Never a synchronous throw: the subscription's `ready` rejects.
      const stream = processes.subscribeBroadcasts('ohlcv', { signal: signal as AbortSignal });
      const error = await stream.ready.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'signal' });
    }
  });

  it('skips and reports a corrupt broadcast', async () => {
    const processes = new ProcessCache(conn());
    const stream = processes.subscribeBroadcasts('bot');
    await stream.ready;
    const channel = new ProcessKeys(conn().keys).broadcast('bot');
    corrupt.length = 0;
    await conn().send(channel, ['PUBLISH', channel, Buffer.from([0xc1])]);
    await conn().send(channel, [
      'PUBLISH',
      channel,
      conn().codec.encode([1, 'tick', 'm', {}, Date.now()]),
    ]);
    await conn().send(channel, [
      'PUBLISH',
      channel,
      conn().codec.encode([1, 'bot', 'ok', {}, Date.now()]),
    ]);
    const next = await stream.next();
    expect(next.value?.message).toBe('ok');
    expect(corrupt).toHaveLength(2);
    await stream.close();
    expect((await stream.next()).done).toBe(true);
  });
});
