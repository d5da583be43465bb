import { ValidationError } from '@fullon/core';
import { type Id, validateAt, validateList } from '@fullon/core/author';
import { CatExchange, Exchange } from './schema.js';

/**
 * Whether two ids name the same entry (`1` and `'1'` do).
 * @internal
 */
export function sameId(a: Id, b: Id): boolean {
  return String(a) === String(b);
}

function mismatch(field: string, expected: Id, what: string): ValidationError {
  return new ValidationError(field, `${field}: must be ${JSON.stringify(expected)} (${what})`);
}

/**
 * Validates an exchange account; `active` defaults to `true`, `test` to `false`.
 * @internal
 * @param input - Untrusted input.
 * @param label - Argument name for errors.
 * @param exId - When given, the id the record must carry (a loader's answer).
 * @returns The parsed exchange.
 * @throws {ValidationError} naming the field.
 */
export function parseExchange(input: unknown, label: string, exId?: Id): Exchange {
  const exchange = validateAt(Exchange, input, label);
  if (exId !== undefined && !sameId(exchange.exId, exId)) {
    throw mismatch(`${label}.exId`, exId, 'the id asked for');
  }
  return exchange;
}

/**
 * Validates a user's complete exchange list (a loader's answer or `setExchanges`).
 * @internal
 * @param input - Untrusted input.
 * @param label - Argument name for errors.
 * @param userId - The user; every item must belong to them.
 * @returns The parsed exchanges.
 * @throws {ValidationError} naming the item and field; duplicates are rejected.
 */
export function parseUserExchanges(input: unknown, label: string, userId: Id): Exchange[] {
  return validateList(Exchange, input, label, 'exId').map((exchange, i) => {
    if (!sameId(exchange.userId, userId)) {
      throw mismatch(`${label}[${i}].userId`, userId, 'the user asked for');
    }
    return exchange;
  });
}

/**
 * Validates a catalog list; duplicates are rejected.
 * @internal
 * @param input - Untrusted input.
 * @param label - Argument name for errors.
 * @returns The parsed catalog exchanges.
 * @throws {ValidationError} naming the item and field.
 */
export function parseCatExchanges(input: unknown, label: string): CatExchange[] {
  return validateList(CatExchange, input, label, 'catExId');
}
