import {
  type CacheConnectionLike,
  type ConnectOptions,
  DecodeError,
  type SendOptions,
  ValidationError,
} from '@fullon/core';
import {
  Count,
  checkName,
  closeCache,
  countOption,
  DecodedSubscription,
  decodeListed,
  EpochMs,
  openCache,
  optionsObject,
  requireConnection,
  signalOption,
  ttlOption,
  validate,
  validateAt,
} from '@fullon/core/author';
import * as v from 'valibot';
import { encodeBars } from './bar-bytes.js';
import type { BarSubscription } from './bar-subscription.js';
import { OhlcvKeys } from './keys.js';
import { BarLayout, barTuple } from './layouts.js';
import { Bar, isAligned, isValidBar, TIMEFRAME_MS, Timeframe } from './schema.js';
import { upsertBars } from './scripts/upsert-bars.js';

/** Default cap per series: the newest 10 000 bars. */
const DEFAULT_MAX_BARS = 10_000;
/** Default lifetime of a series after its last write: 7 days. */
const DEFAULT_TTL_MS = 7 * 86_400_000;
const BUFFERS: SendOptions = { buffers: true };

/** Options of the {@link OHLCVCache} constructor and {@link OHLCVCache.open}. */
export interface OHLCVCacheOptions {
  /** Bars kept per series (market and timeframe); older ones are dropped. Defaults to 10 000. */
  maxBars?: number;
  /**
   * How long a series lives after its last write, in ms: a market nobody updates any more
   * disappears instead of staying forever. Defaults to 604 800 000 (7 days).
   */
  ttlMs?: number;
}

/** Options of {@link OHLCVCache.getOhlcvBars}. */
export interface GetOhlcvBarsOptions {
  /** First open time included (epoch ms). Defaults to the oldest bar. */
  from?: number;
  /** Last open time included (epoch ms). Defaults to the newest bar. */
  to?: number;
  /**
   * Most bars returned: the oldest `limit` from `from` when `from` is given, otherwise the
   * newest `limit` up to `to`. Defaults to no limit.
   */
  limit?: number;
}

/** Options of {@link OHLCVCache.subscribe}. */
export interface OhlcvSubscribeOptions {
  /** Symbol of the market. */
  symbol: string;
  /** Exchange of the market. */
  exchange: string;
  /** Timeframe of the series. */
  timeframe: Timeframe;
  /** Ends the subscription when aborted. */
  signal?: AbortSignal;
  /**
   * Upserts buffered for a slow consumer before the oldest are dropped: a whole number from 1
   * to 10 000 000. Defaults to 10 000.
   */
  bufferSize?: number;
}

interface ResolvedOptions {
  maxBars: number;
  ttlMs: number;
}

function resolveOptions(options: unknown): ResolvedOptions {
  const opts = optionsObject(options);
  return {
    maxBars: countOption(opts.maxBars, DEFAULT_MAX_BARS, 'maxBars'),
    ttlMs: ttlOption(opts.ttlMs, DEFAULT_TTL_MS),
  };
}

function checkTimeframe(timeframe: unknown): Timeframe {
  if (typeof timeframe === 'string' && Object.hasOwn(TIMEFRAME_MS, timeframe)) {
    return timeframe as Timeframe;
  }
  return validate(Timeframe, timeframe, 'timeframe');
}

const RangeOptions = v.object({
  from: v.optional(EpochMs),
  to: v.optional(EpochMs),
  limit: v.optional(Count),
});

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
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    const tf = checkTimeframe(timeframe);
    const sorted = checkBars(bars, tf);
    if (sorted.length === 0) return;
    const { members, message } = encodeBars(this.connection.codec, sorted);
    const times: string[] = new Array<string>(sorted.length);
    for (let i = 0; i < sorted.length; i++) times[i] = String((sorted[i] as Bar)[0]);
    const names = this.#keys.series(symbol, exchange, tf);
    await upsertBars(this.connection, names.bars, {
      ttlMs: this.#ttl,
      maxBars: this.#maxBars,
      channel: names.channel,
      message,
      times,
      members,
    });
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
    const tf = this.#checkSeries(symbol, exchange, timeframe);
    const n = validate(Count, count, 'count');
    const key = this.#keys.series(symbol, exchange, tf).bars;
    const members = await this.connection.send<Buffer[]>(
      key,
      ['ZRANGE', key, String(-n), '-1'],
      BUFFERS,
    );
    return this.#decodeList(members, key, tf);
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
    const tf = this.#checkSeries(symbol, exchange, timeframe);
    const { from, to, limit } = validateAt(RangeOptions, optionsObject(options), 'options');
    if (from !== undefined && to !== undefined && from > to) {
      throw new ValidationError('options.from', 'options.from: must be ≤ options.to');
    }
    const key = this.#keys.series(symbol, exchange, tf).bars;
    const low = from === undefined ? '-inf' : String(from);
    const high = to === undefined ? '+inf' : String(to);
    const newestFirst = from === undefined && limit !== undefined;
    const args = newestFirst
      ? ['ZRANGE', key, high, low, 'BYSCORE', 'REV', 'LIMIT', '0', String(limit)]
      : ['ZRANGE', key, low, high, 'BYSCORE'];
    if (!newestFirst && limit !== undefined) args.push('LIMIT', '0', String(limit));
    // A bar stored under a score that is not its time falls outside the range it belongs to.
    // The bars just outside the range are read with their scores too, so such a bar next to
    // the range is reported (onCorrupt) instead of silently missing from the answer.
    const [members, below, above] = await Promise.all([
      this.connection.send<Buffer[]>(key, args, BUFFERS),
      from === undefined ? NONE : this.#neighbour(key, [`(${from}`, '-inf', 'BYSCORE', 'REV']),
      to === undefined ? NONE : this.#neighbour(key, [`(${to}`, '+inf', 'BYSCORE']),
    ]);
    for (const [member, score] of [below, above]) {
      if (member !== undefined && score !== undefined) {
        decodeListed(this.connection, () => this.#decodeScored(member, score, key, tf));
      }
    }
    if (newestFirst) members.reverse();
    return this.#decodeList(members, key, tf);
  }

  /** The first member (and its score) of a `ZRANGE key <range> LIMIT 0 1`. */
  #neighbour(key: string, range: readonly string[]): Promise<Buffer[]> {
    return this.connection.send<Buffer[]>(
      key,
      ['ZRANGE', key, ...range, 'LIMIT', '0', '1', 'WITHSCORES'],
      BUFFERS,
    );
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
    const tf = this.#checkSeries(symbol, exchange, timeframe);
    const key = this.#keys.series(symbol, exchange, tf).bars;
    const [member, score] = await this.connection.send<Buffer[]>(
      key,
      ['ZRANGE', key, '-1', '-1', 'WITHSCORES'],
      BUFFERS,
    );
    if (member === undefined) return null;
    return this.#decodeScored(member, score, key, tf);
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
    const codec = this.connection.codec;
    const pending = this.connection.subscribe({
      channels: [channel],
      ...(signal === undefined ? {} : { signal }),
      ...(bufferSize === undefined ? {} : { bufferSize }),
    });
    return new DecodedSubscription<Bar>(this.connection, pending, (message, from) => {
      let tuples: unknown;
      try {
        tuples = codec.decode(message);
      } catch (cause) {
        throw new DecodeError(from, undefined, 'corrupt bar message', { cause });
      }
      if (!Array.isArray(tuples)) throw new DecodeError(from, undefined, 'not a list of bars');
      const out: Bar[] = [];
      for (const tuple of tuples) {
        const bar = decodeListed(this.connection, () =>
          checkAligned(
            barTuple(BarLayout.verify(BarLayout.fromTuple(tuple, from), from)),
            tf,
            from,
          ),
        );
        if (bar !== undefined) out.push(bar);
      }
      return out;
    });
  }

  #checkSeries(symbol: unknown, exchange: unknown, timeframe: unknown): Timeframe {
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    return checkTimeframe(timeframe);
  }

  #decodeBar(member: Buffer, key: string, tf: Timeframe): Bar {
    return checkAligned(barTuple(BarLayout.decode(this.connection.codec, member, key)), tf, key);
  }

  /** Decodes a member read with its score: the bar's time must be the score. */
  #decodeScored(member: Buffer, score: Buffer | undefined, key: string, tf: Timeframe): Bar {
    const bar = this.#decodeBar(member, key, tf);
    if (String(bar[0]) !== score?.toString()) {
      throw new DecodeError(key, undefined, `stored bar time ${bar[0]} is not its score ${score}`);
    }
    return bar;
  }

  /** Decodes members read in score order, skipping and reporting corrupt bars. */
  #decodeList(members: readonly Buffer[], key: string, tf: Timeframe): Bar[] {
    const out: Bar[] = [];
    let previous = Number.NEGATIVE_INFINITY;
    for (const member of members) {
      const bar = decodeListed(this.connection, () => {
        const decoded = this.#decodeBar(member, key, tf);
        // Members sort by score; a time out of order means a member stored under a score
        // that is not its own time.
        if (decoded[0] <= previous) {
          throw new DecodeError(key, undefined, `stored bar time ${decoded[0]} is out of order`);
        }
        return decoded;
      });
      if (bar === undefined) continue;
      previous = bar[0];
      out.push(bar);
    }
    return out;
  }
}

const NONE: Promise<Buffer[]> = Promise.resolve([]);

function checkAligned(bar: Bar, tf: Timeframe, key: string): Bar {
  if (!isAligned(bar[0], tf)) {
    throw new DecodeError(key, undefined, `stored bar time ${bar[0]} is not aligned to ${tf}`);
  }
  return bar;
}

/**
 * Validates every bar (fast path first; valibot only words the error), checks alignment, and
 * returns the bars sorted by time with duplicates resolved (the later one in the input wins).
 */
function checkBars(bars: unknown, tf: Timeframe): readonly Bar[] {
  if (!Array.isArray(bars)) throw new ValidationError('bars', 'bars: must be an array of bars');
  let ordered = true;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < bars.length; i++) {
    const input: unknown = bars[i];
    const bar = isValidBar(input) ? input : validateBar(input, i);
    const time = bar[0];
    if (!isAligned(time, tf)) {
      throw new ValidationError(
        `bars[${i}].time`,
        `bars[${i}].time: ${time} is not the open time of a ${tf} candle (a multiple of ${TIMEFRAME_MS[tf]} ms${tf === '1w' ? ' from a Monday 00:00 UTC' : ' since 00:00 UTC'})`,
      );
    }
    if (time <= last) ordered = false;
    else last = time;
  }
  // The common case (a feed sends bars in order, each time once) is used as it is: the bars
  // are encoded before this call returns, so the caller's arrays are never kept.
  if (ordered) return bars as Bar[];
  const byTime = new Map<number, Bar>();
  for (const bar of bars as Bar[]) byTime.set(bar[0], bar);
  return [...byTime.values()].sort((a, b) => a[0] - b[0]);
}

const FIELD_NAMES = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Words valibot's first issue; the slot comes from the issue's path, never from its message. */
function validateBar(input: unknown, i: number): Bar {
  const result = v.safeParse(Bar, input);
  if (result.success) return result.output;
  const [issue] = result.issues;
  const path = issue === undefined ? null : v.getDotPath(issue);
  const name = path === null || path === '' ? undefined : FIELD_NAMES[Number(path)];
  const field = name === undefined ? `bars[${i}]` : `bars[${i}].${name}`;
  throw new ValidationError(field, `${field}: ${issue?.message ?? 'invalid'}`, result.issues);
}
