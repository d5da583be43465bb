import * as v from 'valibot';
import { DecodeError, ValidationError } from '../errors.js';
import { isPlainObject, plainRecord } from './plain-object.js';
import {
  Count,
  Id,
  isNameText,
  MAX_NAME_LENGTH,
  Name,
  NonNegative,
  PositiveMs,
  WaitMs,
} from './schemas.js';

function firstIssue(
  issues: readonly v.BaseIssue<unknown>[],
  input: unknown,
): {
  path: string;
  message: string;
} {
  const [first] = issues;
  // valibot's object schemas read keys of any object: an array, Map or Date where a record is
  // expected fails on its first missing key. Name the value itself instead.
  if (first?.path?.[0]?.type === 'object' && !isPlainObject(input)) {
    return { path: '', message: 'must be a plain object' };
  }
  return {
    path: first === undefined ? '' : (v.getDotPath(first) ?? ''),
    message: first?.message ?? 'invalid',
  };
}

/**
 * Validates `input`, naming the offending field by its own path (`bid`, `balance.free`), or
 * `root` when the value itself is wrong. Use it for a record passed as the whole argument.
 * @param schema - A valibot schema.
 * @param input - Untrusted input.
 * @param root - Name of the value itself, e.g. `tick` or `exchange`.
 * @returns The parsed output.
 * @throws {ValidationError} naming the first offending field.
 */
export function validate<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  root = 'value',
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const { path, message } = firstIssue(result.issues, input);
  const field = path === '' ? root : path;
  throw new ValidationError(field, `${field}: ${message}`, result.issues);
}

/**
 * Validates `input`, naming the field under `label` (`exchange.name`, `ticks[3].bid`). Use it
 * for items of a list and for arguments whose own name should lead the path.
 * @param schema - A valibot schema.
 * @param input - Untrusted input.
 * @param label - The argument's name, e.g. `symbols[2]`.
 * @returns The parsed output.
 * @throws {ValidationError} naming `label.path`.
 */
export function validateAt<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  label: string,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const { path, message } = firstIssue(result.issues, input);
  const field = path === '' ? label : `${label}.${path}`;
  throw new ValidationError(field, `${field}: ${message}`, result.issues);
}

/**
 * Validates a list item by item (`label[i].path` in errors), optionally rejecting two items
 * with the same identity field.
 * @param schema - Schema of one item.
 * @param items - Untrusted input.
 * @param label - The argument's name, e.g. `symbols`.
 * @param identity - The item's identity field, checked for duplicates; omit to allow them.
 * @returns The parsed items.
 * @throws {ValidationError} naming the first offending item and field.
 */
export function validateList<TSchema extends v.GenericSchema>(
  schema: TSchema,
  items: unknown,
  label: string,
  identity?: string,
): v.InferOutput<TSchema>[] {
  if (!Array.isArray(items)) throw new ValidationError(label, `${label}: must be an array`);
  const seen = new Set<string>();
  return items.map((item: unknown, i) => {
    const parsed = validateAt(schema, item, `${label}[${i}]`);
    if (identity === undefined) return parsed;
    const id = String((parsed as Record<string, unknown>)[identity]);
    if (seen.has(id)) {
      const field = `${label}[${i}].${identity}`;
      throw new ValidationError(field, `${field}: duplicate ${identity} ${JSON.stringify(id)}`);
    }
    seen.add(id);
    return parsed;
  });
}

/**
 * Validates an option that has a default.
 * @param schema - The option's schema (e.g. `TtlMs`, `Count`, `WaitMs`).
 * @param value - The option as given, possibly `undefined`.
 * @param fallback - The default, used when `value` is `undefined`.
 * @param label - The option's name, e.g. `ttlMs`.
 * @returns The value, or the default.
 * @throws {ValidationError} naming `label`.
 */
export function option<TSchema extends v.GenericSchema>(
  schema: TSchema,
  value: unknown,
  fallback: v.InferOutput<TSchema>,
  label: string,
): v.InferOutput<TSchema> {
  return value === undefined ? fallback : validate(schema, value, label);
}

/**
 * Checks a name (symbol, exchange, currency, queue): the common valid case is decided without
 * valibot, which matters on hot reads; anything else gets {@link Name}'s message.
 * @param value - Untrusted input.
 * @param field - Name for the error.
 * @returns The name.
 * @throws {ValidationError} naming `field`.
 */
export function checkName(value: unknown, field: string): string {
  if (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_NAME_LENGTH &&
    isNameText(value)
  ) {
    return value;
  }
  return validate(Name, value, field);
}

/**
 * Checks an optional age in ms (finite, ≥ 0), e.g. `maxAgeMs`.
 * @param value - Untrusted input, or `undefined`.
 * @param field - Name for the error.
 * @returns The number, or `undefined`.
 * @throws {ValidationError} naming `field`.
 */
export function optionalAge(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : validate(NonNegative, value, field);
}

/**
 * Checks a wait option (`timeoutMs`): whole ms from 0 to 2 147 483 647.
 * @param value - Untrusted input, or `undefined` for the default.
 * @param fallback - The default.
 * @param field - Name for the error.
 * @returns The wait in ms.
 * @throws {ValidationError} naming `field`.
 */
export function waitOption(value: unknown, fallback: number, field = 'timeoutMs'): number {
  return option(WaitMs, value, fallback, field);
}

/**
 * Checks a TTL option (`ttlMs`): whole ms from 1 to ten years.
 * @param value - Untrusted input, or `undefined` for the default.
 * @param fallback - The default.
 * @param field - Name for the error.
 * @returns The TTL in ms.
 * @throws {ValidationError} naming `field`.
 */
export function ttlOption(value: unknown, fallback: number, field = 'ttlMs'): number {
  return option(PositiveMs, value, fallback, field);
}

/**
 * Checks a cap option (`maxBars`, `maxAttempts`…): a whole number from 1 to 10 000 000.
 * @param value - Untrusted input, or `undefined` for the default.
 * @param fallback - The default.
 * @param field - Name for the error.
 * @returns The count.
 * @throws {ValidationError} naming `field`.
 */
export function countOption(value: unknown, fallback: number, field: string): number {
  return option(Count, value, fallback, field);
}

/**
 * Re-checks a record read from Redis against its schema: the layout checks slot types, this
 * checks the rules (finite numbers, bid ≤ ask, an id that is neither string nor whole number).
 * @param schema - The record's full schema, cross-field rules included.
 * @param record - What was decoded.
 * @param name - Record name for the message, e.g. `tick`.
 * @param key - Redis key, for the error.
 * @param field - Hash field, for the error.
 * @returns The record.
 * @throws {DecodeError} when a rule does not hold.
 */
export function validateStored<TSchema extends v.GenericSchema>(
  schema: TSchema,
  record: unknown,
  name: string,
  key: string,
  field?: string,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, record);
  if (result.success) return result.output;
  const { path, message } = firstIssue(result.issues, record);
  throw new DecodeError(key, field, `stored ${name}${path === '' ? '' : `.${path}`}: ${message}`);
}

/**
 * Checks an id (`exId`, `botId`, `userId`…) and returns the string form keys use: a name, or a
 * whole number from 0 to `Number.MAX_SAFE_INTEGER` (`7` and `'7'` name the same thing). The
 * common valid cases are decided without valibot (hot paths); anything else gets `Id`'s message.
 * @param value - Untrusted input.
 * @param field - Name for the error.
 * @returns The id as a string.
 * @throws {ValidationError} naming `field`.
 */
export function idKey(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string') return checkName(value, field);
  return String(validate(Id, value, field));
}

/**
 * Checks a method's options argument: absent, or a plain object (a `Map`, array, `Date`, class
 * instance or primitive is refused). The one check every method that takes an options object
 * runs before reading an option; a cache constructor uses `cacheOptions` instead, which reports
 * a `ConfigurationError`.
 * @param value - Untrusted input.
 * @param field - Name for the error. Defaults to `options`.
 * @returns The options as a record (`{}` when absent).
 * @throws {ValidationError} naming `field`.
 */
export function optionsObject(value: unknown, field = 'options'): Record<string, unknown> {
  return value === undefined ? {} : plainRecord(value, field);
}

/**
 * Refuses options that were renamed: an old name would otherwise be ignored without a word
 * and the default used in its place. Call it on an options object before reading it.
 * @param options - The options object (already checked to be a plain object).
 * @param renamed - Old name → new name, e.g. `{ sinceMs: 'maxAgeMs' }`.
 * @param field - Name of the options argument for the error. Defaults to `options`.
 * @throws {ValidationError} naming `field.oldName` and its new name.
 */
export function rejectRenamedOptions(
  options: object,
  renamed: Readonly<Record<string, string>>,
  field = 'options',
): void {
  for (const [old, now] of Object.entries(renamed)) {
    if (Object.hasOwn(options, old)) {
      throw new ValidationError(`${field}.${old}`, `${field}.${old}: was renamed to ${now}`);
    }
  }
}

/**
 * Checks a `signal` option: an `AbortSignal`, or absent. Anything else is a programming error,
 * reported before any connection is touched (a caller that retries connection errors must not
 * retry it).
 * @param value - Untrusted input, or `undefined`.
 * @param field - Name for the error. Defaults to `signal`.
 * @returns The signal, or `undefined`.
 * @throws {ValidationError} naming `field`.
 */
export function signalOption(value: unknown, field = 'signal'): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw new ValidationError(field, `${field}: must be an AbortSignal`);
}
