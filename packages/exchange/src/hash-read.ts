import type { CacheConnection } from '@fullon/core';
import { COMPLETE_MARKER } from './keys.js';

/**
 * Reads a whole cached hash.
 * @param conn - Connection.
 * @param key - The hash.
 * @returns Field → bytes without the marker, or `undefined` when the hash is absent (a miss).
 */
export async function readHash(
  conn: CacheConnection,
  key: string,
): Promise<Map<string, Buffer> | undefined> {
  const flat = await conn.send<Buffer[]>(key, ['HGETALL', key], { buffers: true });
  if (flat.length === 0) return undefined;
  const fields = new Map<string, Buffer>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = (flat[i] as Buffer).toString('utf8');
    if (field !== COMPLETE_MARKER) fields.set(field, flat[i + 1] as Buffer);
  }
  return fields;
}

/** One field of a cached hash, and whether the hash exists at all. */
export interface FieldRead {
  /** The field's bytes, or `null`. */
  value: Buffer | null;
  /** Whether the hash is present (a complete copy): a missing field is then a real "no". */
  present: boolean;
}

/**
 * Reads one field of a cached hash together with its completeness marker, in one command.
 * @param conn - Connection.
 * @param key - The hash.
 * @param field - The field.
 * @returns The field and whether the hash is present.
 */
export async function readHashField(
  conn: CacheConnection,
  key: string,
  field: string,
): Promise<FieldRead> {
  const [value = null, marker = null] = await conn.send<(Buffer | null)[]>(
    key,
    ['HMGET', key, field, COMPLETE_MARKER],
    { buffers: true },
  );
  return { value, present: value !== null || marker !== null };
}

/**
 * Orders ids as people expect: numerically where both look like numbers, else by text.
 * @param a - First id.
 * @param b - Second id.
 * @returns Negative, zero or positive.
 */
export function compareIds(a: string | number, b: string | number): number {
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}
