import { ValidationError } from '@fullon/core';
import {
  checkName,
  countOption,
  optionalAge,
  optionsObject,
  signalOption,
  validate,
  validateAt,
} from '@fullon/core/author';
import { isValidTick } from './fast-check.js';
import { Tick } from './schema.js';
import type { SymbolRef } from './types.js';

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
 * Checks the options of `setTicker`/`setTickers`: absent, or a plain object whose `force` is
 * absent or a boolean.
 * @internal
 * @param value - Untrusted options.
 * @returns Whether to write even an older tick.
 * @throws {ValidationError} naming `options` or `force`.
 */
export function forceOption(value: unknown): boolean {
  if (value === undefined) return false;
  const { force } = optionsObject(value);
  if (force === undefined || typeof force === 'boolean') return force === true;
  throw new ValidationError('force', 'force: must be a boolean');
}

/**
 * Checks the options of a single read (`getTicker`, `getPrice`): absent, or a plain object
 * whose `maxAgeMs` is absent or a number ≥ 0.
 * @internal
 * @param value - Untrusted options.
 * @returns The age limit, or `undefined` for none.
 * @throws {ValidationError} naming `options` or `maxAgeMs`.
 */
export function maxAgeOption(value: unknown): number | undefined {
  return value === undefined ? undefined : optionalAge(optionsObject(value).maxAgeMs, 'maxAgeMs');
}

/**
 * Resolves the two call forms `(symbol, exchange, options?)` and `({ symbol, exchange }, options?)`.
 * @internal
 * @param first - A symbol or a `{ symbol, exchange }` reference.
 * @param second - The exchange, or the options after a reference.
 * @param third - The options after `(symbol, exchange)`.
 * @returns Checked names, and the options as given (check them with {@link maxAgeOption}).
 * @throws {ValidationError} naming `symbol`, `exchange` or `options`.
 */
export function resolveRef(
  first: unknown,
  second: unknown,
  third: unknown,
): { symbol: string; exchange: string; options: unknown } {
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
  if (typeof second === 'string') {
    throw new ValidationError(
      'options',
      'options: must be an object; with a { symbol, exchange } reference, the exchange is not repeated',
    );
  }
  const ref = first as Partial<SymbolRef>;
  return {
    symbol: checkName(ref.symbol, 'symbol'),
    exchange: checkName(ref.exchange, 'exchange'),
    options: second,
  };
}

/** Default `bufferSize` of `subscribe`. */
const DEFAULT_BUFFER_SIZE = 10_000;

/**
 * Checks `subscribe`'s options: absent, or a plain object of `exchange`, `symbol`, `signal`
 * and `bufferSize`, each absent or valid.
 * @internal
 * @param value - Untrusted options.
 * @returns The options given, checked (absent ones left out).
 * @throws {ValidationError} naming `options`, `exchange`, `symbol`, `signal` or `bufferSize`.
 */
export function subscribeOptions(value: unknown): {
  exchange?: string;
  symbol?: string;
  signal?: AbortSignal;
  bufferSize?: number;
} {
  const checked = optionsObject(value);
  const exchange =
    checked.exchange === undefined ? undefined : checkName(checked.exchange, 'exchange');
  const symbol = checked.symbol === undefined ? undefined : checkName(checked.symbol, 'symbol');
  const signal = signalOption(checked.signal);
  const bufferSize =
    checked.bufferSize === undefined
      ? undefined
      : countOption(checked.bufferSize, DEFAULT_BUFFER_SIZE, 'bufferSize');
  return {
    ...(exchange === undefined ? {} : { exchange }),
    ...(symbol === undefined ? {} : { symbol }),
    ...(signal === undefined ? {} : { signal }),
    ...(bufferSize === undefined ? {} : { bufferSize }),
  };
}

/**
 * Checks `getAnyTicker`'s `exchanges` option: absent, or an array of names.
 * @internal
 * @param value - Untrusted option.
 * @returns The names, or `undefined` for every registered exchange.
 * @throws {ValidationError} naming `exchanges` or `exchanges[i]`.
 */
export function exchangesOption(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new ValidationError('exchanges', 'exchanges: must be an array of exchange names');
  }
  return value.map((exchange: unknown, i) => checkName(exchange, `exchanges[${i}]`));
}
