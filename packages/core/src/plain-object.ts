import { ConfigurationError, ValidationError } from './errors.js';

/**
 * Whether `value` is a plain object: its prototype is `Object.prototype` or `null`. A `Map`,
 * `Set`, `Date`, array, class instance, function or primitive is not.
 * @param value - Anything.
 * @returns `true` for `{…}`, `Object.create(null)` and `JSON.parse` objects.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a record argument (currency → balance, name → value): it must be a plain object, so a
 * `Map`, array or `Date` (whose entries `Object.entries` would not see, or would see as `"0"`,
 * `"1"`…) is refused instead of read as an empty or wrong record.
 * @param value - Untrusted input.
 * @param field - Name for the error, e.g. `balances`.
 * @returns The object.
 * @throws {ValidationError} naming `field`.
 */
export function plainRecord(value: unknown, field: string): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  throw new ValidationError(field, `${field}: must be a plain object`);
}

/**
 * Checks a method's options argument: absent, or a plain object.
 * @param value - Untrusted input.
 * @param field - Name for the error. Defaults to `options`.
 * @returns The options (`{}` when absent).
 * @throws {ValidationError} naming `field` (`null`, a number, a string, a `Map`…).
 */
export function plainOptions(value: unknown, field = 'options'): Record<string, unknown> {
  return value === undefined ? {} : plainRecord(value, field);
}

/**
 * Checks a cache constructor's options argument: absent, or a plain object. A wrong value is
 * a configuration mistake, reported as such before any option is read.
 * @param value - Untrusted input.
 * @param cache - The cache class, for the message, e.g. `ProcessCache`.
 * @returns The options (`{}` when absent).
 * @throws {ConfigurationError} naming `options`.
 */
export function cacheOptions(value: unknown, cache: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (isPlainObject(value)) return value;
  throw new ConfigurationError('options', `${cache} options must be a plain object`);
}
