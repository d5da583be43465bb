import type { CacheConnectionLike, ConnectOptions } from '@fullon/core';
import {
  asPromise,
  checkName,
  closeCache,
  type Id,
  idKey,
  openCache,
  requireConnection,
  ScriptReply,
} from '@fullon/core/author';
import { acquireArgs, holdArgs, releaseArgs, renewArgs, updateBotArgs } from './args.js';
import { type BlockHold, type HoldBlockOptions, startHold } from './block-hold.js';
import { BotKeys } from './keys.js';
import { LeaseStore } from './leases.js';
import { type BotCacheOptions, resolveOptions } from './options.js';
import type { BotStatus, JsonValue, LeaseInfo, LeaseResult } from './schema.js';
import { StatusStore } from './status-store.js';
import type { LeaseOptions, ReleaseOptions, RenewOptions, UpdateBotOptions } from './types.js';

/**
 * Exclusive leases on symbols for trading bots, opening-position markers, and bot status
 * records.
 *
 * `blockExchange` is a lease, not Python's blind overwrite: a second bot does not take a held
 * block, the holder renews it by blocking again (or `renewBlock`, or `holdBlock` which renews
 * for you), and it expires after `ttlMs` (default 60 s, measured by the Redis server's clock)
 * so a crashed bot never blocks a symbol forever. Every acquisition hands out a fencing token
 * larger than any before it: pass it with the writes the block protects, and have them refuse
 * a token lower than the highest they have seen. Opening-position markers follow the same
 * rules. Status records merge atomically and expire `ttlMs` (default 24 h) after their last
 * update.
 *
 * @example
 * ```ts
 * await using bots = await BotCache.open();
 * const block = await bots.blockExchange(1, 'BTC/USDT', 'bot-7', { ttlMs: 30_000 });
 * if (block.acquired) {
 *   try { await trade({ fencingToken: block.token }); }
 *   finally { await bots.unblockExchange(1, 'BTC/USDT', 'bot-7'); }
 * }
 * await bots.updateBot('bot-7', { feed1: { status: 'running', symbols: ['BTC/USDT'] } });
 * ```
 */
export class BotCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnectionLike;
  readonly #blocks: LeaseStore;
  readonly #openings: LeaseStore;
  readonly #status: StatusStore;

  /**
   * @param conn - An open connection (from `connect()` of `@fullon/core`); the cache does not
   *   close it.
   * @param options - `ttlMs` of status records (default 24 h).
   * @throws {ConfigurationError} when `conn` is not a connection.
   * @throws {ValidationError} naming `ttlMs` when it is not a whole number of ms from 1 to ten
   *   years.
   */
  constructor(conn: CacheConnectionLike, options: BotCacheOptions = {}) {
    this.connection = requireConnection(conn, 'BotCache');
    const { ttlMs } = resolveOptions(options);
    const keys = new BotKeys(this.connection.keys);
    this.#blocks = new LeaseStore(this.connection, keys.block, 'block');
    this.#openings = new LeaseStore(this.connection, keys.opening, 'opening marker');
    this.#status = new StatusStore(this.connection, keys, ttlMs);
  }

  /**
   * Opens a connection of its own and a cache on it; closing the cache closes the connection.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Cache options, checked before connecting.
   * @returns The cache, for `await using bots = await BotCache.open()`.
   * @throws {ValidationError} when an option is invalid (no connection is opened).
   * @throws {ConfigurationError} when the configuration is malformed.
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(config?: ConnectOptions | string, options: BotCacheOptions = {}): Promise<BotCache> {
    return openCache(
      config,
      () => resolveOptions(options),
      (conn) => new BotCache(conn, options),
    );
  }

  /** Closes the connection if `open()` created it; idempotent. */
  close(): Promise<void> {
    return closeCache(this);
  }

  /** Same as `close()`, for containers that call `dispose()` (tsyringe, awilix disposers). */
  dispose(): Promise<void> {
    return this.close();
  }

  /** Same as {@link BotCache.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ------------------------------------------------------------------ blocks

  /**
   * Blocks a symbol of an exchange account for one bot: an exclusive lease with a fencing token.
   * Free (or expired): the bot takes it with a new token. Held by the same bot: renewed, same
   * token. Held by another bot: not taken (`acquired: false`, with the holder) unless
   * `force: true`, which takes it with a new token.
   * @param exId - Exchange account id (`7` and `'7'` are the same).
   * @param symbol - Symbol.
   * @param botId - The bot asking (compared and returned in string form).
   * @param options - `ttlMs` (default 60 000), `force`.
   * @returns Whether the bot holds the block, the holder, and the token when it does.
   * @throws {ValidationError} naming `exId`, `symbol`, `botId` or the option; nothing is written.
   * @throws {DecodeError} when the stored block is malformed (`force` replaces it).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  blockExchange(
    exId: Id,
    symbol: string,
    botId: Id,
    options: LeaseOptions = {},
  ): Promise<LeaseResult> {
    return asPromise(() => {
      const a = acquireArgs(exId, symbol, botId, options);
      return this.#blocks.acquire(a.exId, a.symbol, a.botId, a.ttl, a.force);
    });
  }

  /**
   * Extends a block held by `botId` to `ttlMs` from now; the token stays.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @param botId - The holder.
   * @param options - `ttlMs` (default 60 000); `token` to renew only that acquisition.
   * @returns `true` when renewed; `false` when the block expired, was released, or is held by
   *   another bot or under another token.
   * @throws {ValidationError} naming the argument; nothing is written.
   * @throws {DecodeError} when the stored block is malformed.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async renewBlock(
    exId: Id,
    symbol: string,
    botId: Id,
    options: RenewOptions = {},
  ): Promise<boolean> {
    const a = renewArgs(exId, symbol, botId, options);
    const [status] = await this.#blocks.renew(a.exId, a.symbol, a.botId, a.ttl, a.token);
    return status === ScriptReply.ok;
  }

  /**
   * Releases any holder's block: `options` must say `{ force: true }`.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @param options - `force` (required here; without a botId nothing else may release).
   * @returns `true` when a block was released; `false` when there was none.
   * @throws {ValidationError} when `force: true` is not given; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  unblockExchange(exId: Id, symbol: string, options?: ReleaseOptions): Promise<boolean>;
  /**
   * Releases a block. Only its holder can (`botId`, and `token` when given); `force: true`
   * releases whoever holds it.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @param botId - The holder (`undefined`: give `{ force: true }`).
   * @param options - `force`, `token`.
   * @returns `true` when a block was released; `false` when there was none or another bot
   *   (or another token) holds it.
   * @throws {ValidationError} naming the argument, or `botId` when neither it nor `force: true`
   *   is given; nothing is written.
   * @throws {DecodeError} when the stored block is malformed (`force` removes it).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  unblockExchange(
    exId: Id,
    symbol: string,
    botId: Id | undefined,
    options?: ReleaseOptions,
  ): Promise<boolean>;
  async unblockExchange(
    exId: Id,
    symbol: string,
    botIdOrOptions?: Id | ReleaseOptions,
    options?: ReleaseOptions,
  ): Promise<boolean> {
    const a = releaseArgs(exId, symbol, botIdOrOptions, options);
    return this.#blocks.release(a.exId, a.symbol, a.holder, a.token);
  }

  /**
   * Which bot blocks a symbol.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @returns The holder's botId (string form), or `null` when the symbol is free.
   * @throws {ValidationError} naming `exId` or `symbol`.
   * @throws {DecodeError} when the stored block is malformed.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  isBlocked(exId: Id, symbol: string): Promise<string | null> {
    return asPromise(() => this.#blocks.holder(idKey(exId, 'exId'), checkName(symbol, 'symbol')));
  }

  /**
   * Every live block, from the block index (expired entries are pruned, never listed). A
   * malformed entry (or a lease key of a foreign Redis type) is skipped and reported through the
   * connection's `onCorrupt` hook.
   * @returns The blocks by exId then symbol; `[]` when there are none.
   * @throws {DecodeError} naming the index when it holds a foreign Redis type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getBlocks(): Promise<LeaseInfo[]> {
    return this.#blocks.list();
  }

  /**
   * Takes a block and keeps it: renews it every third of `ttlMs` until released (`release()`,
   * `await using`, or `signal`), and tells `onLost` if it is lost meanwhile — taken by `force`,
   * expired because renewals came too late, or renewals failing until its deadline.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @param botId - The bot asking.
   * @param options - `ttlMs` (default 60 000), `signal`, `onLost`.
   * @returns The hold, or `null` when another bot holds the block (or `signal` is already
   *   aborted; nothing is taken then).
   * @throws {ValidationError} naming the argument; nothing is written.
   * @throws {DecodeError} when the stored block is malformed.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async holdBlock(
    exId: Id,
    symbol: string,
    botId: Id,
    options: HoldBlockOptions = {},
  ): Promise<BlockHold | null> {
    return startHold(this.#blocks, holdArgs(exId, symbol, botId, options));
  }

  // ----------------------------------------------------------------- openings

  /**
   * Marks that a bot is opening a position on a symbol: the same lease as a block (exclusive,
   * renewed by the same bot, fenced, expiring after `ttlMs`), kept apart from blocks.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @param botId - The bot asking.
   * @param options - `ttlMs` (default 60 000), `force`.
   * @returns Whether the bot holds the marker, the holder, and the token when it does.
   * @throws {ValidationError} naming the argument; nothing is written.
   * @throws {DecodeError} when the stored marker is malformed (`force` replaces it).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  markOpeningPosition(
    exId: Id,
    symbol: string,
    botId: Id,
    options: LeaseOptions = {},
  ): Promise<LeaseResult> {
    return asPromise(() => {
      const a = acquireArgs(exId, symbol, botId, options);
      return this.#openings.acquire(a.exId, a.symbol, a.botId, a.ttl, a.force);
    });
  }

  /**
   * Removes any holder's opening-position marker: `options` must say `{ force: true }`.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @param options - `force` (required here).
   * @returns `true` when a marker was removed.
   * @throws {ValidationError} when `force: true` is not given; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  unmarkOpeningPosition(exId: Id, symbol: string, options?: ReleaseOptions): Promise<boolean>;
  /**
   * Removes an opening-position marker; the same rules as {@link BotCache.unblockExchange}.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @param botId - The holder (`undefined`: give `{ force: true }`).
   * @param options - `force`, `token`.
   * @returns `true` when a marker was removed.
   * @throws {ValidationError} when neither botId nor `force: true` is given; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  unmarkOpeningPosition(
    exId: Id,
    symbol: string,
    botId: Id | undefined,
    options?: ReleaseOptions,
  ): Promise<boolean>;
  async unmarkOpeningPosition(
    exId: Id,
    symbol: string,
    botIdOrOptions?: Id | ReleaseOptions,
    options?: ReleaseOptions,
  ): Promise<boolean> {
    const a = releaseArgs(exId, symbol, botIdOrOptions, options);
    return this.#openings.release(a.exId, a.symbol, a.holder, a.token);
  }

  /**
   * Which bot is opening a position on a symbol.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @returns The holder's botId (string form), or `null` (Python's `False`).
   * @throws {ValidationError} naming `exId` or `symbol`.
   * @throws {DecodeError} when the stored marker is malformed.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  isOpeningPosition(exId: Id, symbol: string): Promise<string | null> {
    return asPromise(() => this.#openings.holder(idKey(exId, 'exId'), checkName(symbol, 'symbol')));
  }

  /**
   * Every live opening-position marker, as {@link BotCache.getBlocks} lists blocks.
   * @returns The markers by exId then symbol; `[]` when there are none.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getOpeningPositions(): Promise<LeaseInfo[]> {
    return this.#openings.list();
  }

  // ------------------------------------------------------------------- status

  /**
   * Merges entries into a bot's status record in one atomic step (top-level keys replace the
   * stored ones; others stay), stamped with the server time. The caller's object is copied,
   * never changed.
   * @param botId - Bot id.
   * @param data - Feed name → plain data (strings, finite numbers, booleans, null, arrays,
   *   plain objects).
   * @param options - `replace: true` replaces the whole record instead.
   * @returns The update time (server clock, epoch ms).
   * @throws {ValidationError} naming `botId` or the offending path (`data.feed1.price`);
   *   nothing is written.
   * @throws {DecodeError} when a key of the record holds a foreign Redis type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async updateBot(
    botId: Id,
    data: Record<string, JsonValue>,
    options: UpdateBotOptions = {},
  ): Promise<number> {
    return this.#status.update(updateBotArgs(botId, data, options));
  }

  /**
   * Reads a bot's status record.
   * @param botId - Bot id.
   * @returns The record, or `null` when the bot has none.
   * @throws {ValidationError} naming `botId`.
   * @throws {DecodeError} when an entry is corrupt.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getBot(botId: Id): Promise<BotStatus | null> {
    return this.#status.get(idKey(botId, 'botId'));
  }

  /**
   * Reads every bot's status record, found through the status index. A bot with a corrupt entry
   * (or a record key of a foreign Redis type) is skipped and reported through the connection's
   * `onCorrupt` hook.
   * @returns botId → record; `{}` when there are none.
   * @throws {DecodeError} naming the index when it holds a foreign Redis type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getBots(): Promise<Record<string, BotStatus>> {
    return this.#status.list();
  }

  /**
   * Deletes a bot's status record.
   * @param botId - Bot id.
   * @returns `true` when it existed.
   * @throws {ValidationError} naming `botId`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async deleteBot(botId: Id): Promise<boolean> {
    return this.#status.delete(idKey(botId, 'botId'));
  }

  /**
   * Deletes every bot's status record (Python's `del_status`); leases are not touched. Each
   * call of the underlying script covers up to 500 bots atomically.
   * @returns How many records existed.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  deleteBots(): Promise<number> {
    return this.#status.deleteAll();
  }
}
