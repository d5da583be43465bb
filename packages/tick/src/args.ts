import { ValidationError } from '@fullon/core';
import { checkName, validate, validateAt } from '@fullon/core/author';
import { isValidTick } from './fast-parse.js';
import { Tick } from './schema.js';

/** A ticker named by symbol and exchange. */
export interface SymbolRef {
  /** Symbol, e.g. `BTC/USDT`. */
  symbol: string;
  /** Exchange name, e.g. `binance`. */
  exchange: string;
}

/**
 * Validates a tick. Within a batch, `label` is `ticks[i]` and prefixes the field.
 * @internal
 * @param input - Untrusted input.
 * @param label - `ticks[i]` within a batch; absent for a single tick.
 * @returns The tick (a valid input is returned as it is).
 * @throws {ValidationError} naming the field, e.g. `bid` or `ticks[3].time`.
 */
export function parseTick(input: unknown, label?: string): Tick {
  if (isValidTick(input)) return input;
  return label === undefined ? validate(Tick, input, 'tick') : validateAt(Tick, input, label);
}

/**
 * Resolves the two call forms `(symbol, exchange, options?)` and `({ symbol, exchange }, options?)`.
 * @internal
 * @param first - A symbol or a `{ symbol, exchange }` reference.
 * @param second - The exchange, or the options after a reference.
 * @param third - The options after `(symbol, exchange)`.
 * @returns Checked names and the options.
 * @throws {ValidationError} naming `symbol`, `exchange` or `options`.
 */
export function resolveRef<TOptions extends object>(
  first: unknown,
  second: unknown,
  third: TOptions | undefined,
): { symbol: string; exchange: string; options: TOptions | undefined } {
  if (typeof first === 'string') {
    return {
      symbol: checkName(first, 'symbol'),
      exchange: checkName(second, 'exchange'),
      options: third,
    };
  }
  if (typeof first !== 'object' || first === null) {
    throw new ValidationError(
      'symbol',
      'symbol: must be a string or a { symbol, exchange } reference',
    );
  }
  if (second !== undefined && (typeof second !== 'object' || second === null)) {
    throw new ValidationError(
      'options',
      'options: must be an object; with a { symbol, exchange } reference, the exchange is not repeated',
    );
  }
  const ref = first as Partial<SymbolRef>;
  return {
    symbol: checkName(ref.symbol, 'symbol'),
    exchange: checkName(ref.exchange, 'exchange'),
    options: second as TOptions | undefined,
  };
}
