import { AccountCache, type AccountCacheOptions } from '@fullon/account';
import { BotCache, type BotCacheOptions } from '@fullon/bot';
import { type CacheConnectionLike, ConfigurationError, type ConnectOptions } from '@fullon/core';
import { closeCache, openCache, requireConnection } from '@fullon/core/author';
import {
  ExchangeCache,
  type ExchangeCacheOptions,
  SymbolCache,
  type SymbolCacheOptions,
} from '@fullon/exchange';
import { OHLCVCache, type OHLCVCacheOptions } from '@fullon/ohlcv';
import { OrdersCache, type OrdersCacheOptions } from '@fullon/orders';
import { ProcessCache, type ProcessCacheOptions } from '@fullon/process';
import { TickCache, type TickCacheOptions } from '@fullon/tick';
import { TradesCache, type TradesCacheOptions } from '@fullon/trades';

/** Every `@fullon/*` cache, built on one shared connection. */
export interface Caches {
  /** The connection every cache uses. */
  readonly connection: CacheConnectionLike;
  /** Live tickers (`@fullon/tick`). */
  readonly ticks: TickCache;
  /** Symbol metadata per exchange (`@fullon/exchange`). */
  readonly symbols: SymbolCache;
  /** Exchange accounts and the exchange catalog (`@fullon/exchange`). */
  readonly exchanges: ExchangeCache;
  /** Order queues and order state (`@fullon/orders`). */
  readonly orders: OrdersCache;
  /** Trade lists and user trade queues (`@fullon/trades`). */
  readonly trades: TradesCache;
  /** Balances and positions per exchange account (`@fullon/account`). */
  readonly accounts: AccountCache;
  /** Exclusive symbol blocks and bot status (`@fullon/bot`). */
  readonly bots: BotCache;
  /** Candles per market and timeframe (`@fullon/ohlcv`). */
  readonly ohlcv: OHLCVCache;
  /** The registry of running processes (`@fullon/process`). */
  readonly processes: ProcessCache;
}

/**
 * Options of each cache, passed through to its constructor as they are. Every field is
 * optional; a cache without options gets its package's defaults.
 */
export interface CachesOptions {
  /** Options of the {@link TickCache}. */
  ticks?: TickCacheOptions;
  /** Options of the {@link SymbolCache}. */
  symbols?: SymbolCacheOptions;
  /** Options of the {@link ExchangeCache}. */
  exchanges?: ExchangeCacheOptions;
  /** Options of the {@link OrdersCache}. */
  orders?: OrdersCacheOptions;
  /** Options of the {@link TradesCache}. */
  trades?: TradesCacheOptions;
  /** Options of the {@link AccountCache}. */
  accounts?: AccountCacheOptions;
  /** Options of the {@link BotCache}. */
  bots?: BotCacheOptions;
  /** Options of the {@link OHLCVCache}. */
  ohlcv?: OHLCVCacheOptions;
  /** Options of the {@link ProcessCache}. */
  processes?: ProcessCacheOptions;
}

/** The keys of {@link CachesOptions}, one per cache. */
const CACHE_NAMES = [
  'ticks',
  'symbols',
  'exchanges',
  'orders',
  'trades',
  'accounts',
  'bots',
  'ohlcv',
  'processes',
] as const satisfies readonly (keyof CachesOptions)[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the shape of `options` and of each cache's entry; the values are the constructors'. */
function checkCachesOptions(options: unknown): CachesOptions {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new ConfigurationError('options', 'must be an object');
  for (const name of CACHE_NAMES) {
    const value = options[name];
    if (value !== undefined && !isPlainObject(value)) {
      throw new ConfigurationError(`options.${name}`, 'must be an object');
    }
  }
  return options as CachesOptions;
}

/** Every cache on a connection that {@link openCaches} opened and that `close()` closes. */
export interface OwnedCaches extends Caches, AsyncDisposable {
  /** Closes the connection (and with it every subscription of every cache). Idempotent. */
  close(): Promise<void>;
  /** Same as `close()`, for containers that call `dispose()`. */
  dispose(): Promise<void>;
}

/**
 * Builds every cache on one connection. The connection stays the caller's: closing it is the
 * caller's job (the caches never close it).
 * @param conn - An open connection from `connect()` of `@fullon/core`.
 * @param options - Per-cache options (`ticks`, `orders`, …), passed to each constructor.
 * @returns The caches, sharing `conn`.
 * @throws {ConfigurationError} (variable `conn`) when `conn` is not a connection; (variable
 *   `options` or `options.<cache>`, e.g. `options.ohlcv`) when the options or one cache's
 *   entry is not an object.
 * @throws {ValidationError} naming the option of the first cache that rejects its options.
 * @example
 * ```ts
 * await using conn = await connect();
 * const { ticks, orders } = createCaches(conn, { ticks: { ttlMs: 3_600_000 } });
 * await ticks.setTicker({ symbol: 'BTC/USDT', exchange: 'binance', price: 64_000, time: Date.now() });
 * console.log(await orders.getQueueLength('binance'));
 * ```
 */
export function createCaches(conn: CacheConnectionLike, options: CachesOptions = {}): Caches {
  const connection = requireConnection(conn, 'createCaches');
  checkCachesOptions(options);
  return Object.freeze({
    connection,
    ticks: new TickCache(connection, options.ticks),
    symbols: new SymbolCache(connection, options.symbols),
    exchanges: new ExchangeCache(connection, options.exchanges),
    orders: new OrdersCache(connection, options.orders),
    trades: new TradesCache(connection, options.trades),
    accounts: new AccountCache(connection, options.accounts),
    bots: new BotCache(connection, options.bots),
    ohlcv: new OHLCVCache(connection, options.ohlcv),
    processes: new ProcessCache(connection, options.processes),
  });
}

/**
 * Opens a connection and builds every cache on it; `close()` (or `await using`) closes that
 * connection. The cache options are checked by the constructors, on the new connection: when
 * one throws, the connection is closed before the error propagates, so a failed call leaks
 * nothing.
 * @param config - Connection options or a `redis://` URL. Defaults to the environment
 *   (`REDIS_URL`, `REDIS_HOST`…, see `loadConfig`).
 * @param options - Per-cache options (`ticks`, `orders`, …).
 * @returns The caches and `close()`.
 * @throws {ConfigurationError} when the configuration is malformed (variable `config` when it
 *   is neither a URL nor an object), or `options` / `options.<cache>` is not an object; checked
 *   before connecting.
 * @throws {ConnectionError} naming host:port when Redis cannot be reached.
 * @throws {ValidationError} naming a cache option out of range.
 * @example
 * ```ts
 * await using caches = await openCaches();
 * await caches.ticks.setTicker({ symbol: 'BTC/USDT', exchange: 'binance', price: 64_000, time: Date.now() });
 * ```
 */
export function openCaches(
  config?: ConnectOptions | string,
  options: CachesOptions = {},
): Promise<OwnedCaches> {
  return openCache(
    config,
    () => {
      if (config !== undefined && typeof config !== 'string' && !isPlainObject(config)) {
        throw new ConfigurationError('config', 'must be a redis:// URL or connection options');
      }
      checkCachesOptions(options);
    },
    (conn) => {
      const owned: OwnedCaches = {
        ...createCaches(conn, options),
        close: () => closeCache(owned),
        dispose: () => closeCache(owned),
        [Symbol.asyncDispose]: () => closeCache(owned),
      };
      return Object.freeze(owned);
    },
  );
}
