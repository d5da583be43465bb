import { DecodeError, LockError } from '@fullon/core';
import { onAbort, ScriptReply } from '@fullon/core/author';
import type { HoldArgs } from './args.js';
import type { LeaseStore } from './leases.js';

/** Why a held lease ended without being released. */
export type LeaseLostReason =
  /**
   * Another bot took it with `force`, or the same botId took it again under a new token, while
   * the lease was still live.
   */
  | 'stolen'
  /**
   * Its local deadline (last confirmed renewal sent + TTL) passed before a renewal was
   * confirmed, e.g. the process stalled longer than the TTL; whoever holds it afterwards took
   * an expired lease.
   */
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
 * when {@link BlockHold.signal} aborts. The hold keeps its own deadline (the last confirmed
 * renewal's send time + TTL): reading `active`, `signal` or `lost` past it ends the hold as
 * `expired` at once, even when a stalled event loop kept every timer from running — so check
 * `hold.active` (or `hold.signal.aborted`) right before each protected write.
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
  /** Fires at the deadline, so the signal aborts on time when nothing reads the hold. */
  #expiry: ReturnType<typeof setTimeout> | undefined;
  /** The error of the last renewal, until one succeeds: a deadline passed then is `error`. */
  #failure: { error: unknown } | undefined;
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
    this.#expiresAt = target.expiresAt;
    this.#deadline = target.sentAt + target.ttlMs;
    this.#interval = Math.max(1, Math.floor(target.ttlMs / 3));
    this.#ttl = String(target.ttlMs);
    this.#onLost = onLost;
    this.#schedule(this.#interval);
    this.#watchDeadline();
    // One listener per signal, however many holds share it (no max-listeners warning).
    if (signal !== undefined) this.#stopListening = onAbort(signal, this.#onAbort);
  }

  /**
   * Aborts when the lease is lost or released; its reason is a `LockError`. Reading it past the
   * hold's deadline aborts it first (see the class notes).
   */
  get signal(): AbortSignal {
    this.#checkDeadline();
    return this.#controller.signal;
  }

  /** When the lease ends unless renewed, as of the last renewal (server clock, epoch ms). */
  get expiresAt(): number {
    return this.#expiresAt;
  }

  /** Why the lease was lost, or `null` while held or after a release. */
  get lost(): LeaseLost | null {
    this.#checkDeadline();
    return this.#lost;
  }

  /**
   * Whether the hold is still renewing and within its deadline (neither lost, expired nor
   * released). Checked against the clock on every read, not only by a timer.
   */
  get active(): boolean {
    this.#checkDeadline();
    return !this.#ended;
  }

  /**
   * Stops renewing and releases the lease, if this hold's token still holds it. Idempotent.
   * @returns `true` when the lease was released, `false` when it was already gone or taken.
   * @throws {ConnectionError} when Redis is unreachable (the lease then expires by itself).
   */
  release(): Promise<boolean> {
    if (this.#released === undefined) {
      // A deadline that passed unnoticed (a stalled loop) is a loss, reported as one.
      this.#checkDeadline();
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

  /** (Re)arms the timer that ends the hold at its deadline. */
  #watchDeadline(): void {
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#expiry = setTimeout(
      () => this.#checkDeadline(),
      Math.max(1, Math.ceil(this.#deadline - performance.now())),
    );
    this.#expiry.unref();
  }

  /**
   * Ends the hold once its deadline has passed: `error` when renewals were failing, else
   * `expired`. Past the deadline the lease may be gone on the server, whatever it answers later.
   */
  #checkDeadline(): void {
    if (this.#ended || performance.now() < this.#deadline) return;
    const failure = this.#failure;
    this.#lose(failure === undefined ? { reason: 'expired' } : { reason: 'error', ...failure });
  }

  async #renew(): Promise<void> {
    this.#checkDeadline();
    if (this.#ended) return;
    const { store, exId, symbol, botId, token } = this.#target;
    const sentAt = performance.now();
    try {
      const [status, expiresAt] = await store.renew(exId, symbol, botId, this.#ttl, token);
      if (this.#ended) return;
      if (status === ScriptReply.ok) {
        this.#failure = undefined;
        this.#deadline = sentAt + this.#target.ttlMs;
        if (expiresAt !== undefined) this.#expiresAt = expiresAt;
        this.#watchDeadline();
        this.#schedule(this.#interval);
        return;
      }
      // Another token holds it: stolen only if our lease was certainly live when the server
      // answered (a reply before our deadline); past it, the lease expired and was then taken.
      this.#checkDeadline();
      if (this.#ended) return;
      this.#lose({ reason: status === ScriptReply.none ? 'expired' : 'stolen' });
    } catch (error) {
      if (this.#ended) return;
      this.#failure = { error };
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
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#stopListening?.();
    this.#controller.abort(reason);
  }
}

/**
 * Takes a block and starts holding it: the work of `BotCache.holdBlock`, on checked arguments.
 * @internal
 * @param store - The block store.
 * @param args - The checked arguments (`holdArgs`).
 * @returns The hold, or `null` when another bot holds the block or `signal` is already aborted
 *   (nothing is taken then).
 * @throws {DecodeError} when the stored block is malformed.
 */
export async function startHold(store: LeaseStore, args: HoldArgs): Promise<BlockHold | null> {
  const { exId, symbol, botId, ttlMs, signal, onLost } = args;
  if (aborted(signal)) return null;
  const sentAt = performance.now();
  const result = await store.acquire(exId, symbol, botId, String(ttlMs), false);
  if (!result.acquired) return null;
  const hold = new BlockHold(
    { store, exId, symbol, botId, ttlMs, token: result.token, expiresAt: result.expiresAt, sentAt },
    onLost,
    signal,
  );
  // Aborted while acquiring: give the block back at once.
  if (aborted(signal)) await hold.release();
  return hold;
}

/** Whether `signal` has aborted; a call, so TypeScript does not narrow it across an `await`. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
