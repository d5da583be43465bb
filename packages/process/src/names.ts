import { isPlainObject, setOwn } from '@fullon/core/author';
import type { JsonObject, JsonValue } from './schema.js';

// msgpack decoders refuse a map key `__proto__` (@msgpack/msgpack throws "The key __proto__ is
// not allowed"), so a param or data key of that name is stored escaped: a leading NUL is added
// to `__proto__` and to every name that already starts with NUL, and one leading NUL is removed
// on read. Every other name is stored as it is, so records written before keep their bytes.
const ESCAPE = '\u0000';

/**
 * @param name - A param or data key.
 * @returns The key as stored.
 * @internal
 */
export function escapeName(name: string): string {
  return name === '__proto__' || name.startsWith(ESCAPE) ? ESCAPE + name : name;
}

/**
 * @param stored - A key as stored.
 * @returns The key as given.
 * @internal
 */
export function unescapeName(stored: string): string {
  return stored.startsWith(ESCAPE) ? stored.slice(1) : stored;
}

/**
 * Escapes every object key of a JSON value, at every depth (broadcast data is stored inline).
 * @param value - A validated JSON value.
 * @returns The value as stored.
 * @internal
 */
export function escapeJson(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(escapeJson);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    setOwn(out, escapeName(name), escapeJson(value[name] as JsonValue));
  }
  return out;
}

/**
 * Undoes {@link escapeJson}.
 * @param value - A decoded JSON value.
 * @returns The value as sent.
 * @internal
 */
export function unescapeJson(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(unescapeJson);
  if (!isPlainObject(value)) return value as JsonValue;
  const out: JsonObject = {};
  for (const name of Object.keys(value)) setOwn(out, unescapeName(name), unescapeJson(value[name]));
  return out;
}

/**
 * Counts names into an object whose keys are only the names counted: a type or status named
 * `constructor` or `__proto__` is counted like any other.
 * @param names - The names, one per item counted.
 * @returns Name → count.
 * @internal
 */
export function countNames(names: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return Object.fromEntries(counts);
}
