import { Name, NonNegative, ValidationError, validate } from '@fullon/core';
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
 * Checks a symbol or exchange name (non-empty string of at most 256 characters).
 * @internal The common case is decided without valibot; a bad value gets valibot's message.
 * @param value - Untrusted input.
 * @param field - Name for the error.
 * @returns The name.
 * @throws {ValidationError} naming `field`.
 */
export function checkName(value: unknown, field: string): string {
  if (typeof value === 'string' && value.length > 0 && value.length <= 256) return value;
  return validate(Name, value, field);
}

/**
 * Checks an optional age or timeout in ms (finite, ≥ 0).
 * @internal
 * @param value - Untrusted input, or `undefined`.
 * @param field - Name for the error.
 * @returns The number, or `undefined`.
 * @throws {ValidationError} naming `field`.
 */
export function checkOptionalMs(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : validate(NonNegative, value, field);
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
  if (label === undefined) return validate(Tick, input, 'tick');
  try {
    return validate(Tick, input, label);
  } catch (error) {
    if (!ValidationError.is(error) || error.field === label) throw error;
    throw new ValidationError(`${label}.${error.field}`, `${label}.${error.message}`, error.issues);
  }
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
