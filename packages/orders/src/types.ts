// Public types of the orders cache: option objects and what its methods answer.
import type { Order } from './schema.js';

/** What `pushOpenOrder` answers. */
export interface PushResult {
  /** Orders waiting in the queue after the call (claimed ones not counted). */
  length: number;
  /**
   * `true` when the order was added; `false` when an order with its id was already queued or
   * claimed, in which case nothing changed (a retry after an unknown outcome is safe).
   */
  queued: boolean;
}

/** Options of `popOpenOrder`. */
export interface PopOptions {
  /**
   * How long to wait for an order, in ms; `0` looks once. Any length works (the wait runs on a
   * dedicated connection, in slices, so it may exceed the socket timeout). Required: nothing
   * waits forever.
   */
  timeoutMs: number;
}

/** Options of `claimOpenOrder`. */
export interface ClaimOptions extends PopOptions {
  /**
   * How long the claim is held, in ms: past it, unless acked or released, the order goes back
   * to the head of the queue (or to the dead letters after `maxAttempts` claims). Defaults to
   * the cache's `visibilityMs` (30 000).
   */
  visibilityMs?: number;
}

/** How `release` ended a claim. */
export type ReleaseOutcome = 'requeued' | 'dead-lettered';

/** An order leased to one consumer by `claimOpenOrder`. */
export interface OrderClaim {
  /** The order. */
  readonly order: Order;
  /** Its id in the queue (`orderId`, else `exOrderId`, as a string). */
  readonly orderId: string;
  /** The lease token: only the current claim's token may ack or release. */
  readonly token: string;
  /** How many times the order has been claimed, this claim included. */
  readonly attempts: number;
  /**
   * Marks the order done: it leaves the queue for good.
   * @throws {LockError} when this claim is no longer current (its lease expired and the order
   *   was claimed again, or it was already acked or released); the current claim is untouched.
   */
  ack(): Promise<void>;
  /**
   * Gives the order back: to the head of the queue, or to the dead letters when this was claim
   * number `maxAttempts`.
   * @param reason - Why, recorded if the order is dead-lettered. Defaults to `released`.
   * @returns Where the order went.
   * @throws {LockError} when this claim is no longer current; the current claim is untouched.
   */
  release(reason?: string): Promise<ReleaseOutcome>;
}

/** An order that was claimed `maxAttempts` times without an ack. */
export interface DeadLetter {
  /** The order. */
  order: Order;
  /** Why it was dead-lettered (`lease expired …`, or the reason given to `release`). */
  reason: string;
  /** How many times it was claimed. */
  attempts: number;
  /** When it was dead-lettered, epoch ms (server clock). */
  at: number;
}

/** What `recoverStalled` did. */
export interface RecoverResult {
  /** Expired claims put back at the head of the queue. */
  requeued: number;
  /** Expired claims moved to the dead letters (their last attempt). */
  deadLettered: number;
}

/** Options of `getOrders`. */
export interface GetOrdersOptions {
  /** Only orders with this status (exact match), read from the status index. */
  status?: string;
}
