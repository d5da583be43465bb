import type { DecodeError } from '@fullon/core';
import { ValidationError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { OhlcvKeys } from './keys.js';
import { OHLCVCache } from './ohlcv-cache.js';
import type { Bar } from './schema.js';
import { barAt, MIN, T0 } from './test-helpers.js';

describe('OHLCVCache.subscribe', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });

  it('sees each upsert of its series, in order, and nothing of other series', async () => {
    const ohlcv = new OHLCVCache(conn());
    const controller = new AbortController();
    const stream = ohlcv.subscribe({
      symbol: 'BTC/USDT',
      exchange: 'binance',
      timeframe: '1m',
      signal: controller.signal,
    });
    await stream.ready;
    const writes: Bar[][] = [
      [barAt(T0 + MIN, 1)],
      [barAt(T0 + MIN, 2)],
      [barAt(T0 + 3 * MIN, 3), barAt(T0, 4), barAt(T0 + 2 * MIN, 5)],
      [barAt(T0 + 3 * MIN, 6)],
    ];
    const expected = [
      barAt(T0 + MIN, 1),
      barAt(T0 + MIN, 2),
      barAt(T0, 4),
      barAt(T0 + 2 * MIN, 5),
      barAt(T0 + 3 * MIN, 3),
      barAt(T0 + 3 * MIN, 6),
    ];
    const received: Bar[] = [];
    const listening = (async () => {
      for await (const bar of stream) {
        received.push(bar);
        if (received.length === expected.length) controller.abort();
      }
    })();
    for (const [i, bars] of writes.entries()) {
      await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', bars);
      // Other series on the same names never reach this stream.
      await ohlcv.updateOhlcvBars('BTC/USDT', 'kraken', '1m', [barAt(T0, i)]);
      await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '5m', [barAt(T0, i)]);
    }
    await listening;
    expect(received).toEqual(expected);
    expect(stream.dropped).toBe(0);
  });

  it('skips and reports a corrupt message, and ends on close()', async () => {
    const ohlcv = new OHLCVCache(conn());
    const stream = ohlcv.subscribe({ symbol: 'ETH/USDT', exchange: 'binance', timeframe: '1h' });
    await stream.ready;
    const names = new OhlcvKeys(conn().keys).series('ETH/USDT', 'binance', '1h');
    corrupt.length = 0;
    // Published through the series' node, so they arrive before the script's message.
    const publish = (payload: Buffer) =>
      conn().send(names.bars, ['PUBLISH', names.channel, payload]);
    await publish(Buffer.from([0xc1]));
    await publish(conn().codec.encode([[1, T0 + 1, 1, 2, 0, 1, 1]]));
    await ohlcv.updateOhlcvBars('ETH/USDT', 'binance', '1h', [barAt(T0, 9)]);
    const first = await stream.next();
    expect(first.value).toEqual(barAt(T0, 9));
    expect(corrupt).toHaveLength(2);
    await stream.close();
    expect((await stream.next()).done).toBe(true);
  });

  it('rejects a signal that is not an AbortSignal as a ValidationError naming signal', () => {
    const ohlcv = new OHLCVCache(conn());
    for (const signal of [{}, 'abort', 5, null, { aborted: false }]) {
      let thrown: unknown;
      try {
        ohlcv.subscribe({
          symbol: 'ETH/USDT',
          exchange: 'binance',
          timeframe: '1m',
          signal: signal as AbortSignal,
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect(thrown).toMatchObject({ field: 'signal' });
    }
  });

  it('validates its options', async () => {
    const ohlcv = new OHLCVCache(conn());
    expect(() =>
      ohlcv.subscribe({ symbol: 'ETH/USDT', exchange: 'binance', timeframe: '7m' as '1m' }),
    ).toThrow(ValidationError);
    expect(() => ohlcv.subscribe({ symbol: '', exchange: 'binance', timeframe: '1m' })).toThrow(
      /symbol/,
    );
    const stream = ohlcv.subscribe({
      symbol: 'ETH/USDT',
      exchange: 'binance',
      timeframe: '1m',
      signal: AbortSignal.abort(),
    });
    await stream.ready;
    expect((await stream.next()).done).toBe(true);
  });
});
