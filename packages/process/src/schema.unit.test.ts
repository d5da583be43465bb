import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isJsonValue, JsonObject } from './schema.js';

describe('JSON-like values', () => {
  it('accepts what survives a JSON round trip unchanged, and nothing else', () => {
    const accepted: unknown[] = [
      null,
      true,
      0,
      -1.5,
      '',
      'x',
      [],
      {},
      [1, [2, { a: null }]],
      Object.create(null),
    ];
    const rejected: unknown[] = [
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      () => 1,
      Symbol('s'),
      10n,
      new Date(),
      new Map(),
      [undefined],
      { a: undefined },
    ];
    for (const [i, value] of accepted.entries()) {
      expect(isJsonValue(value), `accepted[${i}]`).toBe(true);
    }
    for (const [i, value] of rejected.entries()) {
      expect(isJsonValue(value), `rejected[${i}]`).toBe(false);
    }
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(isJsonValue(deep)).toBe(false);
  });

  it('JsonObject takes plain objects of at most 1 000 named entries', () => {
    expect(v.safeParse(JsonObject, { a: 1 }).success).toBe(true);
    expect(v.safeParse(JsonObject, [1]).success).toBe(false);
    expect(v.safeParse(JsonObject, { '': 1 }).success).toBe(false);
    const big = Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`k${i}`, i]));
    expect(v.safeParse(JsonObject, big).success).toBe(false);
  });
});
