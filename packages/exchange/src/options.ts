import { ConfigurationError } from '@fullon/core';
import {
  cacheOptions,
  countOption,
  type Id,
  isPlainObject,
  rejectRenamedOptions,
  ttlOption,
  waitOption,
} from '@fullon/core/author';
import type { CatExchange, ExchangeInput, SymbolInfo } from './schema.js';

/** Default time cached metadata (symbols, exchanges, catalog) lives: 86 400 000 ms (24 h). */
export const DEFAULT_METADATA_TTL_MS = 86_400_000;

/** Default cap of a websocket error list: the newest 1 000 messages are kept. */
export const DEFAULT_WS_ERROR_CAP = 1_000;

/** How long a read-through loader may take before its waiters get a `TimeoutError`: 30 s. */
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;

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
  timeoutMs?: number;
  /** The per-exchange websocket error lists. */
  wsErrors?: {
    /** Websocket error messages kept per exchange (newest win). Defaults to 1 000. */
    cap?: number;
    /** A websocket error list expires this long after its last push, in ms. Defaults to 24 h. */
    ttlMs?: number;
  };
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
  timeoutMs: number;
  /** The websocket error lists' cap and TTL. */
  wsErrors: WsErrorLimits;
}

/** Cap and TTL of the websocket error lists, resolved. */
export interface WsErrorLimits {
  /** Websocket errors kept per exchange. */
  readonly cap: number;
  /** TTL of a websocket error list after its last push, in ms. */
  readonly ttlMs: number;
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

/** Checks the `wsErrors` option: absent, or a plain object of `cap` and `ttlMs`. */
function checkWsErrors(wsErrors: unknown): WsErrorLimits {
  let opts: Record<string, unknown> = {};
  if (wsErrors !== undefined) {
    if (!isPlainObject(wsErrors)) {
      throw new ConfigurationError('wsErrors', 'must be a plain object of cap and ttlMs');
    }
    opts = wsErrors;
  }
  return {
    cap: countOption(opts.cap, DEFAULT_WS_ERROR_CAP, 'wsErrors.cap'),
    ttlMs: ttlOption(opts.ttlMs, DEFAULT_METADATA_TTL_MS, 'wsErrors.ttlMs'),
  };
}

/**
 * Checks the options of `ExchangeCache`.
 * @internal
 * @param options - Untrusted options.
 * @returns The options with their defaults.
 * @throws {ConfigurationError} naming `options`, `load`, `load.<name>` or `wsErrors` when
 *   malformed.
 * @throws {ValidationError} naming the option (`ttlMs`, `timeoutMs`, `wsErrors.cap`,
 *   `wsErrors.ttlMs`) when out of range.
 */
export function resolveExchangeOptions(
  options: ExchangeCacheOptions | undefined,
): ResolvedExchangeOptions {
  const opts = cacheOptions(options, 'ExchangeCache');
  rejectRenamedOptions(opts, {
    loadTimeoutMs: 'timeoutMs',
    wsErrorCap: 'wsErrors.cap',
    wsErrorTtlMs: 'wsErrors.ttlMs',
  });
  return {
    load: checkLoaders(opts.load),
    ttlMs: ttlOption(opts.ttlMs, DEFAULT_METADATA_TTL_MS),
    timeoutMs: waitOption(opts.timeoutMs, DEFAULT_LOAD_TIMEOUT_MS),
    wsErrors: checkWsErrors(opts.wsErrors),
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
  timeoutMs?: number;
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
  timeoutMs: number;
}

/**
 * Checks the options of `SymbolCache`.
 * @internal
 * @param options - Untrusted options.
 * @returns The options with their defaults.
 * @throws {ConfigurationError} naming `options` or `load` when malformed.
 * @throws {ValidationError} naming `ttlMs` or `timeoutMs` when out of range.
 */
export function resolveSymbolOptions(
  options: SymbolCacheOptions | undefined,
): ResolvedSymbolOptions {
  const opts = cacheOptions(options, 'SymbolCache');
  rejectRenamedOptions(opts, { loadTimeoutMs: 'timeoutMs' });
  if (opts.load !== undefined && typeof opts.load !== 'function') {
    throw new ConfigurationError('load', 'must be a function');
  }
  return {
    load: opts.load as SymbolLoader | undefined,
    ttlMs: ttlOption(opts.ttlMs, DEFAULT_METADATA_TTL_MS),
    timeoutMs: waitOption(opts.timeoutMs, DEFAULT_LOAD_TIMEOUT_MS),
  };
}
