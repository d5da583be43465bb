import {
  type CacheConnectionLike,
  type ConnectOptions,
  DecodeError,
  type SendOptions,
  ValidationError,
} from '@fullon/core';
import {
  asPromise,
  checkName,
  closeCache,
  decodeListed,
  type Id,
  idKey,
  isPlainObject,
  openCache,
  optionsObject,
  requireConnection,
  runOperation,
  signalOption,
  ttlOption,
} from '@fullon/core/author';
import { BlockHold, type HoldBlockOptions, type LeaseLost } from './block-hold.js';
import { BotKeys } from './keys.js';
import { StatusEntryLayout } from './layouts.js';
import { LeaseStore } from './leases.js';
import {
  type BotStatus,
  copyBotData,
  type JsonValue,
  type LeaseInfo,
  type LeaseResult,
} from './schema.js';
import { deleteBotsScript } from './scripts/delete-bots.js';
import { listIndexScript } from './scripts/list-index.js';
import { RenewStatus } from './scripts/renew.js';
import { updateBotScript } from './scripts/update-bot.js';

/** Default lease TTL of blocks and opening markers: 60 s. */
const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_LEASE = String(DEFAULT_LEASE_MS);
/** Default lifetime of a bot status record after its last update: 24 h. */
const DEFAULT_STATUS_TTL_MS = 86_400_000;
/** Most bots one delete script call carries. */
const DELETE_CHUNK = 500;
/** The hash field holding a status record's update time (never a feed name: those are non-empty). */
const UPDATED_FIELD = '';
const BUFFERS: SendOptions = { buffers: true };
const WHOLE = /^(0|[1-9][0-9]{0,15})$/;

/** Options of the {@link BotCache} constructor and {@link BotCache.open}. */
export interface BotCacheOptions {
  /**
   * How long a bot status record lives after its last `updateBot`, in ms, so a bot that stops
   * reporting disappears. Whole ms from 1 to ten years. Defaults to 86 400 000 (24 h). Leases
   * take their TTL per call.
   */
  ttlMs?: number;
}

/** Options of {@link BotCache.blockExchange} and {@link BotCache.markOpeningPosition}. */
export interface LeaseOptions {
  /** Lease TTL in ms (server clock). Whole ms from 1 to ten years. Defaults to 60 000. */
  ttlMs?: number;
  /**
   * Take the lease even from another holder (Python's overwrite behaviour); the previous
   * holder's token is then stale. Defaults to `false`.
   */
  force?: boolean;
}

/** Options of {@link BotCache.renewBlock}. */
export interface RenewOptions {
  /** New TTL from now, in ms. Defaults to 60 000. */
  ttlMs?: number;
  /** Renew only if the lease still carries this token (it was not taken again meanwhile). */
  token?: number;
}

/** Options of {@link BotCache.unblockExchange} and {@link BotCache.unmarkOpeningPosition}. */
export interface ReleaseOptions {
  /** Release whoever holds the lease; needed when no botId is given. Defaults to `false`. */
  force?: boolean;
  /** Release only if the lease still carries this token. */
  token?: number;
}

/** Options of {@link BotCache.updateBot}. */
export interface UpdateBotOptions {
  /** Replace the whole record instead of merging into it (Python's behaviour). Defaults to `false`. */
  replace?: boolean;
}

function resolveOptions(options: unknown): { ttlMs: number } {
  const opts = optionsObject(options);
  return { ttlMs: ttlOption(opts.ttlMs, DEFAULT_STATUS_TTL_MS) };
}

function flag(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new ValidationError(field, `${field}: must be a boolean`);
  return value;
}

function tokenOption(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(field, `${field}: must be a token from a lease (a whole number ≥ 1)`);
  }
  return value;
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
  readonly #keys: BotKeys;
  readonly #ttl: string;
  readonly #blocks: LeaseStore;
  readonly #openings: LeaseStore;

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
    this.#ttl = String(resolveOptions(options).ttlMs);
    this.#keys = new BotKeys(this.connection.keys);
    this.#blocks = new LeaseStore(this.connection, this.#keys.block, 'block');
    this.#openings = new LeaseStore(this.connection, this.#keys.opening, 'opening marker');
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
    return this.#acquire(this.#blocks, exId, symbol, botId, options);
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
    const ex = idKey(exId, 'exId');
    const sym = checkName(symbol, 'symbol');
    const bot = idKey(botId, 'botId');
    const opts = optionsObject(options);
    const ttl = String(ttlOption(opts.ttlMs, DEFAULT_LEASE_MS));
    const token = tokenOption(opts.token, 'token');
    const [status] = await this.#blocks.renew(ex, sym, bot, ttl, token);
    return status === RenewStatus.renewed;
  }

  /**
   * Releases a block. Only its holder can (`botId`, and `token` when given); without a botId,
   * `{ force: true }` releases whoever holds it.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @param botId - The holder; or the options, `{ force: true }`, to release any holder.
   * @param options - `force`, `token`.
   * @returns `true` when a block was released; `false` when there was none or another bot
   *   (or another token) holds it.
   * @throws {ValidationError} when neither botId nor `force: true` is given; nothing is written.
   * @throws {DecodeError} when the stored block is malformed (`force` removes it).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  unblockExchange(
    exId: Id,
    symbol: string,
    botId?: Id | ReleaseOptions,
    options?: ReleaseOptions,
  ): Promise<boolean> {
    return this.#release(this.#blocks, exId, symbol, botId, options);
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
    const ex = idKey(exId, 'exId');
    const sym = checkName(symbol, 'symbol');
    const bot = idKey(botId, 'botId');
    const opts = optionsObject(options);
    const ttlMs = ttlOption(opts.ttlMs, DEFAULT_LEASE_MS);
    const { onLost } = opts;
    const signal = signalOption(opts.signal);
    if (onLost !== undefined && typeof onLost !== 'function') {
      throw new ValidationError('onLost', 'onLost: must be a function');
    }
    if (aborted(signal)) return null;
    const sentAt = performance.now();
    const result = await this.#blocks.acquire(ex, sym, bot, String(ttlMs), false);
    if (!result.acquired) return null;
    const hold = new BlockHold(
      {
        store: this.#blocks,
        exId: ex,
        symbol: sym,
        botId: bot,
        ttlMs,
        token: result.token,
        expiresAt: result.expiresAt,
        sentAt,
      },
      onLost as ((lost: LeaseLost) => void) | undefined,
      signal,
    );
    // Aborted while acquiring: give the block back at once.
    if (aborted(signal)) await hold.release();
    return hold;
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
    return this.#acquire(this.#openings, exId, symbol, botId, options);
  }

  /**
   * Removes an opening-position marker; the same rules as {@link BotCache.unblockExchange}.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @param botId - The holder; or the options, `{ force: true }`, to remove any holder's.
   * @param options - `force`, `token`.
   * @returns `true` when a marker was removed.
   * @throws {ValidationError} when neither botId nor `force: true` is given; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  unmarkOpeningPosition(
    exId: Id,
    symbol: string,
    botId?: Id | ReleaseOptions,
    options?: ReleaseOptions,
  ): Promise<boolean> {
    return this.#release(this.#openings, exId, symbol, botId, options);
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
    const bot = idKey(botId, 'botId');
    const copy = copyBotData(data);
    const replace = flag(optionsObject(options).replace, 'replace');
    const codec = this.connection.codec;
    const entries = Object.entries(copy).map(
      ([key, value]) => [key, StatusEntryLayout.encode(codec, { key, botId: bot, value })] as const,
    );
    return updateBotScript(
      this.connection,
      { status: this.#keys.status(bot), index: this.#keys.statusIndex },
      { botId: bot, ttl: this.#ttl, replace, entries },
    );
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
    const bot = idKey(botId, 'botId');
    const key = this.#keys.status(bot);
    const flat = await this.connection.send<Buffer[]>(key, ['HGETALL', key], BUFFERS);
    return flat.length === 0 ? null : this.#decodeStatus(bot, key, flat);
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
    const bots = await this.#statusIds();
    const reads = await Promise.all(
      bots.map((bot) => {
        const key = this.#keys.status(bot);
        // A record key of a foreign Redis type is stored garbage: reported and skipped.
        return this.connection
          .send<Buffer[]>(key, ['HGETALL', key], BUFFERS)
          .catch((error: unknown) => this.#skipCorrupt(error));
      }),
    );
    const out: [string, BotStatus][] = [];
    bots.forEach((bot, i) => {
      const flat = reads[i] ?? [];
      if (flat.length === 0) return; // expired since the index was read
      const status = decodeListed(this.connection, () =>
        this.#decodeStatus(bot, this.#keys.status(bot), flat),
      );
      if (status !== undefined) out.push([bot, status]);
    });
    return Object.fromEntries(out);
  }

  /**
   * Deletes a bot's status record.
   * @param botId - Bot id.
   * @returns `true` when it existed.
   * @throws {ValidationError} naming `botId`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async deleteBot(botId: Id): Promise<boolean> {
    const bot = idKey(botId, 'botId');
    const removed = await deleteBotsScript(
      this.connection,
      { index: this.#keys.statusIndex, statuses: [this.#keys.status(bot)] },
      { botIds: [bot] },
    );
    return removed === 1;
  }

  /**
   * Deletes every bot's status record (Python's `del_status`); leases are not touched. Each
   * call of the underlying script covers up to 500 bots atomically.
   * @returns How many records existed.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  deleteBots(): Promise<number> {
    // One operation, the listing included: close() lets it run whole, every batch too.
    return runOperation(this.connection, async (conn) => {
      const bots = await this.#statusIds(conn);
      let removed = 0;
      for (let start = 0; start < bots.length; start += DELETE_CHUNK) {
        const botIds = bots.slice(start, start + DELETE_CHUNK);
        const statuses = botIds.map((bot) => this.#keys.status(bot));
        removed += await deleteBotsScript(
          conn,
          { index: this.#keys.statusIndex, statuses },
          { botIds },
        );
      }
      return removed;
    });
  }

  // ---------------------------------------------------------------- internals

  #acquire(
    store: LeaseStore,
    exId: Id,
    symbol: string,
    botId: Id,
    options: LeaseOptions,
  ): Promise<LeaseResult> {
    return asPromise(() => {
      const ex = idKey(exId, 'exId');
      const sym = checkName(symbol, 'symbol');
      const bot = idKey(botId, 'botId');
      const opts = optionsObject(options);
      const ttl = opts.ttlMs === undefined ? DEFAULT_LEASE : String(ttlOption(opts.ttlMs, 0));
      return store.acquire(ex, sym, bot, ttl, flag(opts.force, 'force'));
    });
  }

  async #release(
    store: LeaseStore,
    exId: Id,
    symbol: string,
    botIdOrOptions: Id | ReleaseOptions | undefined,
    options: ReleaseOptions | undefined,
  ): Promise<boolean> {
    const ex = idKey(exId, 'exId');
    const sym = checkName(symbol, 'symbol');
    // Only a plain object in the botId place is the options; an array, Map or Date is a botId
    // of the wrong type and is named as such.
    const givenOptions = isPlainObject(botIdOrOptions);
    const bot =
      givenOptions || botIdOrOptions === undefined ? undefined : idKey(botIdOrOptions, 'botId');
    const opts = optionsObject(givenOptions ? botIdOrOptions : options);
    const force = flag(opts.force, 'force');
    const token = tokenOption(opts.token, 'token');
    if (bot === undefined && !force) {
      throw new ValidationError(
        'botId',
        'botId: give the holder, or { force: true } to release whoever holds it',
      );
    }
    return store.release(ex, sym, force ? undefined : bot, force ? undefined : token);
  }

  #skipCorrupt(error: unknown): Buffer[] {
    if (!DecodeError.is(error)) throw error;
    this.connection.reportCorrupt(error);
    return [];
  }

  #decodeStatus(bot: string, key: string, flat: Buffer[]): BotStatus {
    let updatedAt: number | undefined;
    const data: [string, JsonValue][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const field = (flat[i] as Buffer).toString('utf8');
      const bytes = flat[i + 1] as Buffer;
      if (field === UPDATED_FIELD) {
        const text = bytes.toString('utf8');
        if (!WHOLE.test(text)) throw new DecodeError(key, field, 'malformed update time');
        updatedAt = Number(text);
      } else {
        const entry = StatusEntryLayout.decode(this.connection.codec, bytes, key, field, {
          key: field,
          botId: bot,
        });
        data.push([field, entry.value ?? null]);
      }
    }
    if (updatedAt === undefined) throw new DecodeError(key, undefined, 'update time missing');
    data.sort(([a], [b]) => byName(a, b));
    return { botId: bot, updatedAt, data: Object.fromEntries(data) };
  }

  async #statusIds(conn: CacheConnectionLike = this.connection): Promise<string[]> {
    return (await listIndexScript(conn, { index: this.#keys.statusIndex })).sort(byName);
  }
}
