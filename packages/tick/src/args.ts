import { Name, NonNegative, ValidationError, validate } from '@fullon/core';
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
 * @throws {ValidationError} naming `field`.
 */
export function checkName(value: unknown, field: string): string {
  if (typeof value === 'string' && value.length > 0 && value.length <= 256) return value;
  return validate(Name, value, field);
}

/**
 * Checks an optional age or timeout in ms (finite, ≥ 0).
 * @internal
 * @throws {ValidationError} naming `field`.
 */
export function checkOptionalMs(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : validate(NonNegative, value, field);
}

/**
 * Validates a tick. Within a batch, `label` is `ticks[i]` and prefixes the field.
 * @internal
 * @throws {ValidationError} naming the field, e.g. `bid` or `ticks[3].time`.
 */
export function parseTick(input: unknown, label?: string): Tick {
  if (label === undefined) return validate(Tick, input, 'tick');
  try {
    return validate(Tick, input, label);
  } catch (error) {
    if (!ValidationError.is(error) || error.field === label) throw error;
    throw new ValidationError(`${label}.${error.field}`, `${label}.${error.message}`, error.issues);
  }
}

/** The two call forms `(symbol, exchange, options?)` and `({ symbol, exchange }, options?)`. */
export type RefArgs<TOptions> =
  | [symbol: string, exchange: string, options?: TOptions | undefined]
  | [ref: SymbolRef, options?: TOptions | undefined];

/**
 * Resolves both call forms into symbol, exchange and options.
 * @internal
 * @throws {ValidationError} naming `symbol`, `exchange` or `options`.
 */
export function resolveRef<TOptions extends object>(
  args: RefArgs<TOptions>,
): { symbol: string; exchange: string; options: TOptions | undefined } {
  const [first, second, third] = args;
  if (typeof first === 'object' && first !== null) {
    if (second !== undefined && (typeof second !== 'object' || second === null)) {
      throw new ValidationError(
        'options',
        'options: must be an object; with a { symbol, exchange } reference, the exchange is not repeated',
      );
    }
    return {
      symbol: checkName(first.symbol, 'symbol'),
      exchange: checkName(first.exchange, 'exchange'),
      options: second as TOptions | undefined,
    };
  }
  return {
    symbol: checkName(first, 'symbol'),
    exchange: checkName(second, 'exchange'),
    options: third,
  };
}
