import type { KeyBuilder } from '@fullon/core';
import type { Id } from './schema.js';

/**
 * Hash tag shared by every exchange-metadata key, so that one script may write an exchange
 * record together with its owner's index (and `invalidate` may drop several at once) on a
 * cluster too. This is low-volume metadata; one slot serves it comfortably.
 */
const META_TAG = 'exchanges';

/**
 * Field that marks a hash or set as a complete copy of its source, so "known to be empty" and
 * "never loaded" differ. Never a real field: symbols and ids are non-empty.
 */
export const COMPLETE_MARKER = '';

/**
 * `<prefix>:symbols:{<exchange>}` — hash, field symbol → symbol tuple, plus the marker.
 * @param keys - The connection's key builder.
 * @param exchange - Exchange name; the hash tag.
 * @returns The key.
 */
export function symbolsKey(keys: KeyBuilder, exchange: string): string {
  return keys.tagged('symbols', exchange);
}

/**
 * `<prefix>:exchange:{exchanges}:<exId>` — string, the exchange tuple.
 * @param keys - The connection's key builder.
 * @param exId - Exchange account id.
 * @returns The key.
 */
export function exchangeKey(keys: KeyBuilder, exId: Id): string {
  return keys.tagged('exchange', META_TAG, String(exId));
}

/**
 * `<prefix>:exchange-user:{exchanges}:<uid>` — set of the user's exchange ids, plus the marker.
 * @param keys - The connection's key builder.
 * @param uid - User id.
 * @returns The key.
 */
export function userExchangesKey(keys: KeyBuilder, uid: Id): string {
  return keys.tagged('exchange-user', META_TAG, String(uid));
}

/**
 * `<prefix>:exchange-cat:{exchanges}` — hash, field catExId → catalog tuple, plus the marker.
 * @param keys - The connection's key builder.
 * @returns The key.
 */
export function catExchangesKey(keys: KeyBuilder): string {
  return keys.tagged('exchange-cat', META_TAG);
}

/**
 * `<prefix>:exchange-ws-errors:<exId>` — list of websocket error messages, oldest first.
 * @param keys - The connection's key builder.
 * @param exId - Exchange account id.
 * @returns The key.
 */
export function wsErrorsKey(keys: KeyBuilder, exId: Id): string {
  return keys.key('exchange-ws-errors', String(exId));
}
