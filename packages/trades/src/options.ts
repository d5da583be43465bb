import { cacheOptions, countOption, ttlOption } from '@fullon/core/author';

/** Default cap of every trade list: 100 000 trades. */
export const DEFAULT_MAX_TRADES = 100_000;
/** Default lifetime of lists, drop counters and status stamps after their last write: 7 days. */
export const DEFAULT_TRADES_TTL_MS = 7 * 86_400_000;

/** Options of the {@link TradesCache} constructor and {@link TradesCache.open}. */
export interface TradesCacheOptions {
  /**
   * Most trades one list holds (each market's pending trades, each user's trades per exchange).
   * A push beyond it drops the oldest trades and counts them ({@link TradesCache.getOverflow},
   * {@link TradesCache.getUserOverflow}). Whole number from 1 to 10 000 000. Defaults to
   * 100 000.
   */
  maxTrades?: number;
  /**
   * Lifetime in ms of a list after its last push, of a drop counter after its last drop, and of
   * a status index after its last stamp; a list nobody pushes to for this long disappears with
   * its trades. Defaults to 604 800 000 (7 days).
   */
  ttlMs?: number;
}

/**
 * {@link TradesCacheOptions} checked and resolved, as the scripts take them (decimal strings).
 * @internal
 */
export interface ResolvedOptions {
  /** The list cap. */
  readonly cap: string;
  /** The TTL of lists, drop counters and status indexes, in ms. */
  readonly ttlMs: string;
}

/**
 * Checks and resolves the cache options.
 * @param options - The options as given.
 * @returns The resolved options.
 * @throws {ConfigurationError} naming `options` when they are not a plain object.
 * @throws {ValidationError} naming the option that is out of range.
 * @internal
 */
export function resolveOptions(options: TradesCacheOptions | undefined): ResolvedOptions {
  const opts = cacheOptions(options, 'TradesCache');
  return {
    cap: String(countOption(opts.maxTrades, DEFAULT_MAX_TRADES, 'maxTrades')),
    ttlMs: String(ttlOption(opts.ttlMs, DEFAULT_TRADES_TTL_MS)),
  };
}
