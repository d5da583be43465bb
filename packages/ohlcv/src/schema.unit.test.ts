import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isValidBar } from './fast-check.js';
import { alignTime, Bar, isAligned, TIMEFRAME_MS, TIMEFRAMES } from './schema.js';

describe('timeframes and bars', () => {
  const monday = Date.UTC(2024, 5, 3);

  it('aligns every timeframe to UTC, weeks to Monday 00:00', () => {
    for (const tf of TIMEFRAMES) {
      expect(isAligned(monday, tf), tf).toBe(true);
      expect(isAligned(monday + 1, tf), tf).toBe(false);
      expect(alignTime(monday + TIMEFRAME_MS[tf] - 1, tf), tf).toBe(monday);
    }
    const thursday = Date.UTC(2024, 5, 6, 13, 7, 5);
    expect(alignTime(thursday, '1w')).toBe(monday);
    expect(alignTime(thursday, '1d')).toBe(Date.UTC(2024, 5, 6));
    expect(alignTime(thursday, '4h')).toBe(Date.UTC(2024, 5, 6, 12));
    expect(alignTime(thursday, '15m')).toBe(Date.UTC(2024, 5, 6, 13));
    expect(new Date(alignTime(Date.UTC(2024, 0, 1, 5), '1w')).getUTCDay()).toBe(1);
  });

  it('accepts what the fast check accepts, and nothing else', () => {
    const samples: unknown[] = [
      [monday, 1, 2, 0.5, 1.5, 0],
      [monday, 1, 1, 1, 1, 0],
      [monday, -5, -1, -10, -2, 3],
      [monday, 1, 2, 3, 1.5, 0],
      [monday, 1, 2, 0.5, 2.5, 0],
      [monday, 0.4, 2, 0.5, 1.5, 0],
      [monday, 1, 2, 0.5, 1.5, -1],
      [monday / 1000, 1, 2, 0.5, 1.5, 0],
      [monday, Number.POSITIVE_INFINITY, 2, 0.5, 1.5, 0],
      [monday, '1', 2, 0.5, 1.5, 0],
      [monday, 1, 2, 0.5, 1.5],
      [monday, 1, 2, 0.5, 1.5, 0, 0],
      { 0: monday },
      null,
    ];
    for (const sample of samples) {
      expect(isValidBar(sample), JSON.stringify(sample)).toBe(v.safeParse(Bar, sample).success);
    }
    expect(samples.filter(isValidBar)).toHaveLength(3);
  });
});
