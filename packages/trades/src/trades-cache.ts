import { isUtf8 } from 'node:buffer';
import {
  type CacheConnectionLike,
  type ConnectOptions,
  DecodeError,
  type SendOptions,
  ValidationError,
} from '@fullon/core';
import {
  asPromise,
  Count,
  cacheOptions,
  checkName,
  closeCache,
  countOption,
  DEFAULT_CHUNK_SIZE,
  decodeListed,
  decodeStoredTime,
  EpochMs,
  Id,
  inChunks,
  isNameText,
  MAX_COUNT,
  MAX_NAME_LENGTH,
  openCache,
  plainOptions,
  requireConnection,
  runOperation,
  takeQueued,
  ttlOption,
  validate,
  validateAt,
  waitOption,
} from '@fullon/core/author';
import { isValidTrade } from './fast-check.js';
import { type MarketKeys, marketOf, TradeKeys } from './keys.js';
import { encodeTrade, TradeLayout } from './layouts.js';
import { Trade, type TradeAnalytics } from './schema.js';
import { checkPushScript } from './scripts/check-push.js';
import { deleteStatusesScript } from './scripts/delete-statuses.js';
import { CORRUPT_COUNTER, type PushKeys, pushTradesScript } from './scripts/push-trades.js';
import { stampStatusScript } from './scripts/stamp-status.js';

/** Default cap of every trade list: 100 000 trades. */
export const DEFAULT_MAX_TRADES = 100_000;
/** Default lifetime of lists, drop counters and status stamps after their last write: 7 days. */
export const DEFAULT_TRADES_TTL_MS = 7 * 86_400_000;

const BUFFERS: SendOptions = { buffers: true };
const COUNTER = /^\d{1,15}$/;
/** Most stamps a status index keeps; past it, the oldest stamps are dropped. */
const MAX_STATUSES = '10000';

/** Options of the {@link TradesCache} constructor and {@link TradesCache.open}. */
export interface TradesCacheOptions {
  /**
   * Most trades one list holds (each market's pending trades, each user's trades per exchange).
   * A push beyond it drops the oldest trades and counts them ({@link TradesCache.getOverflow},
   * {@link TradesCache.getUserOverflow}). Whole number from 1 to 10 000 000. Defaults to
   * 100 000.
   */
  maxTrades?: number;
  /**
   * Lifetime in ms of a list after its last push, of a drop counter after its last drop, and of
   * a status index after its last stamp; a list nobody pushes to for this long disappears with
   * its trades. Defaults to 604 800 000 (7 days).
   */
  ttlMs?: number;
}

/** Options of {@link TradesCache.getTrades} and {@link TradesCache.peekTrades}. */
export interface ReadTradesOptions {
  /** Read at most this many trades, oldest first (1 to 10 000 000). Defaults to all of them. */
  limit?: number;
}

/** Options of {@link TradesCache.popUserTrade}. */
export interface PopUserTradeOptions {
  /**
   * How long to wait for a trade, in ms (0 to 2 147 483 647); `0` takes one if there is one
   * and returns at once. The wait runs on a dedicated connection, so it may be longer than the
   * socket timeout. Defaults to 0 (no wait, as Python's `timeout=0` did with LPOP).
   */
  timeoutMs?: number;
}

interface ResolvedOptions {
  maxTrades: string;
  ttlMs: string;
}

function resolveOptions(options: TradesCacheOptions | undefined): ResolvedOptions {
  const opts = cacheOptions(options, 'TradesCache');
  return {
    maxTrades: String(countOption(opts.maxTrades, DEFAULT_MAX_TRADES, 'maxTrades')),
    ttlMs: String(ttlOption(opts.ttlMs, DEFAULT_TRADES_TTL_MS)),
  };
}

/** Checks a trade on the hot path; the schema (which names the field) only for a bad one. */
function parseTrade(trade: unknown, label?: string): Trade {
  if (isValidTrade(trade)) return trade;
  return label === undefined ? validate(Trade, trade, 'trade') : validateAt(Trade, trade, label);
}

/** The refusal of a symbol that holds nothing but slashes (it names no market). */
function noMarket(field: string): ValidationError {
  return new ValidationError(field, `${field}: must hold a character other than "/"`);
}

/** Checks a symbol and returns its market (the symbol without slashes). */
function marketFor(symbol: string, field: string): string {
  const market = marketOf(symbol);
  if (market === '') throw noMarket(field);
  return market;
}

/** What a push answers when its list's drop counter is corrupt (nothing was pushed). */
function corruptCounter(dropped: string, field: string): DecodeError {
  return new DecodeError(
    dropped,
    field,
    'the drop counter is not a whole number (or the key is not a hash); nothing was pushed',
  );
}

/** The `limit` of read options; a number, `null` or a `Map` as options is refused, not ignored. */
function checkLimit(options: ReadTradesOptions | undefined): number | undefined {
  const limit = plainOptions(options).limit;
  return limit === undefined ? undefined : validate(Count, limit, 'limit');
}

function parseCounter(reply: string | null, key: string, field: string): number {
  if (reply === null) return 0;
  if (!COUNTER.test(reply)) {
    throw new DecodeError(key, field, 'the drop counter is not a whole number');
  }
  return Number(reply);
}

/** A status index member as a status key: a name in well-formed UTF-8, else stored garbage. */
function statusKeyOf(member: Buffer, index: string): string {
  const key = member.toString('utf8');
  if (isUtf8(member) && key.length > 0 && key.length <= MAX_NAME_LENGTH && isNameText(key))
    return key;
  throw new DecodeError(index, undefined, 'a member is not a status key (a name)');
}

/**
 * Trades: per-market lists of pending trades that a consumer drains atomically, per-user trade
 * queues with a blocking pop, and status stamps saying when trades were last pushed.
 *
 * A market's trades are one Redis list (`BTC/USDT` and `BTCUSDT` name the same list, as in the
 * Python original), pushed in order and drained oldest first by one command, so a trade pushed
 * while a consumer drains is either in that drain or left for the next — never lost. Every list
 * holds at most `maxTrades` (default 100 000): a push beyond it drops the oldest trades and
 * counts them. Lists, drop counters and status indexes live `ttlMs` (default 7 days) after
 * their last write. Status stamps are kept in two sorted-set indexes (each keeps its newest
 * 10 000 stamps), so listing them never scans.
 *
 * @example
 * ```ts
 * await using trades = await TradesCache.open();
 * await trades.pushTrade('binance', { tradeId: 1, symbol: 'BTC/USDT', side: 'buy',
 *   volume: 0.5, price: 64_000, cost: 32_000, fee: 3.2, time: Date.now() });
 * const batch = await trades.getTrades('BTC/USDT', 'binance'); // drained, oldest first
 * const when = await trades.getTradeStatus('binance');          // epoch ms of the last push
 *
 * await trades.pushUserTrade(42, 'kraken', fill);
 * const next = await trades.popUserTrade(42, 'kraken', { timeoutMs: 30_000 });
 * ```
 */
export class TradesCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnectionLike;
  readonly #keys: TradeKeys;
  readonly #maxTrades: string;
  readonly #ttl: string;

  /**
   * @param conn - An open connection (from `connect()` of `@fullon/core`); the cache does not
   *   close it.
   * @param options - `maxTrades` (default 100 000), `ttlMs` (default 7 days).
   * @throws {ConfigurationError} when `conn` is not a connection, or naming `options` when they
   *   are not a plain object (`null`, a number, a `Map`…).
   * @throws {ValidationError} naming the option that is out of range.
   */
  constructor(conn: CacheConnectionLike, options: TradesCacheOptions = {}) {
    this.connection = requireConnection(conn, 'TradesCache');
    const resolved = resolveOptions(options);
    this.#maxTrades = resolved.maxTrades;
    this.#ttl = resolved.ttlMs;
    this.#keys = new TradeKeys(this.connection.keys);
  }

  /**
   * Opens a connection of its own and a cache on it; closing the cache closes the connection.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Cache options.
   * @returns The cache, for `await using trades = await TradesCache.open()`.
   * @throws {ValidationError} when an option is invalid (checked before connecting).
   * @throws {ConfigurationError} when the configuration is malformed.
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(
    config?: ConnectOptions | string,
    options: TradesCacheOptions = {},
  ): Promise<TradesCache> {
    return openCache(
      config,
      () => resolveOptions(options),
      (conn) => new TradesCache(conn, options),
    );
  }

  /** Closes the connection if {@link TradesCache.open} created it; idempotent. */
  close(): Promise<void> {
    return closeCache(this);
  }

  /** Same as `close()`, for containers that call `dispose()` (tsyringe, awilix disposers). */
  dispose(): Promise<void> {
    return this.close();
  }

  /** Same as {@link TradesCache.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ── market trade lists ─────────────────────────────────────────────────────────────────

  /**
   * Appends a trade to its market's list (the market is `trade.symbol` without slashes), then
   * stamps the exchange's trade status (as Python's `push_trade` does). The push, the cap and
   * the drop count are one atomic step; the stamp is a second command, sent after the push
   * succeeded, because the status index spans every exchange (another cluster slot). A status
   * index that holds garbage does not fail the push (which was applied: a retry would push the
   * trade twice); it is reported through the connection's `onCorrupt` hook instead.
   * @param exchange - Exchange name.
   * @param trade - The trade; validated against {@link Trade}.
   * @returns The list length after the push (at most `maxTrades`).
   * @throws {ValidationError} naming `exchange` or the trade's field; nothing is written.
   * @throws {DecodeError} naming the key when the list or its drop counter is corrupt (or of
   *   another Redis type); nothing is written.
   * @throws {ConnectionError} when Redis is unreachable (the push may or may not have happened).
   */
  pushTrade(exchange: string, trade: Trade): Promise<number> {
    return asPromise(() => {
      checkName(exchange, 'exchange');
      const parsed = parseTrade(trade);
      const target = this.#target(exchange, parsed.symbol, 'symbol');
      const bytes = encodeTrade(this.connection.codec, parsed);
      // The push and the stamp after it are one operation: close() drains both. Promise steps
      // rather than async bodies: one layer less per call on a hot write.
      return runOperation(this.connection, (conn) =>
        pushTradesScript(conn, target.pushKeys, {
          field: target.market,
          cap: this.#maxTrades,
          ttlMs: this.#ttl,
          trades: [bytes],
        }).then((length) => {
          if (length === CORRUPT_COUNTER) throw corruptCounter(target.dropped, target.market);
          return this.#stampPushed(conn, exchange).then(() => length);
        }),
      );
    });
  }

  /**
   * Appends many trades of one exchange, each to its market's list, in input order, then
   * stamps the exchange's trade status once. Each market's trades go in one script call per
   * 500 trades (atomic each), all calls issued at once; markets of one exchange share a slot.
   * A batch of more than one call is first checked for stored garbage in one read-only script,
   * so a batch that meets a corrupt list or counter writes nothing. A status index that holds
   * garbage is reported through `onCorrupt`, as in {@link TradesCache.pushTrade}.
   * @param exchange - Exchange name.
   * @param trades - The trades; every one is validated before anything is written.
   * @returns How many trades were pushed (all of them: a push is never refused, the cap drops
   *   the oldest).
   * @throws {ValidationError} naming `exchange` or the trade and field, e.g. `trades[3].price`;
   *   nothing is written.
   * @throws {DecodeError} naming the key when a list or its drop counter is corrupt (or of
   *   another Redis type); nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async pushTrades(exchange: string, trades: readonly Trade[]): Promise<number> {
    checkName(exchange, 'exchange');
    if (!Array.isArray(trades)) throw new ValidationError('trades', 'trades: must be an array');
    // By market, not by spelling: BTC/USDT and BTCUSDT trades share one list and one order.
    const byMarket = new Map<string, { target: MarketKeys; items: Buffer[] }>();
    trades.forEach((trade, i) => {
      const parsed = parseTrade(trade, `trades[${i}]`);
      const target = this.#target(exchange, parsed.symbol, `trades[${i}].symbol`);
      const bytes = encodeTrade(this.connection.codec, parsed);
      const group = byMarket.get(target.market);
      if (group === undefined) byMarket.set(target.market, { target, items: [bytes] });
      else group.items.push(bytes);
    });
    if (trades.length === 0) return 0;
    const groups = [...byMarket.values()];
    await runOperation(this.connection, async (conn) => {
      if (groups.length > 1 || trades.length > DEFAULT_CHUNK_SIZE) {
        await checkPushScript(
          conn,
          [this.#keys.dropped(exchange), ...groups.map(({ target }) => target.list)],
          {
            cap: this.#maxTrades,
            fields: groups.map(({ target }) => target.market),
            counts: groups.map(({ items }) => items.length),
          },
        );
      }
      await Promise.all(
        groups.map(({ target, items }) =>
          inChunks(
            items,
            async (slice) => [await this.#push(conn, target.pushKeys, target.market, slice)],
            DEFAULT_CHUNK_SIZE,
          ),
        ),
      );
      await this.#stampPushed(conn, exchange);
    });
    return trades.length;
  }

  /**
   * Drains a market's pending trades, oldest first: the trades are read and removed by one
   * command (LPOP with a count), so a trade pushed meanwhile is either in this answer or left
   * for the next call — never lost (the Python version lost those). `BTC/USDT` and `BTCUSDT`
   * name the same list. A corrupt entry is removed, skipped and reported through the
   * connection's `onCorrupt` hook.
   * @param symbol - Symbol, with or without `/`.
   * @param exchange - Exchange name.
   * @param options - `limit`: drain at most this many (the oldest). Defaults to all.
   * @returns The drained trades, oldest first; `[]` when there are none.
   * @throws {ValidationError} naming `symbol`, `exchange`, `options` (not a plain object: a
   *   number such as `getTrades(symbol, exchange, 1)` is refused, not read as "no limit") or
   *   `limit`; nothing is drained.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getTrades(symbol: string, exchange: string, options?: ReadTradesOptions): Promise<Trade[]> {
    return asPromise(() => {
      const { list: key, market } = this.#listOf(symbol, exchange);
      // No list is longer than MAX_COUNT (the largest cap), so that count drains all of it.
      const count = String(checkLimit(options) ?? MAX_COUNT);
      // Decoded in the command's own promise step: a drain is one promise layer.
      return this.connection.send(key, ['LPOP', key, count], BUFFERS, (items: Buffer[] | null) =>
        this.#decodeList(items ?? [], key, market),
      );
    });
  }

  /**
   * Reads a market's pending trades without removing them, oldest first.
   * @param symbol - Symbol, with or without `/`.
   * @param exchange - Exchange name.
   * @param options - `limit`: at most this many (the oldest). Defaults to all.
   * @returns The trades, oldest first; `[]` when there are none. Corrupt entries are skipped
   *   and reported through `onCorrupt`.
   * @throws {ValidationError} naming `symbol`, `exchange`, `options` (not a plain object: a
   *   number such as `getTrades(symbol, exchange, 1)` is refused, not read as "no limit") or
   *   `limit`; nothing is drained.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async peekTrades(
    symbol: string,
    exchange: string,
    options?: ReadTradesOptions,
  ): Promise<Trade[]> {
    const { list: key, market } = this.#listOf(symbol, exchange);
    const limit = checkLimit(options);
    const last = limit === undefined ? '-1' : String(limit - 1);
    const items = await this.connection.send<Buffer[]>(key, ['LRANGE', key, '0', last], BUFFERS);
    return this.#decodeList(items, key, market);
  }

  /**
   * Figures over a market's pending trades (not drained), from one read of the list: count,
   * buy and sell volume, VWAP, total cost and fee, first and last trade time.
   * @param symbol - Symbol, with or without `/`.
   * @param exchange - Exchange name.
   * @returns The figures; with no pending trade, zeros and `null` for `vwap`, `firstTime`,
   *   `lastTime`. Corrupt entries are skipped (not counted) and reported through `onCorrupt`.
   * @throws {ValidationError} naming `symbol` or `exchange`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getTradeAnalytics(symbol: string, exchange: string): Promise<TradeAnalytics> {
    const trades = await this.peekTrades(symbol, exchange);
    let buyVolume = 0;
    let sellVolume = 0;
    let notional = 0;
    let totalCost = 0;
    let totalFee = 0;
    let firstTime: number | null = null;
    let lastTime: number | null = null;
    for (const trade of trades) {
      if (trade.side === 'buy') buyVolume += trade.volume;
      else sellVolume += trade.volume;
      notional += trade.price * trade.volume;
      totalCost += trade.cost;
      totalFee += trade.fee;
      if (firstTime === null || trade.time < firstTime) firstTime = trade.time;
      if (lastTime === null || trade.time > lastTime) lastTime = trade.time;
    }
    const volume = buyVolume + sellVolume;
    return {
      count: trades.length,
      buyVolume,
      sellVolume,
      vwap: volume > 0 ? notional / volume : null,
      totalCost,
      totalFee,
      firstTime,
      lastTime,
    };
  }

  /**
   * How many trades of a market the cap dropped (the oldest, when a push found the list full),
   * since the counter was created; it lives `ttlMs` after the last drop.
   * @param symbol - Symbol, with or without `/`.
   * @param exchange - Exchange name.
   * @returns The count; `0` when none was dropped.
   * @throws {ValidationError} naming `symbol` or `exchange`.
   * @throws {DecodeError} when the stored counter is not a whole number.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getOverflow(symbol: string, exchange: string): Promise<number> {
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    const market = marketFor(symbol, 'symbol');
    const key = this.#keys.dropped(exchange);
    const reply = await this.connection.send<string | null>(key, ['HGET', key, market]);
    return parseCounter(reply, key, market);
  }

  // ── user trade queues ──────────────────────────────────────────────────────────────────

  /**
   * Appends a trade to a user's queue on an exchange (FIFO with {@link popUserTrade}).
   * @param userId - The user.
   * @param exchange - Exchange name.
   * @param trade - The trade; validated against {@link Trade}. Its `userId`, when given, must be
   *   `userId`.
   * @returns The queue length after the push (at most `maxTrades`; the oldest are dropped and
   *   counted beyond it, see {@link getUserOverflow}).
   * @throws {ValidationError} naming `userId`, `exchange` or the trade's field; nothing is
   *   written.
   * @throws {DecodeError} when the queue's drop counter is corrupt; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async pushUserTrade(userId: string | number, exchange: string, trade: Trade): Promise<number> {
    const user = String(validate(Id, userId, 'userId'));
    checkName(exchange, 'exchange');
    const parsed = parseTrade(trade);
    if (parsed.userId !== undefined && String(parsed.userId) !== user) {
      throw new ValidationError(
        'userId',
        `userId: the trade belongs to user ${JSON.stringify(parsed.userId)}, not to ${JSON.stringify(user)}`,
      );
    }
    const keys = [this.#keys.userTrades(exchange, user), this.#keys.userDropped(exchange)] as const;
    return this.#push(this.connection, keys, user, [encodeTrade(this.connection.codec, parsed)]);
  }

  /**
   * Takes the oldest trade of a user's queue on an exchange, waiting up to `timeoutMs` for one.
   * The wait runs on a dedicated connection: it may be longer than the socket timeout, and the
   * shared connection stays free meanwhile; it ends by its deadline (within a few ms).
   *
   * At least once: a pop that fails (a stall, a lost connection) never takes a trade with it.
   * The trade moves into the queue's in-flight set and leaves it once this call holds it; a
   * trade whose reply never arrived goes back to the head of the queue 30 s later, on the next
   * pop. A trade may therefore, rarely, be delivered twice — deduplicate by `tradeId`.
   *
   * A stored entry that is not a trade of this user is taken off the queue, reported through
   * the connection's `onCorrupt` hook and skipped: the pop goes on with the next entry (within
   * the same deadline), so one bad entry cannot block the queue.
   * @param userId - The user.
   * @param exchange - Exchange name.
   * @param options - `timeoutMs` (default 0: no wait).
   * @returns The trade, or `null` when none came in time.
   * @throws {ValidationError} naming `userId`, `exchange`, `options` (not a plain object) or
   *   `timeoutMs`.
   * @throws {DecodeError} naming the key when the queue or its in-flight set holds another
   *   Redis type; nothing is taken.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async popUserTrade(
    userId: string | number,
    exchange: string,
    options?: PopUserTradeOptions,
  ): Promise<Trade | null> {
    const user = String(validate(Id, userId, 'userId'));
    checkName(exchange, 'exchange');
    const timeoutMs = waitOption(plainOptions(options).timeoutMs, 0);
    const key = this.#keys.userTrades(exchange, user);
    const inFlight = this.#keys.userTradesInFlight(exchange, user);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const wait = Math.max(0, deadline - Date.now());
      const bytes = await takeQueued(
        this.connection,
        { queue: key, inFlight },
        { timeoutMs: wait },
      );
      if (bytes === null) return null;
      const trade = decodeListed(this.connection, () => this.#decodeUserTrade(bytes, key, user));
      if (trade !== undefined) return trade;
    }
  }

  /**
   * How many trades of a user's queue on an exchange the cap dropped; the counter lives
   * `ttlMs` after the last drop.
   * @param userId - The user.
   * @param exchange - Exchange name.
   * @returns The count; `0` when none was dropped.
   * @throws {ValidationError} naming `userId` or `exchange`.
   * @throws {DecodeError} when the stored counter is not a whole number.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getUserOverflow(userId: string | number, exchange: string): Promise<number> {
    const user = String(validate(Id, userId, 'userId'));
    checkName(exchange, 'exchange');
    const key = this.#keys.userDropped(exchange);
    const reply = await this.connection.send<string | null>(key, ['HGET', key, user]);
    return parseCounter(reply, key, user);
  }

  // ── status stamps ──────────────────────────────────────────────────────────────────────

  /**
   * Stamps a trade status key (usually an exchange) with the current time. `pushTrade` and
   * `pushTrades` stamp their exchange themselves.
   * @param key - The status key, 1–256 characters.
   * @returns The stamp, epoch ms.
   * @throws {ValidationError} naming `key`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async updateTradeStatus(key: string): Promise<number> {
    checkName(key, 'key');
    const at = Date.now();
    await this.#stamp(this.connection, this.#keys.statusKeys, key, at);
    return at;
  }

  /**
   * When a trade status key was last stamped.
   * @param key - The status key.
   * @returns The stamp (epoch ms), or `null` when never stamped (or the index expired).
   * @throws {ValidationError} naming `key`.
   * @throws {DecodeError} naming the index and `key` when the stored stamp is not an epoch-ms
   *   time (`inf`, negative, past the year 9999).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getTradeStatus(key: string): Promise<number | null> {
    return asPromise(() => this.#readStamp(this.#keys.status, checkName(key, 'key')));
  }

  /**
   * Every trade status stamp, from one read of the index (no SCAN). A stamp that is not an
   * epoch-ms time is skipped and reported through the connection's `onCorrupt` hook.
   * @returns Status key → stamp (epoch ms); `{}` when there is none.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getAllTradeStatuses(): Promise<Record<string, number>> {
    return this.#readStamps(this.#keys.status);
  }

  /**
   * Stamps a user-trade status key with `at` (default now).
   * @param key - The status key, 1–256 characters.
   * @param at - The stamp, epoch ms. Defaults to `Date.now()`.
   * @returns The stamp, epoch ms.
   * @throws {ValidationError} naming `key` or `at` (e.g. a time in seconds).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async updateUserTradeStatus(key: string, at?: number): Promise<number> {
    checkName(key, 'key');
    const stamp = at === undefined ? Date.now() : validate(EpochMs, at, 'at');
    await this.#stamp(this.connection, this.#keys.userStatusKeys, key, stamp);
    return stamp;
  }

  /**
   * When a user-trade status key was last stamped.
   * @param key - The status key.
   * @returns The stamp (epoch ms), or `null` when never stamped (or the index expired).
   * @throws {ValidationError} naming `key`.
   * @throws {DecodeError} naming the index and `key` when the stored stamp is not an epoch-ms
   *   time.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getUserTradeStatus(key: string): Promise<number | null> {
    return asPromise(() => this.#readStamp(this.#keys.userStatus, checkName(key, 'key')));
  }

  /**
   * Every user-trade status stamp, from one read of the index. A stamp that is not an epoch-ms
   * time is skipped and reported through the connection's `onCorrupt` hook.
   * @returns Status key → stamp (epoch ms); `{}` when there is none.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getAllUserTradeStatuses(): Promise<Record<string, number>> {
    return this.#readStamps(this.#keys.userStatus);
  }

  /**
   * Deletes every user-trade status stamp, in one step.
   * @returns How many stamps were deleted.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  deleteUserTradeStatuses(): Promise<number> {
    return deleteStatusesScript(this.connection, this.#keys.userStatusKeys);
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────

  /** The market and keys of a validated symbol on a validated exchange. */
  #target(exchange: string, symbol: string, field: string): MarketKeys {
    const target = this.#keys.market(exchange, symbol);
    if (target === undefined) throw noMarket(field);
    return target;
  }

  #listOf(symbol: string, exchange: string): MarketKeys {
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    return this.#target(exchange, symbol, 'symbol');
  }

  async #push(
    conn: CacheConnectionLike,
    keys: PushKeys,
    field: string,
    items: Buffer[],
  ): Promise<number> {
    const length = await pushTradesScript(conn, keys, {
      field,
      cap: this.#maxTrades,
      ttlMs: this.#ttl,
      trades: items,
    });
    if (length === CORRUPT_COUNTER) throw corruptCounter(keys[1], field);
    return length;
  }

  /** Strict decode of a user's trade: it must be a trade of the user its key names. */
  #decodeUserTrade(bytes: Buffer, key: string, user: string): Trade {
    const trade = TradeLayout.decode(this.connection.codec, bytes, key);
    if (trade.userId !== undefined && String(trade.userId) !== user) {
      throw new DecodeError(
        key,
        undefined,
        `stored trade.userId is ${JSON.stringify(trade.userId)}, not the ${JSON.stringify(user)} its key names`,
      );
    }
    return trade;
  }

  #decodeList(items: readonly Buffer[], key: string, market: string): Trade[] {
    const codec = this.connection.codec;
    const out: Trade[] = [];
    // A list holds one or two spellings of its symbol: check each spelling once.
    let checked: string | undefined;
    items.forEach((bytes, i) => {
      const trade = decodeListed(this.connection, () => {
        const decoded = TradeLayout.decode(codec, bytes, key, String(i));
        if (decoded.symbol === checked) return decoded;
        if (marketOf(decoded.symbol) === market) checked = decoded.symbol;
        else {
          throw new DecodeError(
            key,
            String(i),
            `stored trade.symbol is ${JSON.stringify(decoded.symbol)}, not a symbol of the market ${JSON.stringify(market)} its key names`,
          );
        }
        return decoded;
      });
      if (trade !== undefined) out.push(trade);
    });
    return out;
  }

  #stamp(
    conn: CacheConnectionLike,
    index: readonly [index: string],
    key: string,
    at: number,
  ): Promise<unknown> {
    return stampStatusScript(conn, index, {
      key,
      at,
      cap: MAX_STATUSES,
      ttlMs: this.#ttl,
    });
  }

  /** Stamps an exchange after a push was applied: a corrupt index is reported, not thrown. */
  #stampPushed(conn: CacheConnectionLike, exchange: string): Promise<void> {
    return this.#stamp(conn, this.#keys.statusKeys, exchange, Date.now()).then(
      () => undefined,
      (error: unknown) => {
        if (!DecodeError.is(error)) throw error;
        conn.reportCorrupt(error);
      },
    );
  }

  async #readStamp(index: string, key: string): Promise<number | null> {
    const reply = await this.connection.send<string | null>(index, ['ZSCORE', index, key]);
    return reply === null ? null : decodeStoredTime(reply, index, key);
  }

  async #readStamps(index: string): Promise<Record<string, number>> {
    const reply = await this.connection.send<Buffer[]>(
      index,
      ['ZRANGE', index, '0', '-1', 'WITHSCORES'],
      BUFFERS,
    );
    const entries: [string, number][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const member = reply[i] as Buffer;
      const score = (reply[i + 1] as Buffer).toString();
      const at = decodeListed(this.connection, () => {
        const key = statusKeyOf(member, index);
        return [key, decodeStoredTime(score, index, key)] as [string, number];
      });
      if (at !== undefined) entries.push(at);
    }
    // fromEntries defines own properties: a status key `__proto__` stays a key.
    return Object.fromEntries(entries);
  }
}
