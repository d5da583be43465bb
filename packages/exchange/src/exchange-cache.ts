import { type CacheConnectionLike, type ConnectOptions, ValidationError } from '@fullon/core';
import {
  closeCache,
  deleteKeys,
  Id,
  openCache,
  type ReadThroughSource,
  requireConnection,
  SingleFlight,
  validate,
  validateAt,
} from '@fullon/core/author';
import { parseCatExchanges, parseExchange, parseUserExchanges } from './exchange-input.js';
import {
  readCatalog,
  readExchange,
  readUserExchanges,
  sortCatalog,
  sortExchanges,
  storeCatalog,
  storeExchange,
  storeUserList,
} from './exchange-store.js';
import { ExchangeKeys } from './keys.js';
import {
  type ExchangeCacheOptions,
  type ExchangeLoaders,
  resolveExchangeOptions,
  type WsErrorLimits,
} from './options.js';
import type { CatExchange, Exchange, ExchangeInput } from './schema.js';
import { type InvalidateTarget, InvalidateTargetSchema } from './types.js';
import { type PopWsErrorOptions, popWsError, pushWsError } from './ws-errors.js';

/**
 * Exchange accounts, users' exchange lists and the exchange catalog, with optional
 * read-through loading from your database, plus a per-exchange queue of websocket errors.
 *
 * Metadata lives for `ttlMs` (default 24 h); every metadata key carries the hash tag
 * `{exchanges}`, so an exchange and its owner's list change together in one script.
 *
 * @example
 * ```ts
 * await using conn = await connect();
 * const exchanges = new ExchangeCache(conn, {
 *   load: {
 *     exchange: (exId) => db.exchanges.findById(exId),
 *     userExchanges: (userId) => db.exchanges.findByUser(userId),
 *     catExchanges: () => db.catExchanges.findAll(),
 *   },
 * });
 * const account = await exchanges.getExchange(7); // from the database once, then from Redis
 * await exchanges.pushWsError(7, 'socket closed: 1006');
 * const error = await exchanges.popWsError(7, { timeoutMs: 5_000 });
 * ```
 */
export class ExchangeCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnectionLike;
  /** TTL of cached metadata, in ms. */
  readonly ttlMs: number;
  /** Websocket errors kept per exchange (`cap`) and the TTL of a list after its last push. */
  readonly wsErrors: WsErrorLimits;
  readonly #load: ExchangeLoaders;
  readonly #keys: ExchangeKeys;
  readonly #flights: SingleFlight;

  /**
   * @param conn - An open connection (from `connect()`); the cache does not close it.
   * @param options - Loaders, TTL, websocket error cap.
   * @throws {ConfigurationError} (variable `conn`) when `conn` is not a connection; naming
   *   `options` when they are not a plain object (`null`, a number, a `Map`…), or `load` /
   *   `load.<name>` when the loaders are not a plain object of functions.
   * @throws {ValidationError} naming the option when a TTL, the load timeout or the cap is out
   *   of range.
   */
  constructor(conn: CacheConnectionLike, options: ExchangeCacheOptions = {}) {
    this.connection = requireConnection(conn, 'ExchangeCache');
    const resolved = resolveExchangeOptions(options);
    this.ttlMs = resolved.ttlMs;
    this.wsErrors = resolved.wsErrors;
    this.#flights = new SingleFlight(resolved.timeoutMs);
    this.#load = resolved.load;
    this.#keys = new ExchangeKeys(this.connection.keys);
  }

  /**
   * Opens a connection of its own; `close()` (or `await using`) closes it. The options are
   * checked before connecting.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Loaders, TTL, websocket error cap.
   * @returns The cache.
   * @throws {ValidationError} naming a bad option; no connection is made.
   * @throws {ConfigurationError} naming `options` or `load` when malformed; no connection is
   *   made.
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(
    config?: ConnectOptions | string,
    options: ExchangeCacheOptions = {},
  ): Promise<ExchangeCache> {
    return openCache(
      config,
      () => resolveExchangeOptions(options),
      (conn) => new ExchangeCache(conn, options),
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
   * One exchange account. A read-through stores the record and lists it in its owner's list if
   * that list is cached, but never marks a list complete.
   * @param exId - Exchange account id (`7` and `'7'` are the same).
   * @returns The account, or `null` (a miss without a loader, or the loader found nothing).
   * @throws {ValidationError} when `exId` or the loader's answer is invalid.
   * @throws {DecodeError} when the stored value is corrupt or another account's.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getExchange(exId: Id): Promise<Exchange | null> {
    const id = validate(Id, exId, 'exId');
    const load = this.#load.exchange;
    const source: ReadThroughSource<Exchange | null> | undefined =
      load === undefined
        ? undefined
        : {
            load: async () => {
              const found = await load(id);
              return found === null ? null : parseExchange(found, 'loaded', id);
            },
            store: async (exchange) => {
              if (exchange !== null) await this.#storeExchange(exchange);
            },
          };
    const key = this.#keys.exchange(id);
    const read = () => readExchange(this.connection, this.#keys, id);
    return this.#flights.through(key, read, source, (loaded) => loaded, null);
  }

  /**
   * Every exchange account of a user, sorted by id. A corrupt entry is skipped and reported
   * through `onCorrupt`.
   *
   * A list is complete once `load.userExchanges` loaded it or {@link ExchangeCache.setExchanges}
   * replaced it. Otherwise, with a list loader the loader answers (also when a listed record is
   * no longer cached); without one the accounts written so far are returned.
   * @param userId - User id.
   * @returns The accounts; `[]` when none is known.
   * @throws {ValidationError} when `userId` or the loader's answer is invalid.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getExchanges(userId: Id): Promise<Exchange[]> {
    const id = validate(Id, userId, 'userId');
    const load = this.#load.userExchanges;
    const source: ReadThroughSource<Exchange[]> | undefined =
      load === undefined
        ? undefined
        : {
            load: async () => parseUserExchanges(await load(id), 'loaded', id),
            store: (exchanges) =>
              storeUserList(this.connection, this.#keys, this.ttlMs, id, exchanges),
          };
    const key = this.#keys.userExchanges(id);
    const read = () => readUserExchanges(this.connection, this.#keys, id, load !== undefined);
    return this.#flights.through(key, read, source, sortExchanges, []);
  }

  /**
   * The exchange catalog, sorted by `catExId`. A corrupt entry is skipped and reported
   * through `onCorrupt`.
   * @returns The catalog; `[]` on a miss without a loader.
   * @throws {ValidationError} when the loader's answer is invalid.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getCatExchanges(): Promise<CatExchange[]> {
    const key = this.#keys.catExchanges;
    const load = this.#load.catExchanges;
    const source: ReadThroughSource<CatExchange[]> | undefined =
      load === undefined
        ? undefined
        : {
            load: async () => parseCatExchanges(await load(), 'loaded'),
            store: (catalog) => storeCatalog(this.connection, this.ttlMs, key, catalog),
          };
    return this.#flights.through(
      key,
      () => readCatalog(this.connection, key),
      source,
      sortCatalog,
      [],
    );
  }

  /**
   * Stores an exchange account and lists it in its owner's cached list, in one atomic step.
   * When the owner's list is not cached: with `load.userExchanges` it is left to the loader;
   * without, it is created holding the accounts written so far. Never marks a list complete.
   * @param exchange - The account; `active` defaults to `true`, `test` to `false`.
   * @returns The stored record.
   * @throws {ValidationError} naming the field (e.g. `exchange.name`); nothing is written.
   * @throws {DecodeError} when the owner's list key holds another Redis type; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async setExchange(exchange: ExchangeInput): Promise<Exchange> {
    const parsed = parseExchange(exchange, 'exchange');
    this.#flights.forget(this.#keys.exchange(parsed.exId));
    this.#flights.forget(this.#keys.userExchanges(parsed.userId));
    await this.#storeExchange(parsed);
    return parsed;
  }

  /**
   * Replaces a user's whole exchange list in one atomic step and marks it complete, as a load
   * through `load.userExchanges` does; `[]` stores "this user has no accounts".
   * @param userId - User id.
   * @param exchanges - Every account of the user; each one's `userId` must be `userId`.
   * @returns How many accounts were stored.
   * @throws {ValidationError} naming the field (e.g. `exchanges[1].userId`); nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async setExchanges(userId: Id, exchanges: readonly ExchangeInput[]): Promise<number> {
    const id = validate(Id, userId, 'userId');
    const parsed = parseUserExchanges(exchanges, 'exchanges', id);
    this.#flights.forget(this.#keys.userExchanges(id));
    for (const e of parsed) this.#flights.forget(this.#keys.exchange(e.exId));
    await storeUserList(this.connection, this.#keys, this.ttlMs, id, parsed);
    return parsed.length;
  }

  /**
   * Replaces the whole exchange catalog in one atomic step; `[]` stores an empty catalog.
   * @param catExchanges - Every catalog exchange.
   * @returns How many were stored.
   * @throws {ValidationError} naming the field (e.g. `catExchanges[1].name`); nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async setCatExchanges(catExchanges: readonly CatExchange[]): Promise<number> {
    const parsed = parseCatExchanges(catExchanges, 'catExchanges');
    const key = this.#keys.catExchanges;
    this.#flights.forget(key);
    await storeCatalog(this.connection, this.ttlMs, key, parsed);
    return parsed.length;
  }

  /**
   * Deletes an exchange account's record. Its owner's list no longer returns it (and, with a
   * `userExchanges` loader, is reloaded on its next read).
   * @param exId - Exchange account id.
   * @returns `true` when a record was cached.
   * @throws {ValidationError} when `exId` is invalid.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async deleteExchange(exId: Id): Promise<boolean> {
    const id = validate(Id, exId, 'exId');
    const key = this.#keys.exchange(id);
    this.#flights.forget(key);
    return (await this.connection.send<number>(key, ['DEL', key])) === 1;
  }

  /**
   * Drops cached entries so their next read goes to the loader; the targets are dropped
   * together in one atomic step. A load in flight for them is not written back.
   * @param target - `exId`, `userId` and/or `catExchanges: true`; at least one.
   * @returns How many cached entries were dropped.
   * @throws {ValidationError} when no target or an invalid one is given.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async invalidate(target: InvalidateTarget): Promise<number> {
    const parsed = validateAt(InvalidateTargetSchema, target, 'target');
    const keys: string[] = [];
    if (parsed.exId !== undefined) keys.push(this.#keys.exchange(parsed.exId));
    if (parsed.userId !== undefined) {
      keys.push(this.#keys.userExchanges(parsed.userId));
    }
    if (parsed.catExchanges === true) keys.push(this.#keys.catExchanges);
    if (keys.length === 0) {
      throw new ValidationError('target', 'target: give exId, userId or catExchanges: true');
    }
    for (const key of keys) this.#flights.forget(key);
    return deleteKeys(this.connection, keys);
  }

  /**
   * Appends a websocket error to an exchange's queue. The queue keeps the newest
   * `wsErrors.cap` (default 1 000) and expires `wsErrors.ttlMs` (default 24 h) after its last push.
   * @param exId - Exchange account id.
   * @param message - Error text, 1 to 65 536 characters.
   * @returns The queue length after the push.
   * @throws {ValidationError} naming `exId` or `message` (also a lone UTF-16 surrogate in it);
   *   nothing is written.
   * @throws {DecodeError} naming the key when the queue holds another Redis type; nothing is
   *   written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async pushWsError(exId: Id, message: string): Promise<number> {
    const id = validate(Id, exId, 'exId');
    return pushWsError(
      this.connection,
      this.#keys,
      id,
      message,
      this.wsErrors.cap,
      this.wsErrors.ttlMs,
    );
  }

  /**
   * Takes the oldest websocket error of an exchange, waiting up to `timeoutMs` for one on a
   * dedicated connection (so a wait longer than the socket timeout works); the wait ends by
   * its deadline, within a few ms. At least once: a pop that fails (a stall, a lost
   * connection) never takes a message with it; a message whose reply never arrived goes back
   * to the head of the queue 30 s later, on the next pop (so it may, rarely, come twice).
   * @param exId - Exchange account id.
   * @param options - `timeoutMs`: how long to wait; `0` returns at once.
   * @returns The message, or `null` when none came in time.
   * @throws {ValidationError} naming `exId`, `options` (absent or not a plain object) or
   *   `timeoutMs`.
   * @throws {DecodeError} naming the key when the queue or its in-flight set holds another
   *   type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async popWsError(exId: Id, options: PopWsErrorOptions): Promise<string | null> {
    const id = validate(Id, exId, 'exId');
    return popWsError(this.connection, this.#keys, id, options);
  }

  #storeExchange(exchange: Exchange): Promise<boolean> {
    // Without a list loader the cache is the source of users' lists, so it creates them.
    const createIndex = this.#load.userExchanges === undefined;
    return storeExchange(this.connection, this.#keys, this.ttlMs, exchange, createIndex);
  }
}
