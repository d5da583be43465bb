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
  openCache,
  plainOptions,
  requireConnection,
  runOperation,
  validateAt,
  validateList,
} from '@fullon/core/author';
import { fastBalance, fastPosition } from './fast-check.js';
import { AccountKeys } from './keys.js';
import { BalanceLayout, PositionLayout } from './layouts.js';
import { type AccountCacheOptions, resolveOptions } from './options.js';
import { Balance, Balances, type Position, PositionInput } from './schema.js';
import { cleanPositionsScript } from './scripts/clean-positions.js';
import { deleteFieldScript } from './scripts/delete-field.js';
import { listAccountsScript } from './scripts/list-accounts.js';
import { PutReply, putFieldScript } from './scripts/put-field.js';
import { replaceHashScript } from './scripts/replace-hash.js';
import type { PortfolioOptions, PortfolioSummary, PriceSource } from './types.js';

/** Most accounts one clean-up script call carries. */
const CLEAN_CHUNK = 250;
const BUFFERS: SendOptions = { buffers: true };

/** A hash read as field → bytes. */
function pairs(flat: Buffer[]): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    out.push([(flat[i] as Buffer).toString('utf8'), flat[i + 1] as Buffer]);
  }
  return out;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
  readonly #keys: AccountKeys;
  readonly #ttl: string;

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
    this.#ttl = String(resolveOptions(options).ttlMs);
    this.#keys = new AccountKeys(this.connection.keys);
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
    const codec = this.connection.codec;
    const entries = Object.entries(parsed).map(
      ([currency, b]) =>
        [currency, BalanceLayout.encode(codec, { currency, ...b, exId: id })] as const,
    );
    await replaceHashScript(
      this.connection,
      { hash: this.#keys.balances(id), other: this.#keys.positions(id), index: this.#keys.index },
      { exId: id, ttl: this.#ttl, entries },
    );
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
      const hash = this.#keys.balances(id);
      const bytes = BalanceLayout.encode(this.connection.codec, {
        currency: cur,
        ...parsed,
        exId: id,
      });
      return putFieldScript(
        this.connection,
        { hash, index: this.#keys.index },
        { exId: id, ttl: this.#ttl, field: cur, bytes },
      ).then((reply) => reply === PutReply.added);
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
      const key = this.#keys.balances(id);
      const cur = checkName(currency, 'currency');
      const codec = this.connection.codec;
      // The mapping runs in the command's own promise step: no async layer on this hot read.
      return this.connection.send(key, ['HGET', key, cur], BUFFERS, (bytes: Buffer | null) => {
        if (bytes === null) return null;
        const b = BalanceLayout.decode(codec, bytes, key, cur, { currency: cur, exId: id });
        return { total: b.total, free: b.free, used: b.used };
      });
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
    return this.#readBalances(idKey(exId, 'exId'));
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
    const ids = await this.#accounts();
    const all = await Promise.all(ids.map((id) => this.#listed(this.#readBalances(id), {})));
    return Object.fromEntries(
      ids.map((id, i) => [id, all[i] ?? {}] as const).filter(([, b]) => Object.keys(b).length > 0),
    );
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
      const stored = this.#stored(exId, id, parsed, 'position');
      const hash = this.#keys.positions(id);
      const bytes = PositionLayout.encode(this.connection.codec, stored);
      return putFieldScript(
        this.connection,
        { hash, index: this.#keys.index },
        { exId: id, ttl: this.#ttl, field: stored.symbol, bytes },
      ).then((reply) => reply === PutReply.added);
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
    const codec = this.connection.codec;
    const entries = parsed.map((p, i) => {
      const stored = this.#stored(exId, id, p, `positions[${i}]`);
      return [stored.symbol, PositionLayout.encode(codec, stored)] as const;
    });
    await replaceHashScript(
      this.connection,
      { hash: this.#keys.positions(id), other: this.#keys.balances(id), index: this.#keys.index },
      { exId: id, ttl: this.#ttl, entries },
    );
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
      const sym = checkName(symbol, 'symbol');
      const key = this.#keys.positions(id);
      return this.connection.send(key, ['HGET', key, sym], BUFFERS, (bytes: Buffer | null) =>
        bytes === null ? null : this.#decodePosition(id, key, sym, bytes),
      );
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
    return this.#readPositions(idKey(exId, 'exId'));
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
    const ids = await this.#accounts();
    return (await Promise.all(ids.map((id) => this.#listed(this.#readPositions(id), [])))).flat();
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
    const sym = checkName(symbol, 'symbol');
    const reply = await deleteFieldScript(
      this.connection,
      { hash: this.#keys.positions(id), other: this.#keys.balances(id), index: this.#keys.index },
      { exId: id, field: sym },
    );
    return reply === 1;
  }

  /**
   * Deletes the positions of every account (balances stay). Each call of the underlying script
   * covers up to 250 accounts atomically; positions written while it runs may survive.
   * @returns How many positions were deleted.
   * @throws {DecodeError} when a key holds a foreign Redis type (that batch is not written).
   * @throws {ConnectionError} when Redis is unreachable.
   */
  cleanPositions(): Promise<number> {
    // One operation, the listing included: close() lets it run whole, every batch too.
    return runOperation(this.connection, async (conn) => {
      const ids = await this.#accounts(conn);
      let removed = 0;
      for (let start = 0; start < ids.length; start += CLEAN_CHUNK) {
        const batch = ids.slice(start, start + CLEAN_CHUNK);
        removed += await cleanPositionsScript(
          conn,
          {
            index: this.#keys.index,
            positions: batch.map((id) => this.#keys.positions(id)),
            balances: batch.map((id) => this.#keys.balances(id)),
          },
          { exIds: batch },
        );
      }
      return removed;
    });
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
    const opts = plainOptions(options);
    const prices = opts.prices;
    // Checked whenever given: unused without a price source, but a wrong one is still a mistake.
    const exchangeName =
      opts.exchange === undefined ? undefined : checkName(opts.exchange, 'options.exchange');
    let source: { prices: PriceSource; exchange: string } | undefined;
    if (prices !== undefined) {
      if (
        typeof prices !== 'object' ||
        prices === null ||
        typeof (prices as { getPrice?: unknown }).getPrice !== 'function'
      ) {
        throw new ValidationError(
          'options.prices',
          'options.prices: must have a getPrice(symbol, exchange) method',
        );
      }
      source = {
        prices: prices as PriceSource,
        exchange: checkName(exchangeName, 'options.exchange'),
      };
    }
    const [balances, positions] = await Promise.all([
      this.#readBalances(id),
      this.#readPositions(id),
    ]);
    const totals = Object.fromEntries(Object.entries(balances).map(([c, b]) => [c, b.total]));
    const summary: PortfolioSummary = {
      exId,
      totals,
      positionCount: positions.length,
      exposure: null,
      unrealizedPnl: null,
      unpriced: [],
    };
    if (source === undefined) return summary;
    const { prices: priceSource, exchange } = source;
    const quotes = await Promise.all(
      positions.map((p) => priceSource.getPrice(p.symbol, exchange)),
    );
    let exposure = 0;
    let pnl = 0;
    positions.forEach((p, i) => {
      const price = quotes[i];
      if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
        summary.unpriced.push(p.symbol);
        return;
      }
      exposure += Math.abs(p.volume) * price;
      pnl += p.volume * (price - p.price);
    });
    summary.exposure = exposure;
    summary.unrealizedPnl = pnl;
    return summary;
  }

  // ---------------------------------------------------------------- internals

  /** The validated position as stored, with `exId` set to the account the caller named. */
  #stored(exId: Id, id: string, parsed: PositionInput, label: string): Position {
    if (parsed.exId !== undefined && String(parsed.exId) !== id) {
      throw new ValidationError(
        `${label}.exId`,
        `${label}.exId: is ${JSON.stringify(parsed.exId)}, but the call names account ${JSON.stringify(id)}`,
      );
    }
    return { ...parsed, exId: parsed.exId ?? exId };
  }

  #decodePosition(id: string, key: string, symbol: string, bytes: Buffer): Position {
    const position = PositionLayout.decode(this.connection.codec, bytes, key, symbol, { symbol });
    if (String(position.exId) !== id) {
      throw new DecodeError(
        key,
        symbol,
        `stored position.exId is ${JSON.stringify(position.exId)}, not the ${JSON.stringify(id)} its key names`,
      );
    }
    return position;
  }

  async #readBalances(id: string): Promise<Record<string, Balance>> {
    const key = this.#keys.balances(id);
    const flat = await this.connection.send<Buffer[]>(key, ['HGETALL', key], BUFFERS);
    const codec = this.connection.codec;
    const out: [string, Balance][] = [];
    for (const [currency, bytes] of pairs(flat).sort(([a], [b]) => byName(a, b))) {
      const stored = decodeListed(this.connection, () =>
        BalanceLayout.decode(codec, bytes, key, currency, { currency, exId: id }),
      );
      if (stored !== undefined) {
        out.push([currency, { total: stored.total, free: stored.free, used: stored.used }]);
      }
    }
    return Object.fromEntries(out);
  }

  async #readPositions(id: string): Promise<Position[]> {
    const key = this.#keys.positions(id);
    const flat = await this.connection.send<Buffer[]>(key, ['HGETALL', key], BUFFERS);
    const out: Position[] = [];
    for (const [symbol, bytes] of pairs(flat).sort(([a], [b]) => byName(a, b))) {
      const position = decodeListed(this.connection, () =>
        this.#decodePosition(id, key, symbol, bytes),
      );
      if (position !== undefined) out.push(position);
    }
    return out;
  }

  /**
   * One account's part of a listing of every account: a key of a foreign Redis type (stored
   * garbage) is reported through `onCorrupt` and the account skipped, like a corrupt value.
   */
  async #listed<T>(read: Promise<T>, empty: T): Promise<T> {
    try {
      return await read;
    } catch (error) {
      if (!DecodeError.is(error)) throw error;
      this.connection.reportCorrupt(error);
      return empty;
    }
  }

  /** The accounts that have data, in name order (expired ones pruned). */
  async #accounts(conn: CacheConnectionLike = this.connection): Promise<string[]> {
    return (await listAccountsScript(conn, { index: this.#keys.index })).sort(byName);
  }
}
