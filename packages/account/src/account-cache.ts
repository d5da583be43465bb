import type { CacheConnectionLike, ConnectOptions } from '@fullon/core';
import {
  asPromise,
  checkName,
  closeCache,
  type Id,
  idKey,
  openCache,
  requireConnection,
  validateAt,
  validateList,
} from '@fullon/core/author';
import { fastBalance, fastPosition } from './fast-check.js';
import { AccountKeys } from './keys.js';
import { type AccountCacheOptions, resolveOptions } from './options.js';
import {
  type AccountStore,
  cleanAllPositions,
  pricingOption,
  putBalance,
  putPosition,
  readAllBalances,
  readAllPositions,
  readBalance,
  readBalances,
  readPosition,
  readPositions,
  removePosition,
  storedPosition,
  summarise,
  writeBalances,
  writePositions,
} from './portfolio.js';
import { Balance, Balances, type Position, PositionInput } from './schema.js';
import type { PortfolioOptions, PortfolioSummary } from './types.js';

/**
 * Balances and positions of exchange accounts.
 *
 * Each account (`exId`) has one hash of balances (a field per currency) and one hash of
 * positions (a field per symbol), so updating one currency or one position is a single atomic
 * write that never loses a concurrent update of another, and no currency or symbol name can
 * collide with metadata. Replacing all balances or all positions is one atomic script. An index
 * of accounts serves the listings without SCAN. Everything expires `ttlMs` (default 24 h) after
 * its last write.
 *
 * @example
 * ```ts
 * await using accounts = await AccountCache.open();
 * await accounts.setUserBalances(1, { BTC: { total: 1.5, free: 1.2, used: 0.3 } });
 * await accounts.updateUserBalance(1, 'USDT', { total: 900, free: 900, used: 0 });
 * await accounts.setPosition(1, { symbol: 'BTC/USDT', volume: 0.5, price: 64_000 });
 * const positions = await accounts.getPositions(1); // account 1 only
 * const summary = await accounts.getPortfolioSummary(1, { prices: ticks, exchange: 'kraken' });
 * ```
 */
export class AccountCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnectionLike;
  /** The connection, the package's keys on it and the TTL of a write. */
  readonly #store: AccountStore;

  /**
   * @param conn - An open connection (from `connect()` of `@fullon/core`); the cache does not
   *   close it.
   * @param options - `ttlMs` (default 24 h).
   * @throws {ConfigurationError} when `conn` is not a connection, or naming `options` when they
   *   are not a plain object (`null`, a number, a `Map`…).
   * @throws {ValidationError} naming `ttlMs` when it is not a whole number of ms from 1 to ten
   *   years.
   */
  constructor(conn: CacheConnectionLike, options: AccountCacheOptions = {}) {
    this.connection = requireConnection(conn, 'AccountCache');
    const ttl = String(resolveOptions(options).ttlMs);
    this.#store = { conn: this.connection, keys: new AccountKeys(this.connection.keys), ttl };
  }

  /**
   * Opens a connection of its own and a cache on it; closing the cache closes the connection.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Cache options, checked before connecting.
   * @returns The cache, for `await using accounts = await AccountCache.open()`.
   * @throws {ValidationError} when an option is invalid (no connection is opened).
   * @throws {ConfigurationError} when the configuration is malformed.
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(
    config?: ConnectOptions | string,
    options: AccountCacheOptions = {},
  ): Promise<AccountCache> {
    return openCache(
      config,
      () => resolveOptions(options),
      (conn) => new AccountCache(conn, options),
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

  /** Same as {@link AccountCache.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---------------------------------------------------------------- balances

  /**
   * Replaces every balance of an account in one atomic step: currencies not in `balances` are
   * removed; `{}` clears the account's balances.
   * @param exId - Exchange account id (`7` and `'7'` are the same account).
   * @param balances - A plain object of currency → `{ total, free, used }`. Any name is a
   *   currency, `constructor` and `__proto__` included (give those as own keys, e.g. from
   *   `JSON.parse`).
   * @throws {ValidationError} naming the field (`balances.BTC.free`), or `balances` when it is
   *   not a plain object (a `Map`, array or `Date` would otherwise read as "no currencies" and
   *   clear the account); nothing is written.
   * @throws {DecodeError} when a key of the account holds a foreign Redis type; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async setUserBalances(exId: Id, balances: Balances): Promise<void> {
    const id = idKey(exId, 'exId');
    const parsed = validateAt(Balances, balances, 'balances');
    await writeBalances(this.#store, id, parsed);
  }

  /**
   * Sets the balance of one currency, atomically: concurrent updates of other currencies of the
   * same account are never lost.
   * @param exId - Exchange account id.
   * @param currency - Currency, e.g. `BTC` (any name: `date` is a currency like any other).
   * @param balance - `{ total, free, used }`.
   * @returns `true` when the currency is new to the account, `false` when it was replaced.
   * @throws {ValidationError} naming the field (`balance.free`, `currency`); nothing is written.
   * @throws {DecodeError} when a key of the account holds a foreign Redis type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  updateUserBalance(exId: Id, currency: string, balance: Balance): Promise<boolean> {
    return asPromise(() => {
      const id = idKey(exId, 'exId');
      const cur = checkName(currency, 'currency');
      const parsed = fastBalance(balance) ?? validateAt(Balance, balance, 'balance');
      return putBalance(this.#store, id, cur, parsed);
    });
  }

  /**
   * Reads the balance of one currency.
   * @param exId - Exchange account id.
   * @param currency - Currency.
   * @returns The balance, or `null` when the account has none for it.
   * @throws {ValidationError} naming `exId` or `currency`.
   * @throws {DecodeError} when the stored value is corrupt.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getUserBalance(exId: Id, currency: string): Promise<Balance | null> {
    return asPromise(() => {
      const id = idKey(exId, 'exId');
      return readBalance(this.#store, id, checkName(currency, 'currency'));
    });
  }

  /**
   * Reads every balance of an account. A corrupt value is skipped and reported through the
   * connection's `onCorrupt` hook.
   * @param exId - Exchange account id.
   * @returns Currency → balance, in currency order; `{}` when the account has none.
   * @throws {ValidationError} naming `exId`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getUserBalances(exId: Id): Promise<Record<string, Balance>> {
    return readBalances(this.#store, idKey(exId, 'exId'));
  }

  /**
   * Reads the balances of every account that has some, found through the account index. A
   * corrupt value, or an account whose balances key holds a foreign Redis type, is skipped and
   * reported through the connection's `onCorrupt` hook.
   * @returns exId (string form) → currency → balance; `{}` when there are none.
   * @throws {DecodeError} when the account index holds a foreign Redis type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getAllAccounts(): Promise<Record<string, Record<string, Balance>>> {
    return readAllBalances(this.#store);
  }

  // --------------------------------------------------------------- positions

  /**
   * Stores one position of an account (replacing the symbol's previous one), atomically.
   * @param exId - Exchange account id.
   * @param position - The position; if it carries `exId`, that must name the same account.
   * @returns `true` when the symbol is new to the account, `false` when it was replaced.
   * @throws {ValidationError} naming the field (`position.volume`); nothing is written.
   * @throws {DecodeError} when a key of the account holds a foreign Redis type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  setPosition(exId: Id, position: PositionInput): Promise<boolean> {
    return asPromise(() => {
      const id = idKey(exId, 'exId');
      const parsed = fastPosition(position) ?? validateAt(PositionInput, position, 'position');
      return putPosition(this.#store, id, storedPosition(exId, id, parsed, 'position'));
    });
  }

  /**
   * Python's name for {@link AccountCache.setPosition}: stores one position, replacing the
   * symbol's previous one.
   * @param exId - Exchange account id.
   * @param position - The position.
   * @returns `true` when the symbol is new to the account.
   * @throws {ValidationError} naming the field; nothing is written.
   */
  upsertPosition(exId: Id, position: PositionInput): Promise<boolean> {
    return this.setPosition(exId, position);
  }

  /**
   * Replaces every position of an account in one atomic step: symbols not in `positions` are
   * removed; `[]` clears the account's positions.
   * @param exId - Exchange account id.
   * @param positions - The positions, at most one per symbol.
   * @throws {ValidationError} naming the item and field (`positions[2].price`), or a duplicate
   *   symbol; nothing is written.
   * @throws {DecodeError} when a key of the account holds a foreign Redis type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async upsertPositions(exId: Id, positions: readonly PositionInput[]): Promise<void> {
    const id = idKey(exId, 'exId');
    const parsed = validateList(PositionInput, positions, 'positions', 'symbol');
    const stored = parsed.map((p, i) => storedPosition(exId, id, p, `positions[${i}]`));
    await writePositions(this.#store, id, stored);
  }

  /**
   * Reads one position.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @returns The position, or `null` when the account holds none in `symbol`.
   * @throws {ValidationError} naming `exId` or `symbol`.
   * @throws {DecodeError} when the stored value is corrupt or belongs to another account.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getPosition(exId: Id, symbol: string): Promise<Position | null> {
    return asPromise(() => {
      const id = idKey(exId, 'exId');
      return readPosition(this.#store, id, checkName(symbol, 'symbol'));
    });
  }

  /**
   * Reads every position of one account — that account only. A corrupt value is skipped and
   * reported through the connection's `onCorrupt` hook.
   * @param exId - Exchange account id.
   * @returns The positions, by symbol; `[]` when there are none.
   * @throws {ValidationError} naming `exId`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getPositions(exId: Id): Promise<Position[]> {
    return readPositions(this.#store, idKey(exId, 'exId'));
  }

  /**
   * Reads the positions of every account, found through the account index. A corrupt value,
   * or an account whose positions key holds a foreign Redis type, is skipped and reported
   * through the connection's `onCorrupt` hook.
   * @returns The positions, by account then symbol; `[]` when there are none.
   * @throws {DecodeError} when the account index holds a foreign Redis type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getAllPositions(): Promise<Position[]> {
    return readAllPositions(this.#store);
  }

  /**
   * Deletes one position.
   * @param exId - Exchange account id.
   * @param symbol - Symbol.
   * @returns `true` when it existed.
   * @throws {ValidationError} naming `exId` or `symbol`.
   * @throws {DecodeError} when a key of the account holds a foreign Redis type.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async deletePosition(exId: Id, symbol: string): Promise<boolean> {
    const id = idKey(exId, 'exId');
    return removePosition(this.#store, id, checkName(symbol, 'symbol'));
  }

  /**
   * Deletes the positions of every account (balances stay). Each call of the underlying script
   * covers up to 250 accounts atomically; positions written while it runs may survive.
   * @returns How many positions were deleted.
   * @throws {DecodeError} when a key holds a foreign Redis type (that batch is not written).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  cleanPositions(): Promise<number> {
    return cleanAllPositions(this.#store);
  }

  // --------------------------------------------------------------- portfolio

  /**
   * Summarises an account: total balance per currency, position count and, with a price source
   * (a `TickCache`, or any `{ getPrice(symbol, exchange) }`), exposure and unrealised PnL at
   * current prices. Prices are asked concurrently, one call per position.
   * @param exId - Exchange account id.
   * @param options - `prices` and the `exchange` name to ask them for (e.g. `kraken`: price
   *   sources know markets by exchange name, the cache knows accounts by id).
   * @returns The summary. Positions without a price are listed in `unpriced` and left out of
   *   both sums.
   * @throws {ValidationError} naming `exId`, `options` (not a plain object), `options.prices`
   *   (not an object with a `getPrice` method) or `options.exchange` (not a name, or missing with
   *   `prices`; checked whenever given).
   * @throws {ConnectionError} when Redis is unreachable; whatever the price source throws.
   */
  async getPortfolioSummary(exId: Id, options: PortfolioOptions = {}): Promise<PortfolioSummary> {
    const id = idKey(exId, 'exId');
    return summarise(this.#store, exId, id, pricingOption(options));
  }
}
