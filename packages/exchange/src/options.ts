import { ConfigurationError } from '@fullon/core';
import {
  cacheOptions,
  countOption,
  type Id,
  isPlainObject,
  ttlOption,
  waitOption,
} from '@fullon/core/author';
import {
  DEFAULT_LOAD_TIMEOUT_MS,
  DEFAULT_METADATA_TTL_MS,
  DEFAULT_WS_ERROR_CAP,
} from './defaults.js';
import type { CatExchange, ExchangeInput, SymbolInfo } from './schema.js';

/**
 * Read-through loaders of `ExchangeCache`, each optional. Each is called on a miss, its
 * answer validated, stored with the TTL and returned; concurrent misses for one key call it once.
 * A loader that throws rejects every waiter and nothing is cached, so the next call retries.
 */
export interface ExchangeLoaders {
  /** One exchange account by id; `null` when it does not exist (not cached). */
  exchange?: (exId: Id) => Promise<ExchangeInput | null>;
  /** Every exchange account of a user (`[]` is cached too): the only loader that makes a list complete. */
  userExchanges?: (userId: Id) => Promise<ExchangeInput[]>;
  /** The catalog of exchanges the system trades on. */
  catExchanges?: () => Promise<CatExchange[]>;
}

/** Options of `ExchangeCache`. */
export interface ExchangeCacheOptions {
  /** Read-through loaders. Without one, a miss returns `null` / `[]`. */
  load?: ExchangeLoaders;
  /** How long cached metadata lives, in ms (at most ten years). Defaults to 86 400 000 (24 h). */
  ttlMs?: number;
  /**
   * How long a loader may take, in ms; past it the callers waiting on it get a `TimeoutError`
   * and the next call loads again. Defaults to 30 000.
   */
  loadTimeoutMs?: number;
  /** Websocket error messages kept per exchange (newest win). Defaults to 1 000. */
  wsErrorCap?: number;
  /** A websocket error list expires this long after its last push, in ms. Defaults to 24 h. */
  wsErrorTtlMs?: number;
}

/**
 * `ExchangeCacheOptions` checked, defaults applied.
 * @internal
 */
export interface ResolvedExchangeOptions {
  /** The loaders given (`{}` when none). */
  load: ExchangeLoaders;
  /** TTL of cached metadata, in ms. */
  ttlMs: number;
  /** How long a loader may take, in ms. */
  loadTimeoutMs: number;
  /** Websocket errors kept per exchange. */
  wsErrorCap: number;
  /** TTL of a websocket error list after its last push, in ms. */
  wsErrorTtlMs: number;
}

const LOADERS = ['exchange', 'userExchanges', 'catExchanges'] as const;

/** Checks the `load` option: absent, or a plain object whose loaders are functions. */
function checkLoaders(load: unknown): ExchangeLoaders {
  if (load === undefined) return {};
  if (!isPlainObject(load)) {
    throw new ConfigurationError('load', 'must be a plain object of loader functions');
  }
  for (const name of LOADERS) {
    const loader = load[name];
    if (loader !== undefined && typeof loader !== 'function') {
      throw new ConfigurationError(`load.${name}`, 'must be a function');
    }
  }
  return load as ExchangeLoaders;
}

/**
 * Checks the options of `ExchangeCache`.
 * @internal
 * @param options - Untrusted options.
 * @returns The options with their defaults.
 * @throws {ConfigurationError} naming `options`, `load` or `load.<name>` when malformed.
 * @throws {ValidationError} naming the option when a TTL, the timeout or the cap is out of range.
 */
export function resolveExchangeOptions(
  options: ExchangeCacheOptions | undefined,
): ResolvedExchangeOptions {
  const opts = cacheOptions(options, 'ExchangeCache');
  return {
    load: checkLoaders(opts.load),
    ttlMs: ttlOption(opts.ttlMs, DEFAULT_METADATA_TTL_MS),
    loadTimeoutMs: waitOption(opts.loadTimeoutMs, DEFAULT_LOAD_TIMEOUT_MS, 'loadTimeoutMs'),
    wsErrorCap: countOption(opts.wsErrorCap, DEFAULT_WS_ERROR_CAP, 'wsErrorCap'),
    wsErrorTtlMs: ttlOption(opts.wsErrorTtlMs, DEFAULT_METADATA_TTL_MS, 'wsErrorTtlMs'),
  };
}

/** The read-through loader of `SymbolCache`. */
export type SymbolLoader = (exchange: string) => Promise<SymbolInfo[]>;

/** Options of `SymbolCache`. */
export interface SymbolCacheOptions {
  /**
   * Read-through loader: called on a miss with the exchange name, its result stored with the
   * TTL and returned. Concurrent misses for one exchange call it once. Without it a miss
   * returns `[]` / `null` / `false`.
   */
  load?: SymbolLoader;
  /** How long a cached symbol set lives, in ms (at most ten years). Defaults to 86 400 000 (24 h). */
  ttlMs?: number;
  /**
   * How long a loader may take, in ms; past it the callers waiting on it get a `TimeoutError`
   * and the next call loads again. Defaults to 30 000.
   */
  loadTimeoutMs?: number;
}

/**
 * `SymbolCacheOptions` checked, defaults applied.
 * @internal
 */
export interface ResolvedSymbolOptions {
  /** The loader, if any. */
  load: SymbolLoader | undefined;
  /** TTL of a cached symbol set, in ms. */
  ttlMs: number;
  /** How long a loader may take, in ms. */
  loadTimeoutMs: number;
}

/**
 * Checks the options of `SymbolCache`.
 * @internal
 * @param options - Untrusted options.
 * @returns The options with their defaults.
 * @throws {ConfigurationError} naming `options` or `load` when malformed.
 * @throws {ValidationError} naming `ttlMs` or `loadTimeoutMs` when out of range.
 */
export function resolveSymbolOptions(
  options: SymbolCacheOptions | undefined,
): ResolvedSymbolOptions {
  const opts = cacheOptions(options, 'SymbolCache');
  if (opts.load !== undefined && typeof opts.load !== 'function') {
    throw new ConfigurationError('load', 'must be a function');
  }
  return {
    load: opts.load as SymbolLoader | undefined,
    ttlMs: ttlOption(opts.ttlMs, DEFAULT_METADATA_TTL_MS),
    loadTimeoutMs: waitOption(opts.loadTimeoutMs, DEFAULT_LOAD_TIMEOUT_MS, 'loadTimeoutMs'),
  };
}
