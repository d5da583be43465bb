import type { CacheConnectionLike, ConnectOptions } from '@fullon/core';
import {
  asPromise,
  checkName,
  closeCache,
  EpochMs,
  type Id,
  openCache,
  optionsObject,
  requireConnection,
  validate,
  waitOption,
} from '@fullon/core/author';
import { tradeAnalytics } from './analytics.js';
import { checkLimit, checkUserId, marketFor } from './args.js';
import { type MarketKeys, TradeKeys } from './keys.js';
import {
  drainList,
  marketTarget,
  pushMarketTrade,
  pushMarketTrades,
  readList,
} from './market-lists.js';
import { type ResolvedOptions, resolveOptions, type TradesCacheOptions } from './options.js';
import { readDropped } from './push.js';
import type { Trade, TradeAnalytics } from './schema.js';
import { deleteStatusesScript } from './scripts/delete-statuses.js';
import { readStamp, readStamps, stamp } from './status-stamps.js';
import type { PopUserTradeOptions, ReadTradesOptions } from './types.js';
import { pushUserQueue, takeUserTrade } from './user-queues.js';

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
  readonly #options: ResolvedOptions;

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
    this.#options = resolveOptions(options);
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
      return pushMarketTrade(this.connection, this.#keys, exchange, trade, this.#options);
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
    return pushMarketTrades(this.connection, this.#keys, exchange, trades, this.#options);
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
    return asPromise(() =>
      drainList(this.connection, this.#listOf(symbol, exchange), checkLimit(options)),
    );
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
    const target = this.#listOf(symbol, exchange);
    return readList(this.connection, target, checkLimit(options));
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
    return tradeAnalytics(await this.peekTrades(symbol, exchange));
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
    return readDropped(this.connection, this.#keys.dropped(exchange), marketFor(symbol, 'symbol'));
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
  async pushUserTrade(userId: Id, exchange: string, trade: Trade): Promise<number> {
    const user = checkUserId(userId);
    checkName(exchange, 'exchange');
    return pushUserQueue(this.connection, this.#keys, user, exchange, trade, this.#options);
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
    userId: Id,
    exchange: string,
    options?: PopUserTradeOptions,
  ): Promise<Trade | null> {
    const user = checkUserId(userId);
    checkName(exchange, 'exchange');
    const timeoutMs = waitOption(optionsObject(options).timeoutMs, 0);
    const queue = this.#keys.userTrades(exchange, user);
    const inFlight = this.#keys.userTradesInFlight(exchange, user);
    return takeUserTrade(this.connection, { queue, inFlight }, user, timeoutMs);
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
  async getUserOverflow(userId: Id, exchange: string): Promise<number> {
    const user = checkUserId(userId);
    checkName(exchange, 'exchange');
    return readDropped(this.connection, this.#keys.userDropped(exchange), user);
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
    await stamp(this.connection, this.#keys.statusKeys, key, at, this.#options.ttlMs);
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
    return asPromise(() => readStamp(this.connection, this.#keys.status, checkName(key, 'key')));
  }

  /**
   * Every trade status stamp, from one read of the index (no SCAN). A stamp that is not an
   * epoch-ms time is skipped and reported through the connection's `onCorrupt` hook.
   * @returns Status key → stamp (epoch ms); `{}` when there is none.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getAllTradeStatuses(): Promise<Record<string, number>> {
    return readStamps(this.connection, this.#keys.status);
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
    const when = at === undefined ? Date.now() : validate(EpochMs, at, 'at');
    await stamp(this.connection, this.#keys.userStatusKeys, key, when, this.#options.ttlMs);
    return when;
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
    return asPromise(() =>
      readStamp(this.connection, this.#keys.userStatus, checkName(key, 'key')),
    );
  }

  /**
   * Every user-trade status stamp, from one read of the index. A stamp that is not an epoch-ms
   * time is skipped and reported through the connection's `onCorrupt` hook.
   * @returns Status key → stamp (epoch ms); `{}` when there is none.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getAllUserTradeStatuses(): Promise<Record<string, number>> {
    return readStamps(this.connection, this.#keys.userStatus);
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

  #listOf(symbol: string, exchange: string): MarketKeys {
    checkName(symbol, 'symbol');
    checkName(exchange, 'exchange');
    return marketTarget(this.#keys, exchange, symbol, 'symbol');
  }
}
