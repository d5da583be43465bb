import type { KeyBuilderLike } from '@fullon/core';
import type { Id } from '@fullon/core/author';

/**
 * Every key of `@fullon/exchange`; the only place this package names keys.
 *
 * | key | type | content | bound |
 * |---|---|---|---|
 * | `symbols:{exchange}` | hash | symbol → symbol tuple, plus the complete marker `""` | TTL `ttlMs` |
 * | `exchange:{exchanges}:exId` | string | exchange tuple | TTL `ttlMs` |
 * | `exchange-user:{exchanges}:userId` | set | the user's exchange ids, plus the marker `""` once complete | TTL `ttlMs` |
 * | `exchange-cat:{exchanges}` | hash | catExId → catalog tuple, plus the marker `""` | TTL `ttlMs` |
 * | `exchange-ws-errors:exId` | list | websocket error messages, oldest first | newest `wsErrorCap`; TTL `wsErrorTtlMs` |
 * | `exchange-ws-errors:exId:in-flight:{<prefix>:exchange-ws-errors:exId}` | zset | `token + message` → lease deadline: messages a pop took and has not confirmed | put back on the next pop once the lease ran out; at most 10 000; TTL at least the list's |
 *
 * Every exchange-metadata key carries the hash tag `{exchanges}`, so one script may write an
 * exchange record together with its owner's index (and `invalidate` may drop several at once)
 * on a cluster too. This is low-volume metadata; one slot serves it comfortably.
 */
const META_TAG = 'exchanges';

/**
 * @internal
 * @param keys - The connection's key builder.
 * @param exchange - Exchange name; the hash tag.
 * @returns `<prefix>:symbols:{<exchange>}`.
 */
export function symbolsKey(keys: KeyBuilderLike, exchange: string): string {
  return keys.tagged('symbols', exchange);
}

/**
 * @internal
 * @param keys - The connection's key builder.
 * @param exId - Exchange account id.
 * @returns `<prefix>:exchange:{exchanges}:<exId>`.
 */
export function exchangeKey(keys: KeyBuilderLike, exId: Id): string {
  return keys.tagged('exchange', META_TAG, String(exId));
}

/**
 * @internal
 * @param keys - The connection's key builder.
 * @param userId - User id.
 * @returns `<prefix>:exchange-user:{exchanges}:<userId>`.
 */
export function userExchangesKey(keys: KeyBuilderLike, userId: Id): string {
  return keys.tagged('exchange-user', META_TAG, String(userId));
}

/**
 * @internal
 * @param keys - The connection's key builder.
 * @returns `<prefix>:exchange-cat:{exchanges}`.
 */
export function catExchangesKey(keys: KeyBuilderLike): string {
  return keys.tagged('exchange-cat', META_TAG);
}

/**
 * @internal
 * @param keys - The connection's key builder.
 * @param exId - Exchange account id.
 * @returns `<prefix>:exchange-ws-errors:<exId>`.
 */
export function wsErrorsKey(keys: KeyBuilderLike, exId: Id): string {
  return keys.key('exchange-ws-errors', String(exId));
}
