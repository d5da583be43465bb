import { DecodeError } from '@fullon/core';
import { defineLayout, setOwn } from '@fullon/core/author';
import { escapeName, unescapeJson, unescapeName } from './names.js';
import {
  type Broadcast,
  type JsonObject,
  type JsonValue,
  type ProcessRecord,
  StoredBroadcast,
  StoredProcess,
} from './schema.js';

/**
 * A stored process: the tuple `[1, processId, type, component, status, message, params,
 * createdAt, updatedAt, lastSeen]`, params a map of name → JSON text. The Lua scripts in
 * `scripts/record-lua.ts` read and write this exact shape; change both together.
 * @internal Imported by the cache, its tests and `bench/` by relative path.
 */
export const ProcessLayout = defineLayout({
  name: 'process',
  version: 1,
  schema: StoredProcess,
  fields: [
    'processId',
    'type',
    'component',
    'status',
    'message',
    'params',
    'createdAt',
    'updatedAt',
    'lastSeen',
  ],
});

/**
 * A broadcast message: the tuple `[1, type, message, data, time]`.
 * @internal
 */
export const BroadcastLayout = defineLayout({
  name: 'broadcast',
  version: 1,
  schema: StoredBroadcast,
  fields: ['type', 'message', 'data', 'time'],
});

/**
 * @param params - Validated params.
 * @returns The stored form: each value as its JSON text, under its escaped name (a name
 *   `__proto__` is stored as `\u0000__proto__`: msgpack decoders refuse that key).
 * @internal
 */
export function storeParams(params: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(params)) {
    setOwn(out, escapeName(name), JSON.stringify(params[name]));
  }
  return out;
}

/**
 * Turns a verified stored record into what reads return.
 * @param stored - A record from {@link ProcessLayout}.
 * @param key - Its key, for the error.
 * @returns The record with params parsed.
 * @throws {DecodeError} when a param is not valid JSON.
 * @internal
 */
export function toRecord(stored: StoredProcess, key: string): ProcessRecord {
  const params: JsonObject = {};
  for (const [storedName, text] of Object.entries(stored.params)) {
    const name = unescapeName(storedName);
    try {
      setOwn(params, name, JSON.parse(text) as JsonValue);
    } catch (cause) {
      throw new DecodeError(key, undefined, `stored process.params.${name} is not JSON`, { cause });
    }
  }
  return { ...stored, params };
}

/**
 * Decodes a stored process (strict: every rule re-checked, the id must be the key's).
 * @param codec - The connection's codec.
 * @param bytes - Stored bytes.
 * @param key - Redis key.
 * @param processId - The id the key names.
 * @returns The record.
 * @throws {DecodeError} on anything corrupt.
 * @internal
 */
export function decodeProcess(
  codec: Parameters<typeof ProcessLayout.decode>[0],
  bytes: Uint8Array,
  key: string,
  processId: string,
): ProcessRecord {
  return toRecord(ProcessLayout.decode(codec, bytes, key, undefined, { processId }), key);
}

/**
 * Decodes a broadcast message (strict: every rule re-checked).
 * @param codec - The connection's codec.
 * @param bytes - The message.
 * @param channel - Its channel, for the error.
 * @returns The broadcast.
 * @throws {DecodeError} on anything corrupt.
 * @internal
 */
export function decodeBroadcast(
  codec: Parameters<typeof BroadcastLayout.decode>[0],
  bytes: Uint8Array,
  channel: string,
): Broadcast {
  const stored = BroadcastLayout.decode(codec, bytes, channel);
  return { ...stored, data: unescapeJson(stored.data) as JsonObject };
}
