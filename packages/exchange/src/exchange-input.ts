import { ValidationError } from '@fullon/core';
import { CatExchange, Exchange, type Id } from './schema.js';
import { check, checkList } from './validation.js';

function sameId(a: Id, b: Id): boolean {
  return String(a) === String(b);
}

function mismatch(field: string, expected: Id, what: string): ValidationError {
  return new ValidationError(field, `${field}: must be ${JSON.stringify(expected)} (${what})`);
}

/**
 * Validates an exchange account; `active` defaults to `true`, `test` to `false`.
 * @param input - Untrusted input.
 * @param label - Argument name for errors.
 * @param exId - When given, the id the record must carry (a loader's answer).
 * @returns The parsed exchange.
 * @throws {ValidationError} naming the field.
 */
export function parseExchange(input: unknown, label: string, exId?: Id): Exchange {
  const exchange = check(Exchange, input, label);
  if (exId !== undefined && !sameId(exchange.exId, exId)) {
    throw mismatch(`${label}.exId`, exId, 'the id asked for');
  }
  return exchange;
}

/**
 * Validates a user's exchange list as a loader returned it.
 * @param input - Untrusted input.
 * @param label - Argument name for errors.
 * @param uid - The user asked for; every item must belong to them.
 * @returns The parsed exchanges.
 * @throws {ValidationError} naming the item and field; duplicates are rejected.
 */
export function parseUserExchanges(input: unknown, label: string, uid: Id): Exchange[] {
  return checkList(Exchange, input, label, 'exId').map((exchange, i) => {
    if (!sameId(exchange.uid, uid)) throw mismatch(`${label}[${i}].uid`, uid, 'the user asked for');
    return exchange;
  });
}

/**
 * Validates a catalog list; duplicates are rejected.
 * @param input - Untrusted input.
 * @param label - Argument name for errors.
 * @returns The parsed catalog exchanges.
 * @throws {ValidationError} naming the item and field.
 */
export function parseCatExchanges(input: unknown, label: string): CatExchange[] {
  return checkList(CatExchange, input, label, 'catExId');
}

/**
 * Whether a record belongs to a user (`1` and `'1'` are the same id).
 * @param exchange - The record.
 * @param uid - The user.
 * @returns `true` when it does.
 */
export function ownedBy(exchange: Exchange, uid: Id): boolean {
  return sameId(exchange.uid, uid);
}
