import { DecodeError, LockError } from '@fullon/core';
import { onAbort } from '@fullon/core/author';
import type { LeaseStore } from './leases.js';
import { RenewStatus } from './scripts/renew.js';

/** Why a held lease ended without being released. */
export type LeaseLostReason =
  /** Another bot took it with `force`, or the same botId took it again under a new token. */
  | 'stolen'
  /** It expired before a renewal reached Redis (e.g. the process stalled longer than the TTL). */
  | 'expired'
  /** Renewals failed (Redis unreachable) until the lease's deadline passed. */
  | 'error';

/** What `onLost` receives. */
export interface LeaseLost {
  /** Why the lease is gone. */
  reason: LeaseLostReason;
  /** The last renewal error, for `error`. */
  error?: unknown;
}

/** Options of `holdBlock`. */
export interface HoldBlockOptions {
  /** Lease TTL in ms; renewed every third of it. Whole ms from 1 to ten years. Defaults to 60 000. */
  ttlMs?: number;
  /** Aborting it stops the renewals and releases the lease. */
  signal?: AbortSignal;
  /**
   * Called once when the lease is lost (not when it is released): stop the work it protects.
   * `hold.signal` aborts at the same moment. It must not throw.
   */
  onLost?: (lost: LeaseLost) => void;
}

/** @internal What a {@link BlockHold} needs to renew and release its lease. */
export interface HoldTarget {
  store: LeaseStore;
  exId: string;
  symbol: string;
  botId: string;
  ttlMs: number;
  token: number;
  expiresAt: number;
  /** `performance.now()` when the acquiring call was sent. */
  sentAt: number;
}

/**
 * A block held by `holdBlock`: renewed every third of its TTL until released, lost, or its
 * signal aborts. Pass {@link BlockHold.token} with every write the block protects, and stop
 * when {@link BlockHold.signal} aborts.
 *
 * @example
 * ```ts
 * const hold = await bots.holdBlock(1, 'BTC/USDT', 'bot-7', { ttlMs: 30_000, onLost: stop });
 * if (hold) {
 *   await using _ = hold; // released at the end of the block
 *   await placeOrders({ fencingToken: hold.token, signal: hold.signal });
 * }
 * ```
 */
export class BlockHold implements AsyncDisposable {
  /** Exchange account id (string form). */
  readonly exId: string;
  /** Symbol. */
  readonly symbol: string;
  /** The holder (string form). */
  readonly botId: string;
  /** The lease's fencing token; it stays the same across renewals. */
  readonly token: number;
  /** Aborts when the lease is lost or released; its reason is a `LockError`. */
  readonly signal: AbortSignal;
  readonly #target: HoldTarget;
  readonly #controller = new AbortController();
  readonly #interval: number;
  readonly #ttl: string;
  readonly #onLost: ((lost: LeaseLost) => void) | undefined;
  #stopListening: (() => void) | undefined;
  readonly #onAbort = (): void => {
    this.release().catch(() => undefined); // the lease expires by itself if this fails
  };
  #expiresAt: number;
  /** `performance.now()` after which the lease may have expired (last confirmed send + TTL). */
  #deadline: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lost: LeaseLost | null = null;
  #ended = false;
  #released: Promise<boolean> | undefined;

  /** @internal Created by `BotCache.holdBlock`. */
  constructor(target: HoldTarget, onLost?: (lost: LeaseLost) => void, signal?: AbortSignal) {
    this.#target = target;
    this.exId = target.exId;
    this.symbol = target.symbol;
    this.botId = target.botId;
    this.token = target.token;
    this.signal = this.#controller.signal;
    this.#expiresAt = target.expiresAt;
    this.#deadline = target.sentAt + target.ttlMs;
    this.#interval = Math.max(1, Math.floor(target.ttlMs / 3));
    this.#ttl = String(target.ttlMs);
    this.#onLost = onLost;
    this.#schedule(this.#interval);
    // One listener per signal, however many holds share it (no max-listeners warning).
    if (signal !== undefined) this.#stopListening = onAbort(signal, this.#onAbort);
  }

  /** When the lease ends unless renewed, as of the last renewal (server clock, epoch ms). */
  get expiresAt(): number {
    return this.#expiresAt;
  }

  /** Why the lease was lost, or `null` while held or after a release. */
  get lost(): LeaseLost | null {
    return this.#lost;
  }

  /** Whether the hold is still renewing (neither lost nor released). */
  get active(): boolean {
    return !this.#ended;
  }

  /**
   * Stops renewing and releases the lease, if this hold's token still holds it. Idempotent.
   * @returns `true` when the lease was released, `false` when it was already gone or taken.
   * @throws {ConnectionError} when Redis is unreachable (the lease then expires by itself).
   */
  release(): Promise<boolean> {
    if (this.#released === undefined) {
      this.#end(new LockError(`block of ${this.symbol} on ${this.exId} released`));
      const { store, exId, symbol, botId, token } = this.#target;
      this.#released = store.release(exId, symbol, botId, token);
    }
    return this.#released;
  }

  /** Releases the lease, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }

  #schedule(delay: number): void {
    this.#timer = setTimeout(() => {
      void this.#renew();
    }, delay);
    // A forgotten hold must not keep the process alive; its lease then simply expires.
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    if (this.#ended) return;
    const { store, exId, symbol, botId, token } = this.#target;
    const sentAt = performance.now();
    try {
      const [status, expiresAt] = await store.renew(exId, symbol, botId, this.#ttl, token);
      if (this.#ended) return;
      if (status === RenewStatus.renewed) {
        this.#deadline = sentAt + this.#target.ttlMs;
        if (expiresAt !== undefined) this.#expiresAt = expiresAt;
        this.#schedule(this.#interval);
      } else {
        this.#lose({ reason: status === RenewStatus.absent ? 'expired' : 'stolen' });
      }
    } catch (error) {
      if (this.#ended) return;
      const left = this.#deadline - performance.now();
      if (DecodeError.is(error) || left <= 0) this.#lose({ reason: 'error', error });
      else this.#schedule(Math.max(1, Math.min(this.#interval, Math.floor(left / 2))));
    }
  }

  #lose(lost: LeaseLost): void {
    this.#lost = lost;
    this.#end(new LockError(`block of ${this.symbol} on ${this.exId} lost (${lost.reason})`));
    this.#onLost?.(lost);
  }

  #end(reason: LockError): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#stopListening?.();
    this.#controller.abort(reason);
  }
}
