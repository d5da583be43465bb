import type { Bar } from './schema.js';

/** A Monday, 2024-06-03 00:00 UTC: aligned to every timeframe, weeks included. */
export const T0 = Date.UTC(2024, 5, 3);
/** One minute in ms. */
export const MIN = 60_000;

/**
 * A valid bar at `time`, its prices derived from `seed` so that different writes differ.
 * @param time - Open time.
 * @param seed - Any number.
 * @returns The bar.
 */
export function barAt(time: number, seed = 0): Bar {
  const open = 100 + (seed % 50);
  return [time, open, open + 2 + (seed % 3), open - 1, open + 0.5, 1 + seed];
}

/**
 * Shuffles a copy with a fixed-seed generator (reproducible order).
 * @param items - Items.
 * @param seed - Generator seed.
 * @returns The shuffled copy.
 */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
