// A claim on an order (`claimOpenOrder`'s answer) and the settle call that ends a lease.
import { type CacheConnectionLike, LockError } from '@fullon/core';
import { isWellFormed, ScriptReply, validate } from '@fullon/core/author';
import * as v from 'valibot';
import type { QueueKeys } from './keys.js';
import type { Order } from './schema.js';
import { type SettleReply, settleClaimScript } from './scripts/settle-claim.js';
import type { TakeSettings } from './scripts/take-order.js';
import type { OrderClaim, ReleaseOutcome } from './types.js';

/**
 * Ends a lease, or dead-letters an order a take could not decode, if `token` is still the
 * current claim's (`ack`, `release`, `bury`) or the order was popped (`dead-letter`, with its
 * bytes).
 * @internal
 */
export type Settle = (
  keys: QueueKeys,
  action: 'ack' | 'release' | 'bury' | 'dead-letter',
  orderId: string,
  token: string,
  reason: string,
  extra?: { bytes: Buffer },
) => Promise<SettleReply>;

/**
 * @param conn - The cache's connection.
 * @param settings - The cache's max attempts and dead-letter cap.
 * @returns The {@link Settle} every claim of the cache calls.
 * @internal
 */
export function settler(conn: CacheConnectionLike, settings: TakeSettings): Settle {
  return (keys, action, orderId, token, reason, extra) =>
    settleClaimScript(conn, keys, {
      action,
      orderId,
      token,
      reason,
      maxAttempts: settings.maxAttempts,
      deadCap: settings.deadCap,
      ...extra,
    });
}

/** The reason a caller may give `release`: recorded if the order is dead-lettered. */
const ReleaseReason = v.pipe(
  v.string('must be a string'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(4_096, 'must be at most 4 096 characters'),
  v.check(isWellFormed, 'must be well-formed text (it holds a lone UTF-16 surrogate)'),
);

/**
 * An {@link OrderClaim}: the order, its lease token, and the two ways to end the lease.
 * @internal
 */
export class Claim implements OrderClaim {
  readonly order: Order;
  readonly orderId: string;
  readonly token: string;
  readonly attempts: number;
  readonly #queue: string;
  readonly #keys: QueueKeys;
  readonly #settle: Settle;

  /**
   * @param order - The order taken.
   * @param orderId - Its id in the queue.
   * @param token - The lease token.
   * @param attempts - Claims so far, this one included.
   * @param queue - Queue name, for the error of a stale claim.
   * @param keys - The queue's keys.
   * @param settle - How the claim ends itself.
   */
  constructor(
    order: Order,
    orderId: string,
    token: string,
    attempts: number,
    queue: string,
    keys: QueueKeys,
    settle: Settle,
  ) {
    this.order = order;
    this.orderId = orderId;
    this.token = token;
    this.attempts = attempts;
    this.#queue = queue;
    this.#keys = keys;
    this.#settle = settle;
  }

  ack(): Promise<void> {
    return this.#settle(this.#keys, 'ack', this.orderId, this.token, '').then((reply) => {
      if (reply === ScriptReply.stale) throw this.#stale('ack');
    });
  }

  async release(reason?: string): Promise<ReleaseOutcome> {
    const why = reason === undefined ? 'released' : validate(ReleaseReason, reason, 'reason');
    const reply = await this.#settle(this.#keys, 'release', this.orderId, this.token, why);
    if (reply === ScriptReply.stale) throw this.#stale('release');
    return reply === ScriptReply.added ? 'dead-lettered' : 'requeued';
  }

  #stale(what: string): LockError {
    return new LockError(
      `${what} of order ${JSON.stringify(this.orderId)} in queue ${JSON.stringify(this.#queue)}: the claim is no longer held (its lease expired and it was claimed again, or it was already acked or released)`,
    );
  }
}
