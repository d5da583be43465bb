import type { CacheConnectionLike, ConnectOptions } from '@fullon/core';
import { ValidationError } from '@fullon/core';
import {
  asPromise,
  checkName,
  closeCache,
  DecodedSubscription,
  NameRegistry,
  openCache,
  optionalAge,
  optionsObject,
  plainRecord,
  requireConnection,
  validate,
  waitOption,
} from '@fullon/core/author';
import {
  exchangesOption,
  forceOption,
  maxAgeOption,
  parseTick,
  resolveRef,
  subscribeOptions,
} from './args.js';
import { type TickerNames, TickKeys } from './keys.js';
import { TickLayout } from './layouts.js';
import { findTicker, listTickers } from './listing.js';
import { NearCache, readTicker } from './near-cache.js';
import { resolveOptions, type TickCacheOptions } from './options.js';
import { type Tick, TickUpdate } from './schema.js';
import type {
  GetAllTickersOptions,
  GetAnyTickerOptions,
  GetTickerOptions,
  SetTickerOptions,
  SymbolRef,
  TickSubscribeOptions,
  TickSubscription,
  WaitForTickerOptions,
} from './types.js';
import { DEFAULT_WAIT_MS, waitForTick } from './wait.js';
import { TickWrites } from './writes.js';

/**
 * Live tickers: the latest tick per symbol and exchange, written only when newer, published
 * on every write, with per-exchange listings and a wait-for-next-tick.
 *
 * Each ticker is one Redis hash (its exchange is the hash tag, so an exchange's tickers and its
 * symbol index share a cluster slot); each write is one Lua script that compares times,
 * publishes, stores, refreshes the TTL and updates the index. Tickers expire `ttlMs` after
 * their last write (default 24 h).
 *
 * @example
 * ```ts
 * await using ticks = await TickCache.open();
 * await ticks.setTicker({ symbol: 'BTC/USDT', exchange: 'binance', price: 64_000, time: Date.now() });
 * const tick = await ticks.getTicker('BTC/USDT', 'binance', { maxAgeMs: 5_000 });
 * for await (const t of ticks.subscribe({ exchange: 'binance', signal })) console.log(t.symbol, t.price);
 * ```
 */
export class TickCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnectionLike;
  /** How long a ticker lives after its last write, in ms. */
  readonly ttlMs: number;
  /**
   * The in-process cache of read tickers, with its `stats()`, `live` and `ready()`; `undefined`
   * unless the `nearCache` option is on.
   */
  readonly nearCache: NearCache | undefined;
  readonly #keys: TickKeys;
  /** The exchanges that have tickers (a sorted set of exchange → deadline). */
  readonly #exchanges: NameRegistry;
  readonly #writes: TickWrites;

  /**
   * @param conn - An open connection (from `connect()`); the cache does not close it.
   * @param options - `ttlMs` (default 24 h), `nearCache` (default off).
   * @throws {ConfigurationError} (variable `conn`) when `conn` is not a connection; (variable
   *   `options`) when `options` is not a plain object; (variable `nearCache`) when the near cache
   *   is asked for on a connection without `trackInvalidations`.
   * @throws {ValidationError} naming `ttlMs` when it is not a whole number of ms from 1 to ten
   *   years, `nearCache` when it is neither a boolean nor a plain object, or
   *   `nearCache.maxEntries`.
   */
  constructor(conn: CacheConnectionLike, options?: TickCacheOptions) {
    this.connection = requireConnection(conn, 'TickCache');
    const resolved = resolveOptions(options);
    this.ttlMs = resolved.ttlMs;
    this.#keys = new TickKeys(this.connection.keys);
    this.#exchanges = new NameRegistry(this.connection, this.#keys.registry, this.ttlMs);
    this.nearCache =
      resolved.nearCache === undefined
        ? undefined
        : new NearCache(this.connection, this.#keys.tickerPrefix, resolved.nearCache);
    this.#writes = new TickWrites(
      this.connection,
      this.#keys,
      this.#exchanges,
      this.nearCache,
      this.ttlMs,
    );
  }

  /**
   * Opens a connection of its own and a cache on it; disposing the cache closes the connection.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Cache options, checked before connecting.
   * @returns The cache, for `await using ticks = await TickCache.open()`.
   * @throws {ValidationError} when an option is invalid (no connection is opened).
   * @throws {ConfigurationError} when the configuration is malformed, or `options` is not a plain
   *   object (no connection is opened).
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(config?: ConnectOptions | string, options?: TickCacheOptions): Promise<TickCache> {
    return openCache(
      config,
      () => resolveOptions(options),
      (conn) => new TickCache(conn, options),
    );
  }

  /**
   * Stops the near cache (closing its tracking connections) and closes the connection if
   * {@link TickCache.open} created it; otherwise leaves the connection open. Idempotent.
   */
  async close(): Promise<void> {
    await this.nearCache?.close();
    await closeCache(this);
  }

  /** Same as `close()`, for containers that call `dispose()` (tsyringe, awilix disposers). */
  dispose(): Promise<void> {
    return this.close();
  }

  /** Same as `close()`, for `await using ticks = await TickCache.open()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Stores a tick and publishes it, in one atomic step, unless the stored tick is newer.
   * A tick with the same `time` as the stored one replaces it.
   * @param tick - The tick; validated against {@link Tick}.
   * @param options - `force: true` writes even an older tick. Defaults to `false`.
   * @returns `true` when written (and published), `false` when the stored tick is newer.
   * @throws {ValidationError} naming the field; nothing is written.
   * @throws {DecodeError} naming the ticker or index key when it holds another Redis type;
   *   nothing is written. (A registry key of another type is reported through `onCorrupt`.)
   * @throws {ConnectionError} when Redis is unreachable.
   */
  setTicker(tick: Tick, options?: SetTickerOptions): Promise<boolean> {
    return asPromise(() => this.#writes.setTicker(parseTick(tick), forceOption(options)));
  }

  /**
   * Stores many ticks: one script call per exchange (per 500 ticks), all issued concurrently.
   * Each call is atomic; ticks of different exchanges live in different slots, so a failure can
   * leave one exchange's ticks written and another's not. Ticks of one exchange apply in order.
   * @param ticks - The ticks; every one is validated before anything is written.
   * @param options - `force: true` writes even older ticks. Defaults to `false`.
   * @returns Per input tick, whether it was written.
   * @throws {ValidationError} naming the tick and field, e.g. `ticks[3].bid`; nothing is written.
   * @throws {DecodeError} naming a ticker or index key that holds another Redis type; nothing
   *   is written (a batch of several script calls checks every key before the first write).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async setTickers(ticks: readonly Tick[], options?: SetTickerOptions): Promise<boolean[]> {
    if (!Array.isArray(ticks))
      throw new ValidationError('ticks', 'ticks: must be an array of ticks');
    const parsed = ticks.map((tick, i) => parseTick(tick, `ticks[${i}]`));
    return this.#writes.setTickers(parsed, forceOption(options));
  }

  /**
   * Merges fields into the stored tick atomically (read, check, merge, publish and write in one
   * Lua script), refreshes its TTL and publishes the merged tick. `time` changes only when
   * given; no newer-than check applies (use `setTicker` for ordered writes). Fields cannot be
   * removed.
   * @param symbol - Symbol.
   * @param exchange - Exchange name.
   * @param patch - Fields to change; each checked as in {@link Tick}, unknown properties rejected.
   * @returns The merged tick, or `null` when no tick is stored (nothing is created).
   * @throws {ValidationError} naming the field, also when the merged tick would have bid above ask; nothing is written.
   * @throws {DecodeError} when the stored value is not a valid tick of this ticker; nothing is written.
   * @throws {ConfigurationError} when the connection's codec is neither msgpack nor json.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async updateTicker(symbol: string, exchange: string, patch: TickUpdate): Promise<Tick | null> {
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    const update = validate(TickUpdate, plainRecord(patch, 'patch'), 'patch');
    return this.#writes.updateTicker(symbol, exchange, update);
  }

  /**
   * Reads one ticker.
   * @param symbol - Symbol, e.g. `BTC/USDT` (or a `{ symbol, exchange }` reference, then options).
   * @param exchange - Exchange name.
   * @param options - `maxAgeMs`: an older tick counts as missing. Defaults to no limit.
   * @returns The tick, or `null` when there is none (or it is too old).
   * @throws {ValidationError} naming `symbol`, `exchange` or `maxAgeMs`.
   * @throws {DecodeError} (with the key) when the stored value is corrupt, breaks a rule, or
   *   names another ticker.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getTicker(symbol: string, exchange: string, options?: GetTickerOptions): Promise<Tick | null>;
  /**
   * Reads one ticker by reference.
   * @param ref - `{ symbol, exchange }`.
   * @param options - `maxAgeMs`: an older tick counts as missing. Defaults to no limit.
   * @returns The tick, or `null`.
   */
  getTicker(ref: SymbolRef, options?: GetTickerOptions): Promise<Tick | null>;
  getTicker(
    first: string | SymbolRef,
    second?: string | GetTickerOptions,
    third?: GetTickerOptions,
  ): Promise<Tick | null> {
    // The hot read: one HGET, one promise layer (the reply is decoded where the error is
    // translated), no valibot on valid names.
    return asPromise(() => {
      if (typeof first === 'string' && typeof second === 'string') {
        // The common call form, without building a reference object.
        const symbol = checkName(first, 'symbol');
        const names = this.#keys.names(checkName(second, 'exchange'), symbol);
        return this.#read(names, maxAgeOption(third));
      }
      const ref = resolveRef(first, second, third);
      const maxAgeMs = maxAgeOption(ref.options);
      return this.#read(this.#keys.names(ref.exchange, ref.symbol), maxAgeMs);
    });
  }

  /**
   * Reads one ticker's price.
   * @param symbol - Symbol (or a `{ symbol, exchange }` reference, then options).
   * @param exchange - Exchange name.
   * @param options - `maxAgeMs`, as in {@link TickCache.getTicker}.
   * @returns The price, or `null` when there is no (fresh enough) tick.
   * @throws {ValidationError} | {DecodeError} | {ConnectionError} as {@link TickCache.getTicker}.
   */
  getPrice(symbol: string, exchange: string, options?: GetTickerOptions): Promise<number | null>;
  /**
   * Reads one ticker's price by reference.
   * @param ref - `{ symbol, exchange }`.
   * @param options - `maxAgeMs`.
   * @returns The price, or `null`.
   */
  getPrice(ref: SymbolRef, options?: GetTickerOptions): Promise<number | null>;
  async getPrice(
    first: string | SymbolRef,
    second?: string | GetTickerOptions,
    third?: GetTickerOptions,
  ): Promise<number | null> {
    const ref = resolveRef(first, second, third);
    const maxAgeMs = maxAgeOption(ref.options);
    const tick = await this.#read(this.#keys.names(ref.exchange, ref.symbol), maxAgeMs);
    return tick === null ? null : tick.price;
  }

  /**
   * Lists one exchange's tickers, sorted by symbol. Symbols whose ticker expired are dropped
   * from the index in the same script that reads the values.
   * @param exchange - Exchange name.
   * @returns The tickers (`[]` when none). A corrupt value, or a key of another Redis type, is
   *   skipped and reported through the connection's `onCorrupt` hook.
   * @throws {ValidationError} naming `exchange`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getTickers(exchange: string): Promise<Tick[]> {
    return listTickers(this.connection, this.#keys, checkName(exchange, 'exchange'));
  }

  /**
   * Lists every exchange's tickers, found through the registry of exchanges (not a fixed list),
   * sorted by exchange then symbol.
   * @param options - `exchange` to list only that one. Defaults to every exchange.
   * @returns The tickers (`[]` when none); corrupt values are skipped and reported.
   * @throws {ValidationError} naming `exchange`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getAllTickers(options?: GetAllTickersOptions): Promise<Tick[]> {
    const { exchange } = optionsObject(options);
    if (exchange !== undefined) return this.getTickers(checkName(exchange, 'exchange'));
    const exchanges = await this.#exchanges.list();
    return (await Promise.all(exchanges.map((exchange) => this.getTickers(exchange)))).flat();
  }

  /**
   * Finds a symbol on any exchange: the first exchange, in preference order, that has it.
   * @param symbol - Symbol.
   * @param options - `exchanges` in order of preference. Defaults to every registered exchange, in name order.
   * @returns The tick, or `null` when no exchange has it. A corrupt value is skipped and reported.
   * @throws {ValidationError} naming `symbol` or `exchanges`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getAnyTicker(symbol: string, options?: GetAnyTickerOptions): Promise<Tick | null> {
    checkName(symbol, 'symbol');
    const preferred = exchangesOption(optionsObject(options).exchanges);
    const exchanges = preferred ?? (await this.#exchanges.list());
    return findTicker(this.connection, this.#keys, symbol, exchanges);
  }

  /**
   * Deletes one ticker and its index entry.
   * @param symbol - Symbol.
   * @param exchange - Exchange name.
   * @returns `true` when a ticker was stored.
   * @throws {ValidationError} naming `symbol` or `exchange`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async deleteTicker(symbol: string, exchange: string): Promise<boolean> {
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    return this.#writes.deleteTicker(this.#keys.names(exchange, symbol), symbol);
  }

  /**
   * Deletes every ticker of one exchange and removes the exchange from the registry. A ticker
   * written concurrently for a symbol new to the exchange may survive (and re-registers it).
   * @param exchange - Exchange name.
   * @returns How many tickers were deleted.
   * @throws {ValidationError} naming `exchange`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async deleteExchangeTickers(exchange: string): Promise<number> {
    return this.#writes.deleteExchange(checkName(exchange, 'exchange'));
  }

  /**
   * Streams ticks as they are written: one ticker (`exchange` and `symbol`), one exchange, one
   * symbol on every exchange, or everything. The subscription starts at once; await `ready`
   * to know it is live. Payloads that do not decode are skipped and reported.
   * @param options - `exchange`, `symbol`, `signal` (ends it), `bufferSize` (default 10 000).
   * @returns An async iterable of ticks; see {@link TickSubscription}.
   * @throws {ValidationError} naming `exchange`, `symbol` or `signal`.
   */
  subscribe(options?: TickSubscribeOptions): TickSubscription {
    const { exchange, symbol, ...stream } = subscribeOptions(options);
    const keys = this.#keys;
    const target =
      exchange !== undefined && symbol !== undefined
        ? { channels: [keys.channel(exchange, symbol)] }
        : { patterns: [keys.pattern(exchange, symbol)] };
    const pending = this.connection.subscribe({ ...target, ...stream });
    const codec = this.connection.codec;
    return new DecodedSubscription<Tick>(this.connection, pending, (message, channel) => [
      TickLayout.decode(codec, message, channel),
    ]);
  }

  /**
   * Returns the current tick, or waits for the next one. It subscribes first and reads after
   * the server confirmed, so a tick written at any moment during the call is not missed; the
   * subscription is always closed before returning.
   * @param symbol - Symbol.
   * @param exchange - Exchange name.
   * @param options - `timeoutMs` (default 30 000); `maxAgeMs`: an older stored tick does not count.
   * @returns The tick, or `null` when none arrived within `timeoutMs`.
   * @throws {ValidationError} naming `symbol`, `exchange`, `timeoutMs` or `maxAgeMs`.
   * @throws {DecodeError} when the stored value is corrupt.
   * @throws {PubSubError} when the subscription cannot be made.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async waitForTicker(
    symbol: string,
    exchange: string,
    options?: WaitForTickerOptions,
  ): Promise<Tick | null> {
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    const checked = optionsObject(options);
    const timeoutMs = waitOption(checked.timeoutMs, DEFAULT_WAIT_MS);
    const maxAgeMs = optionalAge(checked.maxAgeMs, 'maxAgeMs');
    const names = this.#keys.names(exchange, symbol);
    const subscription = this.subscribe({ symbol, exchange });
    return waitForTick(subscription, () => this.#read(names, maxAgeMs), timeoutMs, maxAgeMs);
  }

  /** One read of a ticker (near cache first when on); names and age are already checked. */
  #read(names: TickerNames, maxAgeMs: number | undefined): Promise<Tick | null> {
    return readTicker(this.connection, this.nearCache, names, maxAgeMs);
  }
}
