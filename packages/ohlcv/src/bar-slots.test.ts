import { ValidationError } from '@fullon/core';
import { keyspaceDiff, rejection, snapshotKeyspace, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { OHLCVCache } from './ohlcv-cache.js';
import type { Bar } from './schema.js';
import { barAt, MIN, T0 } from './test-helpers.js';

const SLOTS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** What the conformance kit tries on a number field, applied here to each tuple slot. */
const NOT_NUMBERS: readonly unknown[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '5',
  null,
  undefined,
  {},
  [],
  true,
];
/** And on an epoch-ms field (the time slot). */
const BAD_TIMES: readonly unknown[] = [1, 1.7e9, -1, 2 ** 64, 1e308, -0.5];

describe('OHLCVCache bar slots (the tuple attacks the conformance kit cannot make)', () => {
  const conn = useTestConnection();

  it('a hostile value in any slot of any bar rejects naming bars[i].<slot>, nothing written', async () => {
    const ohlcv = new OHLCVCache(conn());
    await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [barAt(T0)]);
    const before = await snapshotKeyspace(conn());
    const problems: string[] = [];
    for (const [slot, name] of SLOTS.entries()) {
      const values = slot === 0 ? [...NOT_NUMBERS, ...BAD_TIMES] : NOT_NUMBERS;
      for (const value of values) {
        const bad: unknown[] = [...barAt(T0 + MIN, 1)];
        bad[slot] = value;
        const error = await rejection(
          ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [barAt(T0 + 2 * MIN), bad as Bar]),
        );
        const field = ValidationError.is(error) ? error.field : String(error);
        if (field !== `bars[1].${name}`) problems.push(`${name} = ${String(value)}: ${field}`);
      }
    }
    expect(problems).toEqual([]);
    expect(keyspaceDiff(before, await snapshotKeyspace(conn()))).toBeNull();
  });
});
