import { ValidationError } from '@fullon/core';
import { redisTarget, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { OHLCVCache } from './ohlcv-cache.js';

/** Options arguments of the wrong type: each must be refused, naming `options`. */
const BAD_OPTIONS: readonly unknown[] = [null, 5, 'maxBars', [], [{ maxBars: 10 }]];

/** What `call` threw synchronously, or `undefined`. */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('OHLCVCache options arguments', () => {
  const conn = useTestConnection();

  it('the constructor and open() refuse options that are not an object, naming options', async () => {
    const target = redisTarget();
    const config = target.mode === 'cluster' ? { clusterNodes: target.nodes } : { url: target.url };
    for (const bad of BAD_OPTIONS) {
      const error = thrownBy(() => new OHLCVCache(conn(), bad as never));
      expect(ValidationError.is(error), JSON.stringify(bad)).toBe(true);
      expect(error).toMatchObject({ field: 'options' });
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = OHLCVCache.open(config, bad as never);
      }).not.toThrow();
      await expect(pending).rejects.toMatchObject({ name: 'ValidationError', field: 'options' });
    }
  });

  it('getOhlcvBars rejects (never throws) options that are not an object, naming options', async () => {
    const ohlcv = new OHLCVCache(conn());
    for (const bad of BAD_OPTIONS) {
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = ohlcv.getOhlcvBars('BTC/USDT', 'binance', '1m', bad as never);
      }).not.toThrow();
      await expect(pending, JSON.stringify(bad)).rejects.toMatchObject({
        name: 'ValidationError',
        field: 'options',
      });
    }
  });

  it('subscribe refuses options that are not an object, naming options', () => {
    const ohlcv = new OHLCVCache(conn());
    for (const bad of [...BAD_OPTIONS, undefined]) {
      const error = thrownBy(() => ohlcv.subscribe(bad as never));
      expect(ValidationError.is(error), JSON.stringify(bad)).toBe(true);
      expect(error).toMatchObject({ field: 'options' });
    }
  });
});
