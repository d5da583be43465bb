import { type Codec, defineLayout } from '@fullon/core';
import { CatExchange, Exchange, StoredSymbol } from './schema.js';
import { checkStored } from './validation.js';

/** @internal Stored tuple of a symbol (v1). */
export const SymbolLayout = defineLayout({
  name: 'symbol',
  version: 1,
  schema: StoredSymbol,
  fields: [
    'symbol',
    'base',
    'quote',
    'symbolId',
    'catExId',
    'futures',
    'decimals',
    'updateFrame',
    'backtest',
    'onlyTicker',
  ],
});

/** @internal Stored tuple of an exchange account (v1). */
export const ExchangeLayout = defineLayout({
  name: 'exchange',
  version: 1,
  schema: Exchange,
  fields: ['exId', 'uid', 'name', 'catExId', 'catExchange', 'active', 'test'],
});

/** @internal Stored tuple of a catalog exchange (v1). */
export const CatExchangeLayout = defineLayout({
  name: 'cat-exchange',
  version: 1,
  schema: CatExchange,
  fields: ['catExId', 'name'],
});

/**
 * Decodes and re-checks a stored symbol.
 * @param codec - The connection's codec.
 * @param bytes - Stored bytes.
 * @param key - Redis key, for the error.
 * @param field - Hash field, for the error.
 * @returns The symbol, without its exchange.
 * @throws {DecodeError} on corrupt bytes or a record that breaks the schema.
 */
export function decodeSymbol(
  codec: Codec,
  bytes: Buffer,
  key: string,
  field: string,
): StoredSymbol {
  return checkStored(
    StoredSymbol,
    SymbolLayout.decode(codec, bytes, key, field),
    'symbol',
    key,
    field,
  );
}

/**
 * Decodes and re-checks a stored exchange account.
 * @param codec - The connection's codec.
 * @param bytes - Stored bytes.
 * @param key - Redis key, for the error.
 * @returns The account.
 * @throws {DecodeError} on corrupt bytes or a record that breaks the schema.
 */
export function decodeExchange(codec: Codec, bytes: Buffer, key: string): Exchange {
  return checkStored(Exchange, ExchangeLayout.decode(codec, bytes, key), 'exchange', key);
}

/**
 * Decodes and re-checks a stored catalog exchange.
 * @param codec - The connection's codec.
 * @param bytes - Stored bytes.
 * @param key - Redis key, for the error.
 * @param field - Hash field, for the error.
 * @returns The catalog exchange.
 * @throws {DecodeError} on corrupt bytes or a record that breaks the schema.
 */
export function decodeCatExchange(
  codec: Codec,
  bytes: Buffer,
  key: string,
  field: string,
): CatExchange {
  return checkStored(
    CatExchange,
    CatExchangeLayout.decode(codec, bytes, key, field),
    'cat-exchange',
    key,
    field,
  );
}
