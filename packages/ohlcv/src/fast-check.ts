import { MAX_EPOCH_MS, MIN_EPOCH_MS } from '@fullon/core/author';
import type { Bar } from './schema.js';

/**
 * The fast test of a valid bar, used on hot paths before valibot (which runs only to word the
 * error): six finite numbers, time in ms, prices ordered, volume ≥ 0.
 * @param bar - Untrusted input.
 * @returns `true` when {@link Bar} would accept it.
 */
export function isValidBar(bar: unknown): bar is Bar {
  if (!Array.isArray(bar) || bar.length !== 6) return false;
  const [time, open, high, low, close, volume] = bar as unknown[];
  return (
    typeof time === 'number' &&
    typeof open === 'number' &&
    typeof high === 'number' &&
    typeof low === 'number' &&
    typeof close === 'number' &&
    typeof volume === 'number' &&
    Number.isFinite(time) &&
    time >= MIN_EPOCH_MS &&
    time <= MAX_EPOCH_MS &&
    Number.isFinite(open) &&
    Number.isFinite(high) &&
    Number.isFinite(low) &&
    Number.isFinite(close) &&
    Number.isFinite(volume) &&
    volume >= 0 &&
    low <= open &&
    open <= high &&
    low <= close &&
    close <= high
  );
}
