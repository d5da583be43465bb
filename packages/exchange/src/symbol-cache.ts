import { type CacheConnection, type ConnectOptions, Name, openOwned } from '@fullon/core';
import { DEFAULT_LOAD_TIMEOUT_MS, DEFAULT_METADATA_TTL_MS } from './defaults.js';
import { readHash, readHashField } from './hash-read.js';
import { COMPLETE_MARKER, symbolsKey } from './keys.js';
import { decodeSymbol, SymbolLayout } from './layouts.js';
import { SingleFlight, type Source } from './read-through.js';
import type { CachedSymbol, SymbolInfo } from './schema.js';
import { deleteKeys } from './scripts/delete-keys.js';
import { replaceHash } from './scripts/replace-hash.js';
import { upsertHashField } from './scripts/upsert-hash-field.js';
import { parseSymbol, parseSymbols, sortSymbols } from './symbol-input.js';
import { check, checkMs, checkWaitMs } from './validation.js';

/** Options of {@link SymbolCache}. */
export interface SymbolCacheOptions {
  /**
   * Read-through loader: called on a miss with the exchange name, its result stored with the
   * TTL and returned. Concurrent misses for one exchange call it once. Without it a miss
   * returns `[]` / `null` / `false`.
   */
  load?: (exchange: string) => Promise<SymbolInfo[]>;
  /** How long a cached symbol set lives, in ms. Defaults to 86 400 000 (24 h). */
  ttlMs?: number;
  /**
   * How long a loader may take, in ms; past it the callers waiting on it get a `TimeoutError`
   * and the next call loads again. Defaults to 30 000.
   */
  loadTimeoutMs?: number;
}

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
 * const exchange = new ccxt.kraken();
 * await using symbols = await SymbolCache.open(undefined, {
 *   load: async (name) =>
 *     Object.values(await exchange.loadMarkets()).map((m) => ({
 *       symbol: m.symbol, base: m.base, quote: m.quote, futures: m.future === true,
 *     })),
 * });
 * const btc = await symbols.getSymbol('BTC/USD', 'kraken'); // loads once, then from Redis
 * ```
 */
export class SymbolCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnection;
  /** TTL of a cached symbol set, in ms. */
  readonly ttlMs: number;
  readonly #load: ((exchange: string) => Promise<SymbolInfo[]>) | undefined;
  readonly #flights: SingleFlight;
  #owned: CacheConnection | undefined;

  /**
   * @param conn - An open connection (not closed by this cache).
   * @param options - Loader and TTL.
   * @throws {ValidationError} when `ttlMs` is not a whole number of ms > 0.
   */
  constructor(conn: CacheConnection, options: SymbolCacheOptions = {}) {
    this.connection = conn;
    this.ttlMs = checkMs(options.ttlMs, DEFAULT_METADATA_TTL_MS, 'ttlMs');
    this.#flights = new SingleFlight(
      checkWaitMs(options.loadTimeoutMs, DEFAULT_LOAD_TIMEOUT_MS, 'loadTimeoutMs'),
    );
    this.#load = options.load;
  }

  /**
   * Opens a connection of its own; `close()` (or `await using`) closes it.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Loader and TTL.
   * @returns The cache.
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(
    config?: ConnectOptions | string,
    options: SymbolCacheOptions = {},
  ): Promise<SymbolCache> {
    return openOwned(config, (conn) => {
      const cache = new SymbolCache(conn, options);
      cache.#owned = conn;
      return cache;
    });
  }

  /**
   * Every symbol of an exchange, sorted by symbol. A corrupt entry is skipped and reported
   * through the connection's `onCorrupt` hook.
   * @param exchange - Exchange name, e.g. `kraken`.
   * @returns The symbols; `[]` on a miss without a loader.
   * @throws {ValidationError} when `exchange` is invalid, or the loader returns invalid symbols.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getSymbols(exchange: string): Promise<CachedSymbol[]> {
    const name = check(Name, exchange, 'exchange');
    const key = symbolsKey(this.connection.keys, name);
    const read = async () => {
      const fields = await readHash(this.connection, key);
      if (fields === undefined) return undefined;
      const symbols: CachedSymbol[] = [];
      for (const [field, bytes] of fields) {
        const stored = this.connection.decodeListed(() =>
          decodeSymbol(this.connection.codec, bytes, key, field),
        );
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
   * @throws {DecodeError} when the stored value is corrupt.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getSymbol(symbol: string, exchange: string): Promise<CachedSymbol | null> {
    const wanted = check(Name, symbol, 'symbol');
    const name = check(Name, exchange, 'exchange');
    const key = symbolsKey(this.connection.keys, name);
    const read = async () => {
      const { value, present } = await readHashField(this.connection, key, wanted);
      if (value !== null) {
        return { ...decodeSymbol(this.connection.codec, value, key, wanted), exchange: name };
      }
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
    const wanted = check(Name, symbol, 'symbol');
    const name = check(Name, exchange, 'exchange');
    const key = symbolsKey(this.connection.keys, name);
    const read = async () => {
      const { value, present } = await readHashField(this.connection, key, wanted);
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
    const name = check(Name, exchange, 'exchange');
    const parsed = parseSymbols(name, symbols, 'symbols');
    const key = symbolsKey(this.connection.keys, name);
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
    const name = check(Name, exchange, 'exchange');
    const parsed = parseSymbol(name, symbol, 'symbol');
    const key = symbolsKey(this.connection.keys, name);
    this.#flights.forget(key);
    const written = await this.connection.runScript<number>(
      upsertHashField,
      [key],
      [
        String(this.ttlMs),
        this.#load === undefined ? '1' : '0',
        COMPLETE_MARKER,
        parsed.symbol,
        SymbolLayout.encode(this.connection.codec, parsed),
      ],
    );
    return written === 1;
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
    const wanted = check(Name, symbol, 'symbol');
    const name = check(Name, exchange, 'exchange');
    const key = symbolsKey(this.connection.keys, name);
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
    const name = check(Name, exchange, 'exchange');
    const key = symbolsKey(this.connection.keys, name);
    this.#flights.forget(key);
    return (await this.connection.runScript<number>(deleteKeys, [key], [])) === 1;
  }

  /** Closes the connection if `open()` created it; a connection passed in is left open. */
  async close(): Promise<void> {
    const owned = this.#owned;
    this.#owned = undefined;
    await owned?.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #source(exchange: string, key: string): Source<CachedSymbol[]> | undefined {
    const load = this.#load;
    if (load === undefined) return undefined;
    return {
      load: async () => sortSymbols(parseSymbols(exchange, await load(exchange), 'loaded')),
      store: (symbols) => this.#store(key, symbols),
    };
  }

  async #store(key: string, symbols: readonly CachedSymbol[]): Promise<void> {
    const args: (string | Buffer)[] = [String(this.ttlMs), COMPLETE_MARKER];
    for (const symbol of symbols) {
      args.push(symbol.symbol, SymbolLayout.encode(this.connection.codec, symbol));
    }
    await this.connection.runScript(replaceHash, [key], args);
  }
}
