import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isValidTick } from './fast-check.js';
import { Tick } from './schema.js';

const NAMES: unknown[] = [
  'BTC/USDT',
  'a',
  '',
  'x'.repeat(256),
  'x'.repeat(257),
  7,
  null,
  undefined,
];
const NUMBERS: unknown[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  64_000.25,
  99_999_999_999,
  1e11,
  1_717_171_717_123,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '5',
  null,
  undefined,
  true,
  {},
];
/** Few distinct values, so that bid equals ask (and exceeds it) often. */
const CLOSE = [0, 1, 5, 5.5] as const;
const FIELDS = ['volume', 'bid', 'ask', 'last', 'change', 'percentage'] as const;

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('isValidTick', () => {
  it('agrees with the Tick schema on 20 000 generated inputs', () => {
    const next = random(42);
    const pick = <T>(pool: readonly T[]): T => pool[Math.floor(next() * pool.length)] as T;
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const input: Record<string, unknown> = {
        symbol: next() < 0.9 ? 'BTC/USDT' : pick(NAMES),
        exchange: next() < 0.9 ? 'binance' : pick(NAMES),
        price: next() < 0.8 ? 100 : pick(NUMBERS),
        time: next() < 0.8 ? 1_717_171_717_123 : pick(NUMBERS),
      };
      for (const field of FIELDS) {
        if (next() < 0.4)
          input[field] = next() < 0.5 ? next() * 200 : next() < 0.5 ? pick(CLOSE) : pick(NUMBERS);
      }
      if (next() < 0.05) input.extra = 'ignored';
      const schema = v.safeParse(Tick, input).success;
      expect(isValidTick(input), JSON.stringify(input)).toBe(schema);
      if (schema) accepted++;
    }
    // Both outcomes are well represented, so the comparison means something.
    expect(accepted).toBeGreaterThan(2_000);
    expect(accepted).toBeLessThan(18_000);
  });

  it('rejects what is not an object', () => {
    for (const input of [null, undefined, 'tick', 5, []]) {
      expect(isValidTick(input)).toBe(v.safeParse(Tick, input).success);
    }
  });
});
