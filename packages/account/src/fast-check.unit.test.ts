import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  fastBalance,
  fastPosition,
  validStoredBalance,
  validStoredPosition,
} from './fast-check.js';
import { Balance, Position, PositionInput, StoredBalance } from './schema.js';

// The hand-written checks must never accept what the schemas reject, and must give the same
// output when they accept (they may leave a case to the schema).

const NUMBERS = [0, -0, 1, -1, 0.5, 1e11, 1.7e12, Number.NaN, Number.POSITIVE_INFINITY, -1e-9];
const ODD = [undefined, null, '1', true, {}, [], 2 ** 53];
const NAMES = ['BTC/USDT', '', 'x'.repeat(256), 'x'.repeat(257), '\uD800', 'timestamp', 7, -1];

/** A deterministic pseudo-random generator, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('fast checks agree with the schemas', () => {
  const next = random(42);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const value = () => (next() < 0.8 ? pick(NUMBERS) : pick(ODD));

  it('fastBalance and validStoredBalance', () => {
    for (let i = 0; i < 3_000; i++) {
      const input = { total: value(), free: value(), used: value(), extra: 1 };
      const fast = fastBalance(input);
      const schema = v.safeParse(Balance, input);
      if (fast !== undefined) expect(schema.success && schema.output).toEqual(fast);
      else expect(schema.success).toBe(false);
      const stored = {
        currency: pick(NAMES),
        total: value(),
        free: value(),
        used: value(),
        exId: pick(NAMES),
      };
      if (validStoredBalance(stored as StoredBalance)) {
        expect(v.safeParse(StoredBalance, stored).success).toBe(true);
      }
    }
  });

  it('fastPosition and validStoredPosition', () => {
    const optional = () => (next() < 0.4 ? undefined : value());
    for (let i = 0; i < 5_000; i++) {
      const input: Record<string, unknown> = {
        symbol: next() < 0.7 ? 'BTC/USDT' : pick(NAMES),
        volume: value(),
        price: value(),
        cost: optional(),
        fee: optional(),
        count: optional(),
        time: optional(),
        exId: next() < 0.5 ? undefined : pick([...NAMES, 0, 12, 1.5]),
        unknown: 'dropped',
      };
      for (const key of ['cost', 'fee', 'count', 'time', 'exId']) {
        if (input[key] === undefined && next() < 0.5) delete input[key];
      }
      const fast = fastPosition(input);
      const schema = v.safeParse(PositionInput, input);
      if (fast !== undefined) {
        expect(schema.success).toBe(true);
        const expected = Object.fromEntries(
          Object.entries(schema.success ? schema.output : {}).filter(([, x]) => x !== undefined),
        );
        expect(fast).toEqual(expected);
      }
      const { unknown: _dropped, ...fields } = input;
      const stored = { ...fields, exId: input.exId ?? 1 };
      if (validStoredPosition(stored as Position)) {
        expect(v.safeParse(Position, stored).success).toBe(true);
      }
    }
  });

  it('accepts the common valid cases on the fast path', () => {
    expect(fastBalance({ total: 1, free: 1, used: 0 })).toEqual({ total: 1, free: 1, used: 0 });
    expect(fastPosition({ symbol: 'BTC/USDT', volume: -1, price: 2, time: Date.now() })).toEqual({
      symbol: 'BTC/USDT',
      volume: -1,
      price: 2,
      time: expect.any(Number),
    });
  });
});
