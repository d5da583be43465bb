import { defineLayout, MAX_EPOCH_MS, MIN_EPOCH_MS } from '@fullon/core/author';
import { type Bar, BarFields, BarRecord } from './schema.js';

function isFiniteBar(b: BarFields): boolean {
  return (
    Number.isFinite(b.time) &&
    b.time >= MIN_EPOCH_MS &&
    b.time <= MAX_EPOCH_MS &&
    Number.isFinite(b.open) &&
    Number.isFinite(b.high) &&
    Number.isFinite(b.low) &&
    Number.isFinite(b.close) &&
    Number.isFinite(b.volume) &&
    b.volume >= 0 &&
    b.low <= b.open &&
    b.open <= b.high &&
    b.low <= b.close &&
    b.close <= b.high
  );
}

/**
 * A stored bar: the tuple `[1, time, open, high, low, close, volume]`, one sorted-set member
 * per candle (score = time).
 * @internal Imported by the cache and by `bench/` by relative path.
 */
export const BarLayout = defineLayout({
  name: 'bar',
  version: 1,
  schema: BarFields,
  check: BarRecord,
  fields: ['time', 'open', 'high', 'low', 'close', 'volume'],
  isValid: isFiniteBar,
});

/**
 * @param bar - A validated bar.
 * @returns Its record form, for {@link BarLayout}.
 * @internal
 */
export function barFields(bar: Bar): BarFields {
  const [time, open, high, low, close, volume] = bar;
  return { time, open, high, low, close, volume };
}

/**
 * @param b - A decoded record.
 * @returns The bar tuple.
 * @internal
 */
export function barTuple(b: BarFields): Bar {
  return [b.time, b.open, b.high, b.low, b.close, b.volume];
}
