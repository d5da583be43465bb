import { type CacheConnectionLike, DecodeError, ValidationError } from '@fullon/core';
import {
  BUFFERS,
  byName,
  checkName,
  decodeListed,
  hashEntries,
  type Id,
  inChunksSequentially,
  optionsObject,
  runOperation,
  ScriptReply,
} from '@fullon/core/author';
import type { AccountKeys } from './keys.js';
import { BalanceLayout, PositionLayout } from './layouts.js';
import type { Balance, Balances, Position, PositionInput } from './schema.js';
import { cleanPositionsScript } from './scripts/clean-positions.js';
import { deleteFieldScript } from './scripts/delete-field.js';
import { listAccountsScript } from './scripts/list-accounts.js';
import { putFieldScript } from './scripts/put-field.js';
import { replaceHashScript } from './scripts/replace-hash.js';
import type { PortfolioOptions, PortfolioSummary, PriceSource } from './types.js';

// The balances and positions of exchange accounts: how `AccountCache` writes, reads, lists and
// prices them. The cache checks the arguments and hands over the account id in string form.

/** Most accounts one clean-up script call carries. */
const CLEAN_CHUNK = 250;

/**
 * What the portfolio functions work on: the cache's connection, its keys and the lifetime of
 * what a write stores.
 * @internal
 */
export interface AccountStore {
  /** The cache's connection. */
  readonly conn: CacheConnectionLike;
  /** The package's keys on that connection. */
  readonly keys: AccountKeys;
  /** TTL of an account's hashes after a write, in ms (string form, as the scripts take it). */
  readonly ttl: string;
}

// ------------------------------------------------------------------ balances

/**
 * Replaces every balance of an account in one atomic script.
 * @internal
 * @param store - Connection, keys, TTL.
 * @param id - The account (string form).
 * @param balances - The validated balances; `{}` clears them.
 * @throws {DecodeError} when a key of the account holds a foreign Redis type; nothing is written.
 */
export async function writeBalances(
  store: AccountStore,
  id: string,
  balances: Balances,
): Promise<void> {
  const { conn, keys } = store;
  const entries = Object.entries(balances).map(
    ([currency, b]) =>
      [currency, BalanceLayout.encode(conn.codec, { currency, ...b, exId: id })] as const,
  );
  await replaceHashScript(
    conn,
    { hash: keys.balances(id), other: keys.positions(id), index: keys.index },
    { exId: id, ttl: store.ttl, entries },
  );
}

/**
 * Sets the balance of one currency, atomically.
 * @internal
 * @param store - Connection, keys, TTL.
 * @param id - The account (string form).
 * @param currency - The checked currency name.
 * @param balance - The validated balance.
 * @returns `true` when the currency is new to the account.
 * @throws {DecodeError} when a key of the account holds a foreign Redis type.
 */
export function putBalance(
  store: AccountStore,
  id: string,
  currency: string,
  balance: Balance,
): Promise<boolean> {
  const { conn, keys } = store;
  const bytes = BalanceLayout.encode(conn.codec, { currency, ...balance, exId: id });
  return putFieldScript(
    conn,
    { hash: keys.balances(id), index: keys.index },
    { exId: id, ttl: store.ttl, field: currency, bytes },
  ).then((reply) => reply === ScriptReply.added);
}

/**
 * Reads the balance of one currency.
 * @internal
 * @param store - Connection and keys.
 * @param id - The account (string form).
 * @param currency - The checked currency name.
 * @returns The balance, or `null` when the account has none for it.
 * @throws {DecodeError} when the stored value is corrupt.
 */
export function readBalance(
  store: AccountStore,
  id: string,
  currency: string,
): Promise<Balance | null> {
  const { conn } = store;
  const key = store.keys.balances(id);
  // The mapping runs in the command's own promise step: no async layer on this hot read.
  return conn.send(key, ['HGET', key, currency], BUFFERS, (bytes: Buffer | null) => {
    if (bytes === null) return null;
    const b = BalanceLayout.decode(conn.codec, bytes, key, currency, { currency, exId: id });
    return { total: b.total, free: b.free, used: b.used };
  });
}

/**
 * Reads every balance of an account; a corrupt value is skipped and reported.
 * @internal
 * @param store - Connection and keys.
 * @param id - The account (string form).
 * @returns Currency → balance, in currency order.
 */
export async function readBalances(
  store: AccountStore,
  id: string,
): Promise<Record<string, Balance>> {
  const { conn } = store;
  const key = store.keys.balances(id);
  const flat = await conn.send<Buffer[]>(key, ['HGETALL', key], BUFFERS);
  const out: [string, Balance][] = [];
  for (const [currency, bytes] of hashEntries(flat).sort(([a], [b]) => byName(a, b))) {
    const stored = decodeListed(conn, () =>
      BalanceLayout.decode(conn.codec, bytes, key, currency, { currency, exId: id }),
    );
    if (stored !== undefined) {
      out.push([currency, { total: stored.total, free: stored.free, used: stored.used }]);
    }
  }
  return Object.fromEntries(out);
}

/**
 * Reads the balances of every account in the index; an account whose balances key holds a
 * foreign Redis type is skipped and reported.
 * @internal
 * @param store - Connection and keys.
 * @returns exId → currency → balance, accounts without balances left out.
 * @throws {DecodeError} when the account index holds a foreign Redis type.
 */
export async function readAllBalances(
  store: AccountStore,
): Promise<Record<string, Record<string, Balance>>> {
  const ids = await listAccounts(store.conn, store.keys);
  const all = await Promise.all(ids.map((id) => listed(store.conn, readBalances(store, id), {})));
  return Object.fromEntries(
    ids.map((id, i) => [id, all[i] ?? {}] as const).filter(([, b]) => Object.keys(b).length > 0),
  );
}

// ----------------------------------------------------------------- positions

/**
 * The validated position as stored, with `exId` set to the account the caller named.
 * @internal
 * @param exId - The account as the caller gave it (stored in that type).
 * @param id - The same account in string form.
 * @param parsed - The validated position.
 * @param label - What to name in an error (`position`, `positions[2]`).
 * @returns The position to store.
 * @throws {ValidationError} naming `<label>.exId` when the position names another account.
 */
export function storedPosition(
  exId: Id,
  id: string,
  parsed: PositionInput,
  label: string,
): Position {
  if (parsed.exId !== undefined && String(parsed.exId) !== id) {
    throw new ValidationError(
      `${label}.exId`,
      `${label}.exId: is ${JSON.stringify(parsed.exId)}, but the call names account ${JSON.stringify(id)}`,
    );
  }
  return { ...parsed, exId: parsed.exId ?? exId };
}

/**
 * Stores one position (replacing the symbol's previous one), atomically.
 * @internal
 * @param store - Connection, keys, TTL.
 * @param id - The account (string form).
 * @param position - The position as stored (see {@link storedPosition}).
 * @returns `true` when the symbol is new to the account.
 * @throws {DecodeError} when a key of the account holds a foreign Redis type.
 */
export function putPosition(store: AccountStore, id: string, position: Position): Promise<boolean> {
  const { conn, keys } = store;
  const bytes = PositionLayout.encode(conn.codec, position);
  return putFieldScript(
    conn,
    { hash: keys.positions(id), index: keys.index },
    { exId: id, ttl: store.ttl, field: position.symbol, bytes },
  ).then((reply) => reply === ScriptReply.added);
}

/**
 * Replaces every position of an account in one atomic script.
 * @internal
 * @param store - Connection, keys, TTL.
 * @param id - The account (string form).
 * @param positions - The positions as stored, one per symbol; `[]` clears them.
 * @throws {DecodeError} when a key of the account holds a foreign Redis type; nothing is written.
 */
export async function writePositions(
  store: AccountStore,
  id: string,
  positions: readonly Position[],
): Promise<void> {
  const { conn, keys } = store;
  const entries = positions.map((p) => [p.symbol, PositionLayout.encode(conn.codec, p)] as const);
  await replaceHashScript(
    conn,
    { hash: keys.positions(id), other: keys.balances(id), index: keys.index },
    { exId: id, ttl: store.ttl, entries },
  );
}

/**
 * Reads one position.
 * @internal
 * @param store - Connection and keys.
 * @param id - The account (string form).
 * @param symbol - The checked symbol.
 * @returns The position, or `null` when the account holds none in `symbol`.
 * @throws {DecodeError} when the stored value is corrupt or belongs to another account.
 */
export function readPosition(
  store: AccountStore,
  id: string,
  symbol: string,
): Promise<Position | null> {
  const { conn } = store;
  const key = store.keys.positions(id);
  return conn.send(key, ['HGET', key, symbol], BUFFERS, (bytes: Buffer | null) =>
    bytes === null ? null : decodePosition(conn, id, key, symbol, bytes),
  );
}

/**
 * Reads every position of one account; a corrupt value is skipped and reported.
 * @internal
 * @param store - Connection and keys.
 * @param id - The account (string form).
 * @returns The positions, by symbol.
 */
export async function readPositions(store: AccountStore, id: string): Promise<Position[]> {
  const { conn } = store;
  const key = store.keys.positions(id);
  const flat = await conn.send<Buffer[]>(key, ['HGETALL', key], BUFFERS);
  const out: Position[] = [];
  for (const [symbol, bytes] of hashEntries(flat).sort(([a], [b]) => byName(a, b))) {
    const position = decodeListed(conn, () => decodePosition(conn, id, key, symbol, bytes));
    if (position !== undefined) out.push(position);
  }
  return out;
}

/**
 * Reads the positions of every account in the index; an account whose positions key holds a
 * foreign Redis type is skipped and reported.
 * @internal
 * @param store - Connection and keys.
 * @returns The positions, by account then symbol.
 * @throws {DecodeError} when the account index holds a foreign Redis type.
 */
export async function readAllPositions(store: AccountStore): Promise<Position[]> {
  const ids = await listAccounts(store.conn, store.keys);
  const all = await Promise.all(ids.map((id) => listed(store.conn, readPositions(store, id), [])));
  return all.flat();
}

/**
 * Deletes one position; the account leaves the index when it has no data left.
 * @internal
 * @param store - Connection and keys.
 * @param id - The account (string form).
 * @param symbol - The checked symbol.
 * @returns `true` when it existed.
 * @throws {DecodeError} when a key of the account holds a foreign Redis type.
 */
export async function removePosition(
  store: AccountStore,
  id: string,
  symbol: string,
): Promise<boolean> {
  const { conn, keys } = store;
  const reply = await deleteFieldScript(
    conn,
    { hash: keys.positions(id), other: keys.balances(id), index: keys.index },
    { exId: id, field: symbol },
  );
  return reply === ScriptReply.ok;
}

/**
 * Deletes the positions of every account (balances stay), one script call per 250 accounts.
 * @internal
 * @param store - Connection and keys.
 * @returns How many positions were deleted.
 * @throws {DecodeError} when a key holds a foreign Redis type (that batch is not written).
 */
export function cleanAllPositions(store: AccountStore): Promise<number> {
  const { keys } = store;
  // One operation, the listing included: close() lets it run whole, every batch too.
  return runOperation(store.conn, async (conn) => {
    const ids = await listAccounts(conn, keys);
    const removed = await inChunksSequentially(
      ids,
      async (batch) => [
        await cleanPositionsScript(
          conn,
          {
            index: keys.index,
            positions: batch.map((id) => keys.positions(id)),
            balances: batch.map((id) => keys.balances(id)),
          },
          { exIds: batch },
        ),
      ],
      CLEAN_CHUNK,
    );
    return removed.reduce((sum, n) => sum + n, 0);
  });
}

// ----------------------------------------------------------------- portfolio

/**
 * A checked price source and the exchange to ask it for.
 * @internal
 */
export interface Pricing {
  /** Where current prices come from. */
  readonly prices: PriceSource;
  /** The exchange name the price source knows the account's markets by. */
  readonly exchange: string;
}

/**
 * Checks the options of `getPortfolioSummary`.
 * @internal
 * @param options - What the caller passed.
 * @returns The price source and exchange, or `undefined` without a price source.
 * @throws {ValidationError} naming `options` (not a plain object), `options.prices` (not an
 *   object with a `getPrice` method) or `options.exchange` (not a name, or missing with
 *   `prices`; checked whenever given).
 */
export function pricingOption(options: PortfolioOptions): Pricing | undefined {
  const opts = optionsObject(options);
  const prices = opts.prices;
  // Checked whenever given: unused without a price source, but a wrong one is still a mistake.
  const exchangeName =
    opts.exchange === undefined ? undefined : checkName(opts.exchange, 'options.exchange');
  if (prices === undefined) return undefined;
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
  return { prices: prices as PriceSource, exchange: checkName(exchangeName, 'options.exchange') };
}

/**
 * Summarises an account: totals per currency, position count and, with a price source,
 * exposure and unrealised PnL (prices asked concurrently, one call per position).
 * @internal
 * @param store - Connection and keys.
 * @param exId - The account as the caller gave it (the summary names it so).
 * @param id - The same account in string form.
 * @param pricing - The checked price source, if any.
 * @returns The summary; positions without a valid price are listed in `unpriced`.
 * @throws {ConnectionError} when Redis is unreachable; whatever the price source throws.
 */
export async function summarise(
  store: AccountStore,
  exId: Id,
  id: string,
  pricing: Pricing | undefined,
): Promise<PortfolioSummary> {
  const [balances, positions] = await Promise.all([
    readBalances(store, id),
    readPositions(store, id),
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
  if (pricing === undefined) return summary;
  const { prices, exchange } = pricing;
  const quotes = await Promise.all(positions.map((p) => prices.getPrice(p.symbol, exchange)));
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

// ----------------------------------------------------------------- internals

/**
 * Decodes a stored position, which must belong to the account its key names (bytes copied
 * from another account's hash are corrupt, not a position of this one).
 */
function decodePosition(
  conn: CacheConnectionLike,
  id: string,
  key: string,
  symbol: string,
  bytes: Buffer,
): Position {
  const position = PositionLayout.decode(conn.codec, bytes, key, symbol, { symbol });
  if (String(position.exId) !== id) {
    throw new DecodeError(
      key,
      symbol,
      `stored position.exId is ${JSON.stringify(position.exId)}, not the ${JSON.stringify(id)} its key names`,
    );
  }
  return position;
}

/**
 * One account's part of a listing of every account: a key of a foreign Redis type (stored
 * garbage) is reported through `onCorrupt` and the account skipped, like a corrupt value.
 */
async function listed<T>(conn: CacheConnectionLike, read: Promise<T>, empty: T): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (!DecodeError.is(error)) throw error;
    conn.reportCorrupt(error);
    return empty;
  }
}

/** The accounts that have data, in name order (expired ones pruned). */
async function listAccounts(conn: CacheConnectionLike, keys: AccountKeys): Promise<string[]> {
  return (await listAccountsScript(conn, { index: keys.index })).sort(byName);
}
