import {
  type CacheConnection,
  ConfigurationError,
  type ConnectOptions,
  DecodeError,
  openOwned,
  PositiveMs,
  type RedisArg,
  type SendOptions,
  ValidationError,
  validate,
  WaitMs,
} from '@fullon/core';
import { checkName, checkOptionalMs, parseTick, resolveRef, type SymbolRef } from './args.js';
import { TickKeys } from './keys.js';
import { luaSlot, type Tick, TickLayout, TickUpdate } from './schema.js';
import { DELETE_TICKERS } from './scripts/delete-tickers.js';
import { LIST_TICKERS } from './scripts/list-tickers.js';
import { SET_TICKER } from './scripts/set-ticker.js';
import { SET_TICKERS } from './scripts/set-tickers.js';
import { MERGEABLE_CODECS, UPDATE_TICKER, UpdateStatus } from './scripts/update-ticker.js';
import { TickSubscription } from './tick-subscription.js';

/** Default ticker lifetime after its last write: 24 h. */
const DEFAULT_TICKER_TTL_MS = 86_400_000;
/** Default wait of `waitForTicker`: 30 s. */
const DEFAULT_WAIT_MS = 30_000;
/** Most keys one script call carries, so a large exchange never blocks Redis for long. */
const CHUNK = 500;
const BUFFERS: SendOptions = { buffers: true };
const UPDATABLE = [
  'price',
  'time',
  'volume',
  'bid',
  'ask',
  'last',
  'change',
  'percentage',
] as const;

/** Options of the {@link TickCache} constructor and {@link TickCache.open}. */
export interface TickCacheOptions {
  /**
   * How long a ticker lives after its last write, in ms; a ticker not refreshed within it
   * disappears. Defaults to 86 400 000 (24 h).
   */
  tickerTtlMs?: number;
}

/** Options of {@link TickCache.setTicker} and {@link TickCache.setTickers}. */
export interface SetTickerOptions {
  /** Write even when the stored tick is newer. Defaults to `false`. */
  force?: boolean;
}

/** Options of {@link TickCache.getTicker} and {@link TickCache.getPrice}. */
export interface GetTickerOptions {
  /** Treat a tick whose `time` is more than this many ms in the past as missing. Defaults to no limit. */
  maxAgeMs?: number;
}

/** Options of {@link TickCache.getAllTickers}. */
export interface GetAllTickersOptions {
  /** Only this exchange. Defaults to every exchange that has tickers. */
  exchange?: string;
}

/** Options of {@link TickCache.getAnyTicker}. */
export interface GetAnyTickerOptions {
  /** Exchanges to look in, in order of preference. Defaults to every exchange, in name order. */
  exchanges?: readonly string[];
}

/** Options of {@link TickCache.subscribe}. */
export interface TickSubscribeOptions {
  /** Only this exchange. Defaults to every exchange. */
  exchange?: string;
  /** Only this symbol. Defaults to every symbol. */
  symbol?: string;
  /** Ends the subscription when aborted. */
  signal?: AbortSignal;
  /** Ticks buffered for a slow consumer before the oldest are dropped. Defaults to 10 000. */
  bufferSize?: number;
}

/** Options of {@link TickCache.waitForTicker}. */
export interface WaitForTickerOptions {
  /** How long to wait for a tick, in ms. Defaults to 30 000. */
  timeoutMs?: number;
  /** A stored tick older than this (ms) does not count; wait for the next one. Defaults to no limit. */
  maxAgeMs?: number;
}

/**
 * Live tickers: the latest tick per symbol and exchange, written only when newer, published
 * on every write, with per-exchange listings and a wait-for-next-tick.
 *
 * Each ticker is one Redis hash (its exchange is the hash tag, so an exchange's tickers and its
 * symbol index share a cluster slot); each write is one Lua script that compares times, stores,
 * refreshes the TTL, updates the index and publishes. Tickers expire `tickerTtlMs` after their
 * last write (default 24 h).
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
  readonly connection: CacheConnection;
  readonly #keys: TickKeys;
  readonly #ttl: string;
  /** Exchanges this instance has registered; bounded by the number of exchanges. */
  /** When this instance last registered each exchange (ms); bounded by the exchanges it writes. */
  readonly #registered = new Map<string, number>();
  #owned = false;

  /**
   * @param conn - An open connection (from `connect()`); the cache does not close it.
   * @param options - `tickerTtlMs` (default 24 h).
   * @throws {ValidationError} naming `tickerTtlMs` when it is not a whole number of ms > 0.
   */
  constructor(conn: CacheConnection, options: TickCacheOptions = {}) {
    this.connection = conn;
    this.#keys = new TickKeys(conn.keys);
    this.#ttl = String(
      validate(PositiveMs, options.tickerTtlMs ?? DEFAULT_TICKER_TTL_MS, 'tickerTtlMs'),
    );
  }

  /**
   * Opens a connection of its own and a cache on it; disposing the cache closes the connection.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Cache options.
   * @returns The cache, for `await using ticks = await TickCache.open()`.
   * @throws {ConfigurationError} when the configuration is malformed.
   * @throws {ConnectionError} when Redis cannot be reached.
   * @throws {ValidationError} when an option is invalid (no connection is left open).
   */
  static async open(
    config?: ConnectOptions | string,
    options: TickCacheOptions = {},
  ): Promise<TickCache> {
    validate(PositiveMs, options.tickerTtlMs ?? DEFAULT_TICKER_TTL_MS, 'tickerTtlMs');
    return openOwned(config, (conn) => {
      const cache = new TickCache(conn, options);
      cache.#owned = true;
      return cache;
    });
  }

  /**
   * Stores a tick and publishes it, in one atomic step, unless the stored tick is newer.
   * A tick with the same `time` as the stored one replaces it.
   * @param tick - The tick; validated against {@link Tick}.
   * @param options - `force: true` writes even an older tick. Defaults to `false`.
   * @returns `true` when written (and published), `false` when the stored tick is newer.
   * @throws {ValidationError} naming the field; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async setTicker(tick: Tick, options?: SetTickerOptions): Promise<boolean> {
    const parsed = parseTick(tick);
    const { exchange, symbol } = parsed;
    const names = this.#keys.names(exchange, symbol);
    const status = await this.connection.runScript<number>(
      SET_TICKER,
      [names.ticker, names.index],
      [
        String(parsed.time),
        TickLayout.encode(this.connection.codec, parsed),
        options?.force === true ? '1' : '0',
        this.#ttl,
        names.channel,
        symbol,
      ],
    );
    if (status === 2 || (status === 1 && this.#registrationDue(exchange))) {
      await this.#register(exchange);
    }
    return status !== 0;
  }

  /**
   * Stores many ticks: one script call per exchange (per 500 ticks), all issued concurrently.
   * Each call is atomic; ticks of different exchanges live in different slots, so a failure can
   * leave one exchange's ticks written and another's not. Ticks of one exchange apply in order.
   * @param ticks - The ticks; every one is validated before anything is written.
   * @param options - `force: true` writes even older ticks. Defaults to `false`.
   * @returns Per input tick, whether it was written.
   * @throws {ValidationError} naming the tick and field, e.g. `ticks[3].bid`; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async setTickers(ticks: readonly Tick[], options?: SetTickerOptions): Promise<boolean[]> {
    if (!Array.isArray(ticks))
      throw new ValidationError('ticks', 'ticks: must be an array of ticks');
    const parsed = ticks.map((tick, i) => parseTick(tick, `ticks[${i}]`));
    const byExchange = new Map<string, number[]>();
    parsed.forEach((tick, i) => {
      const group = byExchange.get(tick.exchange);
      if (group === undefined) byExchange.set(tick.exchange, [i]);
      else group.push(i);
    });
    const written = new Array<boolean>(parsed.length).fill(false);
    const force = options?.force === true ? '1' : '0';
    const calls: Promise<void>[] = [];
    for (const [exchange, positions] of byExchange) {
      for (let start = 0; start < positions.length; start += CHUNK) {
        const chunk = positions.slice(start, start + CHUNK);
        calls.push(this.#setChunk(exchange, chunk, parsed, force, written));
      }
    }
    await Promise.all(calls);
    return written;
  }

  async #setChunk(
    exchange: string,
    positions: number[],
    ticks: Tick[],
    force: string,
    written: boolean[],
  ): Promise<void> {
    const keys = this.#keys;
    const scriptKeys = [keys.index(exchange)];
    const args: RedisArg[] = [force, this.#ttl];
    for (const i of positions) {
      const tick = ticks[i] as Tick;
      scriptKeys.push(keys.ticker(exchange, tick.symbol));
      args.push(
        String(tick.time),
        TickLayout.encode(this.connection.codec, tick),
        keys.channel(exchange, tick.symbol),
        tick.symbol,
      );
    }
    const statuses = await this.connection.runScript<number[]>(SET_TICKERS, scriptKeys, args);
    let added = false;
    let any = false;
    positions.forEach((position, j) => {
      const status = statuses[j] ?? 0;
      written[position] = status !== 0;
      added ||= status === 2;
      any ||= status !== 0;
    });
    if (added || (any && this.#registrationDue(exchange))) await this.#register(exchange);
  }

  /**
   * Reads one ticker.
   * @param symbol - Symbol, e.g. `BTC/USDT` (or a `{ symbol, exchange }` reference, then options).
   * @param exchange - Exchange name.
   * @param options - `maxAgeMs`: an older tick counts as missing. Defaults to no limit.
   * @returns The tick, or `null` when there is none (or it is too old).
   * @throws {ValidationError} naming `symbol`, `exchange` or `maxAgeMs`.
   * @throws {DecodeError} (with the key) when the stored value is corrupt.
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
    let key: string;
    let maxAgeMs: number | undefined;
    try {
      if (typeof first === 'string' && typeof second === 'string') {
        // The common call form, without building a reference object.
        const symbol = checkName(first, 'symbol');
        key = this.#keys.ticker(checkName(second, 'exchange'), symbol);
        maxAgeMs = checkOptionalMs(third?.maxAgeMs, 'maxAgeMs');
      } else {
        const ref = resolveRef<GetTickerOptions>(first, second, third);
        maxAgeMs = checkOptionalMs(ref.options?.maxAgeMs, 'maxAgeMs');
        key = this.#keys.ticker(ref.exchange, ref.symbol);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const codec = this.connection.codec;
    return this.connection.send(key, ['HGET', key, 'v'], BUFFERS, (bytes: Buffer | null) =>
      bytes === null ? null : fresh(TickLayout.decode(codec, bytes, key, 'v'), maxAgeMs),
    );
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
    const ref = resolveRef<GetTickerOptions>(first, second, third);
    const tick = await this.#read(
      ref.symbol,
      ref.exchange,
      checkOptionalMs(ref.options?.maxAgeMs, 'maxAgeMs'),
    );
    return tick === null ? null : tick.price;
  }

  /** One HGET of the stored bytes; names and age are already checked. */
  async #read(
    symbol: string,
    exchange: string,
    maxAgeMs: number | undefined,
  ): Promise<Tick | null> {
    const key = this.#keys.ticker(exchange, symbol);
    const bytes = await this.connection.send<Buffer | null>(key, ['HGET', key, 'v'], BUFFERS);
    return bytes === null
      ? null
      : fresh(TickLayout.decode(this.connection.codec, bytes, key, 'v'), maxAgeMs);
  }

  /**
   * Merges fields into the stored tick atomically (read, merge, check, write and publish in one
   * Lua script), refreshes its TTL and publishes the merged tick. `time` changes only when given;
   * no newer-than check applies (use `setTicker` for ordered writes). Fields cannot be removed.
   * @param exchange - Exchange name.
   * @param symbol - Symbol.
   * @param partial - Fields to change; each checked as in {@link Tick}, unknown properties rejected.
   * @returns The merged tick, or `null` when no tick is stored (nothing is created).
   * @throws {ValidationError} naming the field, also when the merged tick would have bid above ask; nothing is written.
   * @throws {DecodeError} when the stored value is not a tick of this layout; nothing is written.
   * @throws {ConfigurationError} when the connection's codec is neither msgpack nor json.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async updateTicker(exchange: string, symbol: string, partial: TickUpdate): Promise<Tick | null> {
    checkName(exchange, 'exchange');
    checkName(symbol, 'symbol');
    const update = validate(TickUpdate, partial, 'partial');
    const keys = this.#keys;
    const key = keys.ticker(exchange, symbol);
    const codec = this.connection.codec.name;
    if (!MERGEABLE_CODECS.includes(codec)) {
      throw new ConfigurationError(
        'codec',
        `updateTicker merges inside Redis and reads only ${MERGEABLE_CODECS.join(' and ')} values, not ${codec}`,
      );
    }
    const args: RedisArg[] = [
      codec,
      this.#ttl,
      keys.channel(exchange, symbol),
      symbol,
      update.time === undefined ? '' : String(update.time),
    ];
    for (const field of UPDATABLE) {
      const value = update[field];
      if (value !== undefined) args.push(String(luaSlot(field)), String(value));
    }
    const [status, bytes] = await this.connection.runScript<[number, Buffer?]>(
      UPDATE_TICKER,
      [key, keys.index(exchange)],
      args,
      BUFFERS,
    );
    if (status === UpdateStatus.missing) return null;
    if (status === UpdateStatus.corrupt) {
      throw new DecodeError(
        key,
        'v',
        `stored value is not a tick of layout version ${TickLayout.version}`,
      );
    }
    if (status === UpdateStatus.bidAboveAsk || bytes === undefined) {
      throw new ValidationError(
        'bid',
        'bid: must be ≤ ask (the merged tick would have bid above ask)',
      );
    }
    if (status === 2 || this.#registrationDue(exchange)) await this.#register(exchange);
    return TickLayout.decode(this.connection.codec, bytes, key, 'v');
  }

  /**
   * Lists one exchange's tickers, sorted by symbol. Symbols whose ticker expired are dropped
   * from the index in the same script that reads the values.
   * @param exchange - Exchange name.
   * @returns The tickers (`[]` when none). A corrupt value is skipped and reported through the
   *   connection's `onCorrupt` hook.
   * @throws {ValidationError} naming `exchange`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getTickers(exchange: string): Promise<Tick[]> {
    checkName(exchange, 'exchange');
    const index = this.#keys.index(exchange);
    const symbols = await this.connection.send<string[]>(index, ['ZRANGE', index, '0', '-1']);
    symbols.sort();
    const chunks: Promise<Tick[]>[] = [];
    for (let start = 0; start < symbols.length; start += CHUNK) {
      chunks.push(this.#listChunk(exchange, index, symbols.slice(start, start + CHUNK)));
    }
    return (await Promise.all(chunks)).flat();
  }

  async #listChunk(exchange: string, index: string, symbols: string[]): Promise<Tick[]> {
    const keys = symbols.map((symbol) => this.#keys.ticker(exchange, symbol));
    const values = await this.connection.runScript<(Buffer | null)[]>(
      LIST_TICKERS,
      [index, ...keys],
      symbols,
      BUFFERS,
    );
    const ticks: Tick[] = [];
    values.forEach((bytes, i) => {
      if (bytes === null) return;
      const tick = this.#decodeListed(bytes, keys[i] ?? index);
      if (tick !== null) ticks.push(tick);
    });
    return ticks;
  }

  #decodeListed(bytes: Buffer, key: string): Tick | null {
    const codec = this.connection.codec;
    return this.connection.decodeListed(() => TickLayout.decode(codec, bytes, key, 'v')) ?? null;
  }

  /**
   * Lists every exchange's tickers, found through the registry of exchanges (not a fixed list),
   * sorted by exchange then symbol.
   * @param options - `exchange` to list only that one. Defaults to every exchange.
   * @returns The tickers (`[]` when none); corrupt values are skipped and reported.
   * @throws {ValidationError} naming `exchange`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getAllTickers(options: GetAllTickersOptions = {}): Promise<Tick[]> {
    if (options.exchange !== undefined) return this.getTickers(options.exchange);
    const exchanges = await this.#exchanges();
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
  async getAnyTicker(symbol: string, options: GetAnyTickerOptions = {}): Promise<Tick | null> {
    checkName(symbol, 'symbol');
    const exchanges =
      options.exchanges === undefined
        ? await this.#exchanges()
        : options.exchanges.map((exchange, i) => checkName(exchange, `exchanges[${i}]`));
    const keys = exchanges.map((exchange) => this.#keys.ticker(exchange, symbol));
    const values = await Promise.all(
      keys.map((key) => this.connection.send<Buffer | null>(key, ['HGET', key, 'v'], BUFFERS)),
    );
    for (let i = 0; i < values.length; i++) {
      const bytes = values[i];
      if (bytes === null || bytes === undefined) continue;
      const tick = this.#decodeListed(bytes, keys[i] ?? symbol);
      if (tick !== null) return tick;
    }
    return null;
  }

  /**
   * Deletes one ticker and its index entry.
   * @param symbol - Symbol.
   * @param exchange - Exchange name.
   * @returns How many tickers were deleted: 1, or 0 when there was none.
   * @throws {ValidationError} naming `symbol` or `exchange`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async deleteTicker(symbol: string, exchange: string): Promise<number> {
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    const keys = this.#keys;
    return this.connection.runScript<number>(
      DELETE_TICKERS,
      [keys.index(exchange), keys.ticker(exchange, symbol)],
      [symbol],
    );
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
    checkName(exchange, 'exchange');
    const keys = this.#keys;
    // Unregister first: a symbol added from now on registers the exchange again.
    this.#registered.delete(exchange);
    await this.connection.send(keys.registry, ['ZREM', keys.registry, exchange]);
    const index = keys.index(exchange);
    const symbols = await this.connection.send<string[]>(index, ['ZRANGE', index, '0', '-1']);
    const counts: Promise<number>[] = [];
    for (let start = 0; start < symbols.length; start += CHUNK) {
      const chunk = symbols.slice(start, start + CHUNK);
      const tickerKeys = chunk.map((symbol) => keys.ticker(exchange, symbol));
      counts.push(this.connection.runScript<number>(DELETE_TICKERS, [index, ...tickerKeys], chunk));
    }
    return (await Promise.all(counts)).reduce((sum, n) => sum + n, 0);
  }

  /**
   * Streams ticks as they are written: one ticker (`exchange` and `symbol`), one exchange, one
   * symbol on every exchange, or everything. The subscription starts at once; await `ready`
   * to know it is live. Payloads that do not decode are skipped and reported.
   * @param options - `exchange`, `symbol`, `signal` (ends it), `bufferSize` (default 10 000).
   * @returns An async iterable of ticks; see {@link TickSubscription}.
   * @throws {ValidationError} naming `exchange` or `symbol`.
   */
  subscribe(options: TickSubscribeOptions = {}): TickSubscription {
    const exchange =
      options.exchange === undefined ? undefined : checkName(options.exchange, 'exchange');
    const symbol = options.symbol === undefined ? undefined : checkName(options.symbol, 'symbol');
    const keys = this.#keys;
    const target =
      exchange !== undefined && symbol !== undefined
        ? { channels: [keys.channel(exchange, symbol)] }
        : { patterns: [keys.pattern(exchange, symbol)] };
    const pending = this.connection.subscribe({
      ...target,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.bufferSize === undefined ? {} : { bufferSize: options.bufferSize }),
    });
    return new TickSubscription(this.connection, pending);
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
    options: WaitForTickerOptions = {},
  ): Promise<Tick | null> {
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    const timeoutMs =
      options.timeoutMs === undefined
        ? DEFAULT_WAIT_MS
        : validate(WaitMs, options.timeoutMs, 'timeoutMs');
    const maxAgeMs = checkOptionalMs(options.maxAgeMs, 'maxAgeMs');
    const subscription = this.subscribe({ symbol, exchange });
    try {
      await subscription.ready;
      const current = await this.#read(symbol, exchange, maxAgeMs);
      if (current !== null) return current;
      return await nextWithin(subscription, timeoutMs, maxAgeMs);
    } finally {
      await subscription.close();
    }
  }

  /** Closes the connection if {@link TickCache.open} created it; otherwise does nothing. Idempotent. */
  async close(): Promise<void> {
    if (this.#owned) await this.connection.close();
  }

  /** Same as `close()`, for `await using ticks = await TickCache.open()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Adds an exchange to the registry, which lives in another slot than the write script's keys.
   * Called when a write reports a symbol new to the exchange's index, and on this instance's
   * first write to an exchange, so a registration lost between the two steps (a crash, a failed
   * ZADD) is repaired by the next new symbol or by the next process that writes there. The
   * registry is a sorted set scored by deadline (now + ticker TTL), renewed by writers at least
   * every half TTL, so an exchange that stops ticking drops out when its tickers expire.
   */
  async #register(exchange: string): Promise<void> {
    const registry = this.#keys.registry;
    const now = Date.now();
    const ttl = Number(this.#ttl);
    await this.connection.send(registry, ['ZADD', registry, String(now + ttl), exchange]);
    await this.connection.send(registry, ['PEXPIRE', registry, this.#ttl, 'GT']);
    await this.connection.send(registry, ['PEXPIRE', registry, this.#ttl, 'NX']);
    this.#registered.set(exchange, now);
  }

  /** Whether this instance should renew the exchange's registration (not within half a TTL). */
  #registrationDue(exchange: string): boolean {
    const last = this.#registered.get(exchange);
    return last === undefined || Date.now() - last > Number(this.#ttl) / 2;
  }

  /** @returns Registered exchange names whose deadline has not passed, sorted. */
  async #exchanges(): Promise<string[]> {
    const registry = this.#keys.registry;
    const now = String(Date.now());
    await this.connection.send(registry, ['ZREMRANGEBYSCORE', registry, '-inf', `(${now}`]);
    const exchanges = await this.connection.send<string[]>(registry, [
      'ZRANGE',
      registry,
      '0',
      '-1',
    ]);
    return exchanges.sort();
  }
}

/** The tick, or `null` when it is more than `maxAgeMs` old. */
function fresh(tick: Tick, maxAgeMs: number | undefined): Tick | null {
  return maxAgeMs !== undefined && tick.time < Date.now() - maxAgeMs ? null : tick;
}

/**
 * The subscription's next tick that is fresh enough, or `null` after `timeoutMs`. On a cluster a
 * tick published just before the subscription may still be delivered to it, so a stale one is
 * skipped here as it is when read.
 */
async function nextWithin(
  subscription: TickSubscription,
  timeoutMs: number,
  maxAgeMs: number | undefined,
): Promise<Tick | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, null);
  });
  try {
    for (;;) {
      const result = await Promise.race([subscription.next(), timeout]);
      if (result === null || result.done === true) return null;
      if (fresh(result.value, maxAgeMs) !== null) return result.value;
    }
  } finally {
    clearTimeout(timer);
  }
}
