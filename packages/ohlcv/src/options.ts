import { countOption, optionsObject, ttlOption } from '@fullon/core/author';

/** Default cap per series: the newest 10 000 bars. */
const DEFAULT_MAX_BARS = 10_000;
/** Default lifetime of a series after its last write: 7 days. */
const DEFAULT_TTL_MS = 7 * 86_400_000;

/** Options of the `OHLCVCache` constructor and `OHLCVCache.open`. */
export interface OHLCVCacheOptions {
  /** Bars kept per series (market and timeframe); older ones are dropped. Defaults to 10 000. */
  maxBars?: number;
  /**
   * How long a series lives after its last write, in ms: a market nobody updates any more
   * disappears instead of staying forever. Defaults to 604 800 000 (7 days).
   */
  ttlMs?: number;
}

/**
 * `OHLCVCacheOptions` checked, defaults applied.
 * @internal
 */
export interface ResolvedOptions {
  /** Bars kept per series. */
  maxBars: number;
  /** Lifetime of a series after its last write, in ms. */
  ttlMs: number;
}

/**
 * Checks the options of `OHLCVCache`.
 * @internal
 * @param options - Untrusted options.
 * @returns The options with their defaults.
 * @throws {ValidationError} naming the option (`options` when it is not an object).
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  const opts = optionsObject(options);
  return {
    maxBars: countOption(opts.maxBars, DEFAULT_MAX_BARS, 'maxBars'),
    ttlMs: ttlOption(opts.ttlMs, DEFAULT_TTL_MS),
  };
}
