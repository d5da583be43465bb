import { DecodeError } from '@fullon/core';
import { defineLayout, type Id } from '@fullon/core/author';
import { CatExchange, Exchange, StoredSymbol, StoredSymbolFields } from './schema.js';

/**
 * @internal Stored tuple of a symbol. v2 added `precisionMode`, `pricePrecision` and
 * `amountPrecision`; a v1 tuple reads as corrupt until the set is reloaded (the TTL bounds it).
 */
export const SymbolLayout = defineLayout({
  name: 'symbol',
  version: 2,
  schema: StoredSymbolFields,
  check: StoredSymbol,
  fields: [
    'symbol',
    'base',
    'quote',
    'symbolId',
    'catExId',
    'futures',
    'decimals',
    'precisionMode',
    'pricePrecision',
    'amountPrecision',
    'updateFrame',
    'backtest',
    'onlyTicker',
  ],
});

/**
 * @internal Stored tuple of an exchange account. v2 renamed `uid` to `userId`; a v1 tuple reads
 * as corrupt until it is written again or expires.
 */
export const ExchangeLayout = defineLayout({
  name: 'exchange',
  version: 2,
  schema: Exchange,
  fields: ['exId', 'userId', 'name', 'catExId', 'catExchange', 'active', 'test'],
});

/** @internal Stored tuple of a catalog exchange (v1). */
export const CatExchangeLayout = defineLayout({
  name: 'cat-exchange',
  version: 1,
  schema: CatExchange,
  fields: ['catExId', 'name'],
});

/**
 * Checks that a decoded record carries the id its key names. Ids compare as text, because `7`
 * and `'7'` name one entry while a record keeps the type it was stored with (so the layout's
 * strict-equality `expect` cannot be used for ids).
 * @internal
 * @param record - The decoded record.
 * @param id - Name of its identity field.
 * @param expected - The id in its key or hash field.
 * @param key - Redis key, for the error.
 * @param field - Hash field, for the error.
 * @returns The record.
 * @throws {DecodeError} when the record is another one's.
 */
export function withId<T extends Record<K, Id>, K extends string>(
  record: T,
  id: K,
  expected: Id,
  key: string,
  field?: string,
): T {
  if (String(record[id]) === String(expected)) return record;
  throw new DecodeError(
    key,
    field,
    `stored ${id} is ${JSON.stringify(record[id])}, not the ${JSON.stringify(String(expected))} its key names`,
  );
}
