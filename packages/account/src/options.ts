import { cacheOptions, ttlOption } from '@fullon/core/author';

/** Default lifetime of an account's balances and positions after their last write: 24 h. */
const DEFAULT_TTL_MS = 86_400_000;

/** Options of the `AccountCache` constructor and `AccountCache.open`. */
export interface AccountCacheOptions {
  /**
   * How long an account's balances (and, separately, its positions) live after their last
   * write, in ms; every write renews it. An account nobody writes for this long disappears, so
   * a removed account leaves nothing behind. Whole ms from 1 to ten years. Defaults to
   * 86 400 000 (24 h).
   */
  ttlMs?: number;
}

/**
 * Checks the constructor options and fills in the defaults.
 * @internal
 * @param options - What the caller passed as {@link AccountCacheOptions}.
 * @returns The TTL in ms.
 * @throws {ConfigurationError} naming `options` when they are not a plain object.
 * @throws {ValidationError} naming `ttlMs` when it is not a whole number of ms from 1 to ten
 *   years.
 */
export function resolveOptions(options: unknown): { ttlMs: number } {
  const opts = cacheOptions(options, 'AccountCache');
  return { ttlMs: ttlOption(opts.ttlMs, DEFAULT_TTL_MS) };
}
