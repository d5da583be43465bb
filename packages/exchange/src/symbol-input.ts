import { ValidationError } from '@fullon/core';
import { validateAt, validateList } from '@fullon/core/author';
import { type CachedSymbol, SymbolInfo } from './schema.js';

function withExchange(symbol: SymbolInfo, exchange: string, label: string): CachedSymbol {
  if (symbol.exchange !== undefined && symbol.exchange !== exchange) {
    const field = `${label}.exchange`;
    throw new ValidationError(
      field,
      `${field}: must be ${JSON.stringify(exchange)} (the exchange argument)`,
    );
  }
  return { ...symbol, exchange };
}

/**
 * Validates one symbol for an exchange.
 * @internal
 * @param exchange - The exchange it belongs to.
 * @param input - Untrusted input.
 * @param label - Argument name for errors, e.g. `symbol`.
 * @returns The symbol with `exchange` set.
 * @throws {ValidationError} naming the field, also when `exchange` differs from the argument.
 */
export function parseSymbol(exchange: string, input: unknown, label: string): CachedSymbol {
  return withExchange(validateAt(SymbolInfo, input, label), exchange, label);
}

/**
 * Validates a symbol set for an exchange; duplicates are rejected.
 * @internal
 * @param exchange - The exchange they belong to.
 * @param input - Untrusted input.
 * @param label - Argument name for errors, e.g. `symbols` (fields read `symbols[2].base`).
 * @returns The symbols with `exchange` set.
 * @throws {ValidationError} naming the item and field.
 */
export function parseSymbols(exchange: string, input: unknown, label: string): CachedSymbol[] {
  return validateList(SymbolInfo, input, label, 'symbol').map((symbol, i) =>
    withExchange(symbol, exchange, `${label}[${i}]`),
  );
}

/**
 * Sorts symbols by name (code-unit order), in place.
 * @internal
 */
export function sortSymbols(symbols: CachedSymbol[]): CachedSymbol[] {
  return symbols.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}
