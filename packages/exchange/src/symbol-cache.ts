import type { CacheConnectionLike, ConnectOptions } from '@fullon/core';
import {
  closeCache,
  decodeListed,
  deleteKeys,
  Name,
  openCache,
  type ReadThroughSource,
  readCompleteHash,
  readCompleteHashField,
  replaceCompleteHash,
  requireConnection,
  SingleFlight,
  upsertCompleteHashField,
  validate,
} from '@fullon/core/author';
import { ExchangeKeys } from './keys.js';
import { SymbolLayout } from './layouts.js';
import { resolveSymbolOptions, type SymbolCacheOptions, type SymbolLoader } from './options.js';
import type { CachedSymbol, StoredSymbol, SymbolInfo } from './schema.js';
import { parseSymbol, parseSymbols, sortSymbols } from './symbol-input.js';

/**
 * Symbol metadata per exchange, with optional read-through loading from your database or an
 * exchange API.
 *
 * Each exchange's symbols live in one hash (`<prefix>:symbols:{<exchange>}`) with a TTL
 * (default 24 h). The hash is a complete copy: once loaded, a symbol missing from it does not
 * exist and is not loaded again until the set expires or is invalidated.
 *
 * @example
 * ```ts
 * await using symbols = await SymbolCache.open(undefined, {
 *   load: async (exchange) => db.symbols.findByExchange(exchange),
 * });
 * const btc = await symbols.getSymbol('BTC/USD', 'kraken'); // loads once, then from Redis
 * ```
 */
export class SymbolCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnectionLike;
  /** TTL of a cached symbol set, in ms. */
  readonly ttlMs: number;
  readonly #load: SymbolLoader | undefined;
  readonly #flights: SingleFlight;
  readonly #keys: ExchangeKeys;

  /**
   * @param conn - An open connection (from `connect()`); the cache does not close it.
   * @param options - Loader, TTL, load timeout.
   * @throws {ConfigurationError} (variable `conn`) when `conn` is not a connection; naming
   *   `options` when they are not a plain object, or `load` when it is not a function.
   * @throws {ValidationError} naming `ttlMs` or `timeoutMs` when out of range.
   */
  constructor(conn: CacheConnectionLike, options: SymbolCacheOptions = {}) {
    this.connection = requireConnection(conn, 'SymbolCache');
    const resolved = resolveSymbolOptions(options);
    this.ttlMs = resolved.ttlMs;
    this.#flights = new SingleFlight(resolved.timeoutMs);
    this.#load = resolved.load;
    this.#keys = new ExchangeKeys(this.connection.keys);
  }

  /**
   * Opens a connection of its own; `close()` (or `await using`) closes it. The options are
   * checked before connecting.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Loader, TTL, load timeout.
   * @returns The cache.
   * @throws {ValidationError} naming a bad option; no connection is made.
   * @throws {ConfigurationError} naming `options` or `load` when malformed; no connection is
   *   made.
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(
    config?: ConnectOptions | string,
    options: SymbolCacheOptions = {},
  ): Promise<SymbolCache> {
    return openCache(
      config,
      () => resolveSymbolOptions(options),
      (conn) => new SymbolCache(conn, options),
    );
  }

  /** Closes the connection if `open()` created it; a connection passed in is left open. */
  close(): Promise<void> {
    return closeCache(this);
  }

  /** Same as `close()`, for containers that call `dispose()` (tsyringe, awilix disposers). */
  dispose(): Promise<void> {
    return this.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Every symbol of an exchange, sorted by symbol. A corrupt entry (or one stored under another
   * symbol's field) is skipped and reported through the connection's `onCorrupt` hook.
   * @param exchange - Exchange name, e.g. `kraken`.
   * @returns The symbols; `[]` on a miss without a loader.
   * @throws {ValidationError} when `exchange` is invalid, or the loader returns invalid symbols.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getSymbols(exchange: string): Promise<CachedSymbol[]> {
    const name = validate(Name, exchange, 'exchange');
    const key = this.#keys.symbols(name);
    const read = async () => {
      const fields = await readCompleteHash(this.connection, key);
      if (fields === undefined) return undefined;
      const symbols: CachedSymbol[] = [];
      for (const [field, bytes] of fields) {
        const stored = decodeListed(this.connection, () => this.#decode(bytes, key, field));
        if (stored !== undefined) symbols.push({ ...stored, exchange: name });
      }
      return sortSymbols(symbols);
    };
    return this.#flights.through(key, read, this.#source(name, key), (all) => all, []);
  }

  /**
   * One symbol of an exchange.
   * @param symbol - Symbol, e.g. `BTC/USDT`.
   * @param exchange - Exchange name.
   * @returns The symbol, or `null` when the exchange's set does not hold it (or on a miss
   *   without a loader).
   * @throws {ValidationError} when an argument is invalid.
   * @throws {DecodeError} when the stored value is corrupt or another symbol's.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getSymbol(symbol: string, exchange: string): Promise<CachedSymbol | null> {
    const wanted = validate(Name, symbol, 'symbol');
    const name = validate(Name, exchange, 'exchange');
    const key = this.#keys.symbols(name);
    const read = async () => {
      const { value, present } = await readCompleteHashField(this.connection, key, wanted);
      if (value !== null) return { ...this.#decode(value, key, wanted), exchange: name };
      return present ? null : undefined;
    };
    const pick = (all: CachedSymbol[]) => all.find((s) => s.symbol === wanted) ?? null;
    return this.#flights.through(key, read, this.#source(name, key), pick, null);
  }

  /**
   * Whether an exchange lists a symbol (read-through like {@link SymbolCache.getSymbol}).
   * @param symbol - Symbol.
   * @param exchange - Exchange name.
   * @returns `true` when the symbol is cached (or loaded).
   * @throws {ValidationError} when an argument is invalid.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async symbolExists(symbol: string, exchange: string): Promise<boolean> {
    const wanted = validate(Name, symbol, 'symbol');
    const name = validate(Name, exchange, 'exchange');
    const key = this.#keys.symbols(name);
    const read = async () => {
      const { value, present } = await readCompleteHashField(this.connection, key, wanted);
      return value !== null ? true : present ? false : undefined;
    };
    const pick = (all: CachedSymbol[]) => all.some((s) => s.symbol === wanted);
    return this.#flights.through(key, read, this.#source(name, key), pick, false);
  }

  /**
   * Replaces an exchange's whole symbol set in one atomic step (old symbols gone, new ones
   * written, TTL set). `[]` stores "this exchange has no symbols".
   * @param exchange - Exchange name.
   * @param symbols - The complete set; a symbol's `exchange`, if given, must equal `exchange`.
   * @returns How many symbols were stored.
   * @throws {ValidationError} naming the field (e.g. `symbols[2].base`); nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async setSymbols(exchange: string, symbols: readonly SymbolInfo[]): Promise<number> {
    const name = validate(Name, exchange, 'exchange');
    const parsed = parseSymbols(name, symbols, 'symbols');
    const key = this.#keys.symbols(name);
    this.#flights.forget(key);
    await this.#store(key, parsed);
    return parsed.length;
  }

  /**
   * Adds or replaces one symbol and renews the set's TTL. When the exchange's set is not cached
   * and a loader is configured, nothing is written (the next read loads the complete set).
   * @param exchange - Exchange name.
   * @param symbol - The symbol.
   * @returns `true` when written, `false` when skipped as above.
   * @throws {ValidationError} naming the field; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async upsertSymbol(exchange: string, symbol: SymbolInfo): Promise<boolean> {
    const name = validate(Name, exchange, 'exchange');
    const parsed = parseSymbol(name, symbol, 'symbol');
    const key = this.#keys.symbols(name);
    this.#flights.forget(key);
    const bytes = SymbolLayout.encode(this.connection.codec, parsed);
    return upsertCompleteHashField(this.connection, key, parsed.symbol, bytes, {
      ttlMs: this.ttlMs,
      create: this.#load === undefined,
    });
  }

  /**
   * Removes one symbol from an exchange's set (the set stays, so the symbol reads as absent).
   * @param symbol - Symbol.
   * @param exchange - Exchange name.
   * @returns `true` when it was cached.
   * @throws {ValidationError} when an argument is invalid.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async deleteSymbol(symbol: string, exchange: string): Promise<boolean> {
    const wanted = validate(Name, symbol, 'symbol');
    const name = validate(Name, exchange, 'exchange');
    const key = this.#keys.symbols(name);
    this.#flights.forget(key);
    return (await this.connection.send<number>(key, ['HDEL', key, wanted])) === 1;
  }

  /**
   * Drops an exchange's cached set, so the next read calls the loader.
   * @param exchange - Exchange name.
   * @returns `true` when a set was cached.
   * @throws {ValidationError} when `exchange` is invalid.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async invalidate(exchange: string): Promise<boolean> {
    const name = validate(Name, exchange, 'exchange');
    const key = this.#keys.symbols(name);
    this.#flights.forget(key);
    return (await deleteKeys(this.connection, [key])) === 1;
  }

  /** Strict decode: the stored symbol must be the one its hash field names. */
  #decode(bytes: Buffer, key: string, field: string): StoredSymbol {
    return SymbolLayout.decode(this.connection.codec, bytes, key, field, { symbol: field });
  }

  #source(exchange: string, key: string): ReadThroughSource<CachedSymbol[]> | undefined {
    const load = this.#load;
    if (load === undefined) return undefined;
    return {
      load: async () => sortSymbols(parseSymbols(exchange, await load(exchange), 'loaded')),
      store: (symbols) => this.#store(key, symbols),
    };
  }

  async #store(key: string, symbols: readonly CachedSymbol[]): Promise<void> {
    const codec = this.connection.codec;
    const entries = symbols.map((s) => [s.symbol, SymbolLayout.encode(codec, s)] as const);
    await replaceCompleteHash(this.connection, key, entries, this.ttlMs);
  }
}
