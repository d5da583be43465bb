import { cacheOptions, ttlOption } from '@fullon/core/author';

/** Default record lifetime after the last heartbeat (or the stop): 24 h. */
const DEFAULT_TTL_MS = 86_400_000;

/** Options of the {@link ProcessCache} constructor and {@link ProcessCache.open}. */
export interface ProcessCacheOptions {
  /**
   * How long a record lives after its last heartbeat (a stopped one: after its stop), in ms.
   * Defaults to 86 400 000 (24 h).
   */
  ttlMs?: number;
}

/** {@link ProcessCacheOptions} with every default applied. @internal */
export interface ResolvedOptions {
  /** Record lifetime, in ms. */
  ttlMs: number;
}

/**
 * Checks the constructor options and applies the defaults.
 * @param options - What the caller passed.
 * @returns The resolved options.
 * @throws {ConfigurationError} naming `options` when they are not a plain object.
 * @throws {ValidationError} naming `ttlMs` when it is invalid.
 * @internal
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  return { ttlMs: ttlOption(cacheOptions(options, 'ProcessCache').ttlMs, DEFAULT_TTL_MS) };
}
