import type { KeyBuilderLike } from '@fullon/core';
import { type Id, inFlightKey } from '@fullon/core/author';

/**
 * The hash tag of every exchange-metadata key: one script may then write an exchange record
 * together with its owner's index (and `invalidate` may drop several at once) on a cluster
 * too. This is low-volume metadata; one slot serves it comfortably.
 */
const META_TAG = 'exchanges';

/**
 * Every key of `@fullon/exchange`; the only place this package names keys.
 *
 * | key | type | content | bound |
 * |---|---|---|---|
 * | `symbols:{exchange}` | hash | symbol → symbol tuple, plus the complete marker `""` | TTL `ttlMs` |
 * | `exchange:{exchanges}:exId` | string | exchange tuple | TTL `ttlMs` |
 * | `exchange-user:{exchanges}:userId` | set | the user's exchange ids, plus the marker `""` once complete | TTL `ttlMs` |
 * | `exchange-cat:{exchanges}` | hash | catExId → catalog tuple, plus the marker `""` | TTL `ttlMs` |
 * | `exchange-ws-errors:exId` | list | websocket error messages, oldest first | newest `wsErrors.cap`; TTL `wsErrors.ttlMs` |
 * | `exchange-ws-errors:exId:in-flight:{<prefix>:exchange-ws-errors:exId}` | zset | `token + message` → lease deadline: messages a pop took and has not confirmed | put back on the next pop once the lease ran out; at most 10 000; TTL at least the list's |
 *
 * Every exchange-metadata key carries the hash tag `{exchanges}` (see `META_TAG`).
 * @internal Imported by the caches and the tests by relative path.
 */
export class ExchangeKeys {
  readonly #kb: KeyBuilderLike;
  /** `<prefix>:exchange-cat:{exchanges}`: the exchange catalog. */
  readonly catExchanges: string;

  /** @param kb - The connection's key builder. */
  constructor(kb: KeyBuilderLike) {
    this.#kb = kb;
    this.catExchanges = kb.tagged('exchange-cat', META_TAG);
  }

  /**
   * @param exchange - Exchange name; the hash tag.
   * @returns `<prefix>:symbols:{<exchange>}`.
   */
  symbols(exchange: string): string {
    return this.#kb.tagged('symbols', exchange);
  }

  /**
   * @param exId - Exchange account id.
   * @returns `<prefix>:exchange:{exchanges}:<exId>`.
   */
  exchange(exId: Id): string {
    return this.#kb.tagged('exchange', META_TAG, String(exId));
  }

  /**
   * @param userId - User id.
   * @returns `<prefix>:exchange-user:{exchanges}:<userId>`.
   */
  userExchanges(userId: Id): string {
    return this.#kb.tagged('exchange-user', META_TAG, String(userId));
  }

  /**
   * @param exId - Exchange account id.
   * @returns `<prefix>:exchange-ws-errors:<exId>`.
   */
  wsErrors(exId: Id): string {
    return this.#kb.key('exchange-ws-errors', String(exId));
  }

  /**
   * @param exId - Exchange account id.
   * @returns The websocket error list and its in-flight set (core's `inFlightKey`), as
   *   `takeQueued` takes them.
   */
  wsErrorQueue(exId: Id): { queue: string; inFlight: string } {
    const queue = this.wsErrors(exId);
    return { queue, inFlight: inFlightKey(queue) };
  }
}
