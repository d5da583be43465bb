import * as v from 'valibot';
import { ConfigurationError, ValidationError } from '../errors.js';

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
 * Checks a method's options argument: absent, or a plain object. The same check as
 * `optionsObject` (`@fullon/core/author`), which is the documented one.
 * @deprecated Use `optionsObject`; this name stays until every package has switched.
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

/**
 * Defines `key` as an own, enumerable property: unlike `target[key] = value`, a key named
 * `__proto__` becomes a property instead of replacing the prototype.
 * @param target - The object being built.
 * @param key - Any name, `__proto__` included.
 * @param value - The value.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * A schema for a plain object of name → value that keeps every own key: valibot's `record`
 * silently drops `__proto__`, `constructor` and `prototype`, so a currency or param of that
 * name would vanish. A `Map`, array, `Date` or class instance is refused (`message`). The
 * output is a new object holding each parsed value under its key (defined as an own property).
 * @param key - Schema of each key, e.g. `Name`.
 * @param value - Schema of each value.
 * @param message - The message when the input is not a plain object.
 * @returns The schema; an issue names the key's path (`balances.BTC.free`).
 */
export function ownRecord<TValue extends v.GenericSchema>(
  key: v.GenericSchema<string, string>,
  value: TValue,
  message = 'must be a plain object',
) {
  return v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, message),
    v.rawTransform<Record<string, unknown>, Record<string, v.InferOutput<TValue>>>(
      ({ dataset, addIssue, NEVER }) => {
        const input = dataset.value;
        const out: Record<string, v.InferOutput<TValue>> = {};
        for (const name of Object.keys(input)) {
          const item: unknown = input[name];
          const pathItem = {
            type: 'object',
            origin: 'value',
            input,
            key: name,
            value: item,
          } as const;
          const parsedKey = v.safeParse(key, name);
          if (!parsedKey.success) {
            addIssue({ message: `key ${parsedKey.issues[0].message}`, path: [pathItem] });
            return NEVER;
          }
          const parsed = v.safeParse(value, item);
          if (!parsed.success) {
            const [issue] = parsed.issues;
            addIssue({ message: issue.message, path: [pathItem, ...(issue.path ?? [])] });
            return NEVER;
          }
          setOwn(out, name, parsed.output);
        }
        return out;
      },
    ),
  );
}
