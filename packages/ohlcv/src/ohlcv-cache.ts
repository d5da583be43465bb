import { type CacheConnectionLike, type ConnectOptions, ValidationError } from '@fullon/core';
import {
  Count,
  checkName,
  closeCache,
  countOption,
  openCache,
  optionsObject,
  requireConnection,
  signalOption,
  validate,
} from '@fullon/core/author';
import { checkBars, checkRange, checkSeries, checkTimeframe } from './args.js';
import { readBarRange, readLastBar, readLatestBars } from './bar-reads.js';
import { type BarSubscription, subscribeBars } from './bar-subscription.js';
import { writeBars } from './bar-write.js';
import { OhlcvKeys } from './keys.js';
import { type OHLCVCacheOptions, resolveOptions } from './options.js';
import type { Bar, Timeframe } from './schema.js';
import type { GetOhlcvBarsOptions, OhlcvSubscribeOptions } from './types.js';

/**
 * Candles per market and timeframe: merged by open time (the forming candle updates in place,
 * late bars land in order), capped at the newest `maxBars`, read by count or by time range,
 * and published on every write.
 *
 * Each series `(symbol, exchange, timeframe)` is one Redis sorted set (score = open time,
 * member = the bar's bytes) in a slot of its own; each write is one Lua script. Series expire
 * `ttlMs` after their last write (default 7 days).
 *
 * @example
 * ```ts
 * await using ohlcv = await OHLCVCache.open();
 * await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [
 *   [1_717_171_140_000, 67_010, 67_050, 66_990, 67_020, 12.5],
 *   [1_717_171_200_000, 67_020, 67_030, 67_000, 67_001, 3.1], // the forming candle
 * ]);
 * const last100 = await ohlcv.getLatestOhlcvBars('BTC/USDT', 'binance', '1m', 100);
 * for await (const bar of ohlcv.subscribe({ symbol: 'BTC/USDT', exchange: 'binance', timeframe: '1m', signal })) {
 *   console.log(bar);
 * }
 * ```
 */
export class OHLCVCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnectionLike;
  readonly #keys: OhlcvKeys;
  readonly #maxBars: string;
  readonly #ttl: string;

  /**
   * @param conn - An open connection (from `connect()`); the cache does not close it.
   * @param options - `maxBars` (default 10 000), `ttlMs` (default 7 days).
   * @throws {ConfigurationError} when `conn` is not a connection.
   * @throws {ValidationError} naming the option when one is invalid (`options` when it is not
   *   an object).
   */
  constructor(conn: CacheConnectionLike, options: OHLCVCacheOptions = {}) {
    this.connection = requireConnection(conn, 'OHLCVCache');
    const resolved = resolveOptions(options);
    this.#maxBars = String(resolved.maxBars);
    this.#ttl = String(resolved.ttlMs);
    this.#keys = new OhlcvKeys(this.connection.keys);
  }

  /**
   * Opens a connection of its own and a cache on it; closing the cache closes the connection.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Cache options.
   * @returns The cache, for `await using ohlcv = await OHLCVCache.open()`.
   * @throws {ValidationError} when an option is invalid (checked before connecting).
   * @throws {ConfigurationError} when the configuration is malformed.
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(
    config?: ConnectOptions | string,
    options: OHLCVCacheOptions = {},
  ): Promise<OHLCVCache> {
    return openCache(
      config,
      () => resolveOptions(options),
      (conn) => new OHLCVCache(conn, options),
    );
  }

  /** Closes the connection if {@link OHLCVCache.open} created it. Idempotent. */
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
   * Merges bars into a series by open time, in one atomic step: a bar whose time is stored
   * replaces it (the forming candle updates in place), a new time is inserted in order even
   * when it arrives late, and only the newest `maxBars` are kept. The bars are published on
   * the series' channel (one message per call). Within one call, a later bar with the same
   * time wins.
   * @param symbol - Symbol of the market.
   * @param exchange - Exchange of the market.
   * @param timeframe - One of `1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w`.
   * @param bars - `[time, open, high, low, close, volume]` each; `time` is the candle's open
   *   time in epoch ms, aligned to the timeframe (weeks start Monday 00:00 UTC). An empty
   *   list writes nothing.
   * @throws {ValidationError} naming the bar and field (`bars[3].time`); nothing is written.
   * @throws {DecodeError} when the series key holds another Redis type; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async updateOhlcvBars(
    symbol: string,
    exchange: string,
    timeframe: Timeframe,
    bars: readonly Bar[],
  ): Promise<void> {
    const tf = checkSeries(symbol, exchange, timeframe);
    const sorted = checkBars(bars, tf);
    if (sorted.length === 0) return;
    const names = this.#keys.series(symbol, exchange, tf);
    await writeBars(this.connection, names, sorted, { ttlMs: this.#ttl, maxBars: this.#maxBars });
  }

  /**
   * The newest bars of a series.
   * @param symbol - Symbol of the market.
   * @param exchange - Exchange of the market.
   * @param timeframe - Timeframe of the series.
   * @param count - How many, a whole number from 1 to 10 000 000.
   * @returns Up to `count` bars, oldest first; `[]` when the series does not exist. A corrupt
   *   stored bar is skipped and reported through `onCorrupt`.
   * @throws {ValidationError} naming the argument.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getLatestOhlcvBars(
    symbol: string,
    exchange: string,
    timeframe: Timeframe,
    count: number,
  ): Promise<Bar[]> {
    const tf = checkSeries(symbol, exchange, timeframe);
    const n = validate(Count, count, 'count');
    const key = this.#keys.series(symbol, exchange, tf).bars;
    return readLatestBars(this.connection, key, n, tf);
  }

  /**
   * Bars of a series in a time range, `from` and `to` included.
   * @param symbol - Symbol of the market.
   * @param exchange - Exchange of the market.
   * @param timeframe - Timeframe of the series.
   * @param options - `from`, `to` (epoch ms, inclusive; need not be aligned) and `limit` (the
   *   oldest `limit` from `from` when `from` is given, otherwise the newest `limit` up to `to`).
   * @returns The bars, oldest first; `[]` when none.
   * @throws {ValidationError} naming the option (`from` after `to` included).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getOhlcvBars(
    symbol: string,
    exchange: string,
    timeframe: Timeframe,
    options: GetOhlcvBarsOptions = {},
  ): Promise<Bar[]> {
    const tf = checkSeries(symbol, exchange, timeframe);
    const range = checkRange(options);
    const key = this.#keys.series(symbol, exchange, tf).bars;
    return readBarRange(this.connection, key, range, tf);
  }

  /**
   * The newest bar of a series (often the forming candle).
   * @param symbol - Symbol of the market.
   * @param exchange - Exchange of the market.
   * @param timeframe - Timeframe of the series.
   * @returns The bar, or `null` when the series does not exist.
   * @throws {ValidationError} naming the argument.
   * @throws {DecodeError} when the stored bar is corrupt.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getLastBar(symbol: string, exchange: string, timeframe: Timeframe): Promise<Bar | null> {
    const tf = checkSeries(symbol, exchange, timeframe);
    return readLastBar(this.connection, this.#keys.series(symbol, exchange, tf).bars, tf);
  }

  /**
   * Subscribes to the upserts of one series. Every bar written after `ready` resolves is
   * delivered, in the order written (within one call, oldest first). Uses one channel (no
   * pattern), on the connection's subscriber link.
   * @param options - `symbol`, `exchange`, `timeframe`, and optionally `signal`, `bufferSize`.
   * @returns A stream of bars; iterate it with `for await`.
   * @throws {ValidationError} naming the option.
   */
  subscribe(options: OhlcvSubscribeOptions): BarSubscription {
    if (options === undefined) {
      throw new ValidationError('options', 'options: must be { symbol, exchange, timeframe }');
    }
    // Typed for its fields only: each one is checked below.
    const opts: Partial<OhlcvSubscribeOptions> = optionsObject(options);
    const symbol = checkName(opts.symbol, 'symbol');
    const exchange = checkName(opts.exchange, 'exchange');
    const tf = checkTimeframe(opts.timeframe);
    const signal = signalOption(opts.signal);
    const bufferSize =
      opts.bufferSize === undefined ? undefined : countOption(opts.bufferSize, 0, 'bufferSize');
    const { channel } = this.#keys.series(symbol, exchange, tf);
    return subscribeBars(this.connection, channel, tf, { signal, bufferSize });
  }
}
