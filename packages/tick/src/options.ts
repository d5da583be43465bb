import { ValidationError } from '@fullon/core';
import { cacheOptions, countOption, isPlainObject, ttlOption } from '@fullon/core/author';
import { DEFAULT_NEAR_CACHE_ENTRIES, type NearCacheOptions } from './near-cache.js';

/** Default ticker lifetime after its last write: 24 h. */
export const DEFAULT_TTL_MS = 86_400_000;

/** Options of the {@link TickCache} constructor and {@link TickCache.open}. */
export interface TickCacheOptions {
  /**
   * How long a ticker lives after its last write, in ms (at most ten years); a ticker not
   * refreshed within it disappears. Defaults to 86 400 000 (24 h).
   */
  ttlMs?: number;
  /**
   * Serve `getTicker` and `getPrice` from process memory once a ticker has been read, kept
   * correct by the server's invalidation reports (see {@link NearCache}): `true`, or
   * `{ maxEntries }` (default 10 000 tickers, least recently used dropped first). Defaults to
   * off.
   */
  nearCache?: boolean | NearCacheOptions;
}

/**
 * The constructor options, checked, with their defaults applied.
 * @internal
 */
export interface ResolvedTickOptions {
  /** Ticker lifetime, in ms. */
  readonly ttlMs: number;
  /** The near cache's bound, or `undefined` when it is off. */
  readonly nearCache: number | undefined;
}

/**
 * Checks the constructor options (also before `TickCache.open` connects).
 * @internal
 * @param value - Untrusted options.
 * @returns The options with their defaults.
 * @throws {ConfigurationError} (variable `options`) when `value` is not a plain object.
 * @throws {ValidationError} naming `ttlMs`, `nearCache` or `nearCache.maxEntries`.
 */
export function resolveOptions(value: TickCacheOptions | undefined): ResolvedTickOptions {
  const options = cacheOptions(value, 'TickCache');
  const near = options.nearCache;
  let nearCache: number | undefined;
  if (near === true) nearCache = DEFAULT_NEAR_CACHE_ENTRIES;
  else if (isPlainObject(near)) {
    nearCache = countOption(near.maxEntries, DEFAULT_NEAR_CACHE_ENTRIES, 'nearCache.maxEntries');
    if (nearCache < 1)
      throw new ValidationError('nearCache.maxEntries', 'nearCache.maxEntries: must be at least 1');
  } else if (near !== undefined && near !== false) {
    throw new ValidationError('nearCache', 'nearCache: must be a boolean or { maxEntries }');
  }
  return { ttlMs: ttlOption(options.ttlMs, DEFAULT_TTL_MS), nearCache };
}
