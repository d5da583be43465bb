import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isValidTrade } from './fast-check.js';
import { TradeLayout } from './layouts.js';
import { Trade } from './schema.js';
import { makeTrade } from './test-helpers.js';

/** Values that break some rule or other, and a few that do not. */
const PROBES: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1_717_171_717,
  1_717_171_717_000,
  '',
  'x',
  'x'.repeat(257),
  '\uD800',
  'buy',
  'sell',
  'hold',
  true,
  {},
  [],
];
const FIELDS = [...TradeLayout.fields];

describe('isValidTrade (the fast check of pushes and drains)', () => {
  it('agrees with the Trade schema on every single-field change of a valid trade', () => {
    let accepted = 0;
    for (const field of FIELDS) {
      for (const probe of PROBES) {
        const input = { ...makeTrade(), [field]: probe };
        const schemaSays = v.safeParse(Trade, input).success;
        expect({ field, probe, fast: isValidTrade(input) }).toEqual({
          field,
          probe,
          fast: schemaSays,
        });
        if (schemaSays) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(FIELDS.length);
    expect(isValidTrade(null)).toBe(false);
    expect(isValidTrade('trade')).toBe(false);
  });

  it('agrees with the schema on random trades', () => {
    for (let i = 0; i < 2_000; i++) {
      const input: Record<string, unknown> = { ...makeTrade() };
      for (let j = 0; j < 3; j++) {
        const field = FIELDS[Math.floor(Math.random() * FIELDS.length)] ?? 'tradeId';
        input[field] = PROBES[Math.floor(Math.random() * PROBES.length)];
      }
      expect(isValidTrade(input)).toBe(v.safeParse(Trade, input).success);
    }
  });
});
