import { ValidationError } from '@fullon/core';
import { Count, idKey, optionsObject, validate, validateAt } from '@fullon/core/author';
import { isValidTrade } from './fast-check.js';
import { marketOf } from './keys.js';
import { Trade } from './schema.js';
import type { ReadTradesOptions } from './types.js';

/**
 * Checks a trade on the hot path; the schema (which names the field) only for a bad one.
 * @param trade - Anything.
 * @param label - Where the trade sits in the arguments (`trades[3]`); defaults to `trade`.
 * @returns The trade.
 * @throws {ValidationError} naming the offending field.
 * @internal
 */
export function parseTrade(trade: unknown, label?: string): Trade {
  if (isValidTrade(trade)) return trade;
  return label === undefined ? validate(Trade, trade, 'trade') : validateAt(Trade, trade, label);
}

/**
 * Checks that `trades` is an array (its trades are checked one by one by {@link parseTrade}).
 * @param trades - Anything.
 * @throws {ValidationError} naming `trades`.
 * @internal
 */
export function checkTradeArray(trades: unknown): asserts trades is readonly unknown[] {
  if (!Array.isArray(trades)) throw new ValidationError('trades', 'trades: must be an array');
}

/**
 * The refusal of a symbol that holds nothing but slashes (it names no market).
 * @param field - The argument or field that holds the symbol.
 * @returns The error, to throw.
 * @internal
 */
export function noMarket(field: string): ValidationError {
  return new ValidationError(field, `${field}: must hold a character other than "/"`);
}

/**
 * Checks a symbol and returns its market (the symbol without slashes).
 * @param symbol - A symbol that passed the name check.
 * @param field - The argument that holds it.
 * @returns The market.
 * @throws {ValidationError} naming `field` when the symbol holds nothing but slashes.
 * @internal
 */
export function marketFor(symbol: string, field: string): string {
  const market = marketOf(symbol);
  if (market === '') throw noMarket(field);
  return market;
}

/**
 * The `limit` of read options; a number, `null` or a `Map` as options is refused, not ignored.
 * @param options - The read options as given.
 * @returns The limit, or `undefined` for all.
 * @throws {ValidationError} naming `options` or `limit`.
 * @internal
 */
export function checkLimit(options: ReadTradesOptions | undefined): number | undefined {
  const limit = optionsObject(options).limit;
  return limit === undefined ? undefined : validate(Count, limit, 'limit');
}

/**
 * Checks a user id and returns it as it appears in keys (`7` and `'7'` are one user).
 * @param userId - The user id as given (typed `Id`, checked at run time all the same).
 * @returns The id as a string.
 * @throws {ValidationError} naming `userId`.
 * @internal
 */
export function checkUserId(userId: unknown): string {
  return idKey(userId, 'userId');
}

/**
 * Checks that a trade pushed to a user's queue belongs to that user (or names no user).
 * @param trade - A checked trade.
 * @param user - The queue's user, as in keys.
 * @throws {ValidationError} naming `userId` when the trade's own `userId` is another user.
 * @internal
 */
export function checkOwner(trade: Trade, user: string): void {
  if (trade.userId !== undefined && String(trade.userId) !== user) {
    throw new ValidationError(
      'userId',
      `userId: the trade belongs to user ${JSON.stringify(trade.userId)}, not to ${JSON.stringify(user)}`,
    );
  }
}
