import { msgpackCodec } from '@fullon/core';
import type { RecordLayout } from '@fullon/core/author';

/**
 * Bytes of a tuple in `layout`, written without any check: what another writer (or a bug)
 * could store. Absent fields are `null`, as the layout stores them.
 * @param layout - The record layout.
 * @param fields - Field values, by name.
 * @returns msgpack bytes.
 */
export function rawTuple<T>(layout: RecordLayout<T>, fields: Record<string, unknown>): Buffer {
  return msgpackCodec.encode([layout.version, ...layout.fields.map((f) => fields[f] ?? null)]);
}
