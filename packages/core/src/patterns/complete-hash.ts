import type { CacheConnectionLike, RedisArg } from '../connection/connection-like.js';
import { DELETE_KEYS } from '../scripts/delete-keys.js';
import { rejectCorrupt } from '../scripts/lua-snippets.js';
import { REPLACE_HASH } from '../scripts/replace-hash.js';
import { ScriptReply } from '../scripts/script-reply.js';
import { UPSERT_HASH_FIELD } from '../scripts/upsert-hash-field.js';
import { hashEntries } from '../util/pairs.js';
import { BUFFERS } from '../util/send-options.js';

/**
 * Field that marks a hash as a complete copy of its source, so "known to be empty" and "never
 * loaded" differ. Never a real field: every name is non-empty.
 */
export const COMPLETE_MARKER = '';

/**
 * Reads a whole complete-copy hash.
 * @param conn - Connection.
 * @param key - The hash.
 * @returns Field → bytes without the marker, or `undefined` when the hash is absent (a miss).
 */
export async function readCompleteHash(
  conn: CacheConnectionLike,
  key: string,
): Promise<Map<string, Buffer> | undefined> {
  const flat = await conn.send<Buffer[]>(key, ['HGETALL', key], BUFFERS);
  if (flat.length === 0) return undefined;
  const fields = new Map<string, Buffer>();
  for (const [field, value] of hashEntries(flat)) {
    if (field !== COMPLETE_MARKER) fields.set(field, value);
  }
  return fields;
}

/** One field of a complete-copy hash, and whether the hash exists at all. */
export interface CompleteFieldRead {
  /** The field's bytes, or `null`. */
  value: Buffer | null;
  /** Whether the hash is present (a complete copy): a missing field is then a real "no". */
  present: boolean;
}

/**
 * Reads one field of a complete-copy hash together with its marker, in one command.
 * @param conn - Connection.
 * @param key - The hash.
 * @param field - The field.
 * @returns The field and whether the hash is present.
 */
export async function readCompleteHashField(
  conn: CacheConnectionLike,
  key: string,
  field: string,
): Promise<CompleteFieldRead> {
  const [value = null, marker = null] = await conn.send<(Buffer | null)[]>(
    key,
    ['HMGET', key, field, COMPLETE_MARKER],
    BUFFERS,
  );
  return { value, present: value !== null || marker !== null };
}

/**
 * Replaces a complete-copy hash in one atomic step (old fields dropped, marker and TTL set);
 * an empty `entries` stores "known to be empty".
 * @param conn - Connection.
 * @param key - The hash.
 * @param entries - Field → value pairs.
 * @param ttlMs - Lifetime of the copy, in ms.
 * @returns How many fields were written.
 */
export function replaceCompleteHash(
  conn: CacheConnectionLike,
  key: string,
  entries: Iterable<readonly [string, RedisArg]>,
  ttlMs: number,
): Promise<number> {
  const args: RedisArg[] = [String(ttlMs), COMPLETE_MARKER];
  for (const [field, value] of entries) args.push(field, value);
  return conn.runScript<number>(REPLACE_HASH, [key], args);
}

/** Options of {@link upsertCompleteHashField}. */
export interface UpsertFieldOptions {
  /** Lifetime of the copy, renewed by the write, in ms. */
  ttlMs: number;
  /**
   * Create the hash when absent. Pass `false` when a loader fills the copy: a one-field hash
   * would then pass for the complete set.
   */
  create: boolean;
}

/**
 * Writes one field of a complete-copy hash and renews its TTL, atomically.
 * @param conn - Connection.
 * @param key - The hash.
 * @param field - The field.
 * @param value - Its bytes.
 * @param options - `ttlMs`, and whether to `create` an absent hash.
 * @returns `true` when written, `false` when the hash was absent and not created.
 * @throws {DecodeError} naming the key when it holds another Redis type; nothing is written.
 */
export async function upsertCompleteHashField(
  conn: CacheConnectionLike,
  key: string,
  field: string,
  value: RedisArg,
  options: UpsertFieldOptions,
): Promise<boolean> {
  const written = await conn.runScript<number, number>(
    UPSERT_HASH_FIELD,
    [key],
    [String(options.ttlMs), options.create ? '1' : '0', COMPLETE_MARKER, field, value],
    undefined,
    rejectCorrupt,
  );
  return written === ScriptReply.ok;
}

/**
 * Deletes keys that share a hash tag in one atomic step.
 * @param conn - Connection.
 * @param keys - The keys (one slot on a cluster).
 * @returns How many existed.
 */
export function deleteKeys(conn: CacheConnectionLike, keys: readonly string[]): Promise<number> {
  return keys.length === 0 ? Promise.resolve(0) : conn.runScript<number>(DELETE_KEYS, keys, []);
}
