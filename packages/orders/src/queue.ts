// The queue side of the orders cache: pop and claim (one take, then the wait loop), the lease
// sweep, and dead-letter decoding.
import { randomUUID } from 'node:crypto';
import { type CacheConnectionLike, DecodeError, ValidationError } from '@fullon/core';
import {
  BUFFERS,
  decodeListed,
  decodeStoredTime,
  inChunks,
  optionsObject,
  runOperation,
  TtlMs,
  validate,
  WaitMs,
} from '@fullon/core/author';
import { Claim, type Settle } from './claim.js';
import type { OrderKeys, QueueKeys } from './keys.js';
import { decodeOrder } from './layouts.js';
import type { Order } from './schema.js';
import {
  SWEEP_LIMIT,
  sweepLeasesScript,
  type TakeArgs,
  type TakeOrderArgs,
  type TakeReply,
  type TakeSettings,
  takeOrderScript,
} from './scripts/take-order.js';
import type { ClaimOptions, DeadLetter, OrderClaim, PopOptions, RecoverResult } from './types.js';

/**
 * Longest single blocking wait of a pop or claim, in ms. A consumer that took a wake-up token
 * and died before taking its order leaves that order without a token; waiters look again at
 * least this often, so such an order waits at most this long.
 */
const MAX_WAIT_SLICE_MS = 1_000;

/** Longest wait `WaitMs` accepts. */
const MAX_WAIT_MS = 2_147_483_647;

/** An order a pop or claim took. */
type Taken = Extract<TakeReply, { taken: true }>;

/**
 * What pop and claim need of the cache.
 * @internal
 */
export interface QueueContext {
  /** The cache's connection. */
  readonly conn: CacheConnectionLike;
  /** The cache's keys. */
  readonly keys: OrderKeys;
  /** Ends a lease (or dead-letters a popped order). */
  readonly settle: Settle;
  /** Max attempts and dead-letter cap, as the take script's arguments. */
  readonly takeArgs: TakeArgs;
  /** Lease of a claim given none, in ms. */
  readonly visibilityMs: number;
}

/**
 * `popOpenOrder` once `queue` is checked: takes the oldest order, waiting up to `timeoutMs`. A
 * corrupt order is reported, kept as a dead letter, and the pop goes on with the next one.
 * @param ctx - The cache.
 * @param name - Queue name, checked.
 * @param options - As given.
 * @returns The order, or `null` when none came in time.
 * @throws {ValidationError} naming `options` or `timeoutMs`.
 * @internal
 */
export function popOrder(
  ctx: QueueContext,
  name: string,
  options: PopOptions,
): Promise<Order | null> {
  const timeoutMs = checkWait(takeOptions(options).timeoutMs);
  const keys = ctx.keys.queue(name);
  const conn = ctx.conn;
  const deadline = Date.now() + timeoutMs;
  const pop = (waitMs: number): Promise<Order | null> =>
    take(ctx, keys, 'pop', '', 0, waitMs, (taken) => {
      try {
        return decodeOrder(conn.codec, taken.bytes, keys.jobs, taken.orderId, taken.orderId);
      } catch (error) {
        if (!DecodeError.is(error)) throw error;
        // Reported and kept as a dead letter; the pop goes on with the next order.
        conn.reportCorrupt(error);
        return ctx
          .settle(keys, 'dead-letter', taken.orderId, '', corruptReason(error), {
            bytes: taken.bytes,
          })
          .then(() => pop(remainingMs(deadline)));
      }
    });
  return pop(timeoutMs);
}

/**
 * `claimOpenOrder` once `queue` is checked: leases the oldest order, waiting up to `timeoutMs`.
 * A corrupt order is reported, dead-lettered, and the claim goes on with the next one.
 * @param ctx - The cache.
 * @param name - Queue name, checked.
 * @param options - As given.
 * @returns The claim, or `null` when no order came in time.
 * @throws {ValidationError} naming `options`, `timeoutMs` or `visibilityMs`.
 * @internal
 */
export function claimOrder(
  ctx: QueueContext,
  name: string,
  options: ClaimOptions,
): Promise<OrderClaim | null> {
  const opts: Partial<ClaimOptions> = takeOptions(options);
  const timeoutMs = checkWait(opts.timeoutMs);
  const visibilityMs =
    opts.visibilityMs === undefined
      ? ctx.visibilityMs
      : validate(TtlMs, opts.visibilityMs, 'visibilityMs');
  const keys = ctx.keys.queue(name);
  const conn = ctx.conn;
  const deadline = Date.now() + timeoutMs;
  const claim = (waitMs: number): Promise<OrderClaim | null> => {
    const token = randomUUID();
    return take(ctx, keys, 'claim', token, visibilityMs, waitMs, (taken) => {
      const { orderId, attempts } = taken;
      let order: Order;
      try {
        order = decodeOrder(conn.codec, taken.bytes, keys.jobs, orderId, orderId);
      } catch (error) {
        if (!DecodeError.is(error)) throw error;
        // Reported and dead-lettered; the claim goes on with the next order.
        conn.reportCorrupt(error);
        return ctx
          .settle(keys, 'bury', orderId, token, corruptReason(error))
          .then(() => claim(remainingMs(deadline)));
      }
      return new Claim(order, orderId, token, attempts, name, keys, ctx.settle);
    });
  };
  return claim(timeoutMs);
}

/**
 * Pop and claim: one take, which finds an order when the queue has one, and `found` turns it
 * into the result in that same promise step; else the wait loop.
 */
function take<R>(
  ctx: QueueContext,
  keys: QueueKeys,
  mode: 'pop' | 'claim',
  token: string,
  visibilityMs: number,
  timeoutMs: number,
  found: (taken: Taken) => R | PromiseLike<R>,
): Promise<R | null> {
  const deadline = Date.now() + timeoutMs;
  const args = { mode, token, visibilityMs, tokenTaken: false, settings: ctx.takeArgs };
  return takeOrderScript<R | null>(ctx.conn, keys, args, (reply) =>
    reply.taken
      ? found(reply)
      : wait(ctx.conn, keys, args, deadline, reply.nextLeaseMs).then((taken) =>
          taken === null ? null : found(taken),
        ),
  );
}

/** The wait loop of pop and claim: block on the signal list, take again, until the deadline. */
async function wait(
  conn: CacheConnectionLike,
  keys: QueueKeys,
  args: TakeOrderArgs,
  deadline: number,
  firstNextLeaseMs: number,
): Promise<Taken | null> {
  let nextLeaseMs = firstNextLeaseMs;
  for (;;) {
    args.tokenTaken = false;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return null;
    let wait = Math.min(remaining, MAX_WAIT_SLICE_MS);
    // A lease expiring sends no wake-up: look again when the next one expires.
    if (nextLeaseMs >= 0) wait = Math.min(wait, nextLeaseMs + 1);
    if (wait >= 1) {
      const signal = await conn.blocking<[string, string] | null>(keys.signal, [
        'BLPOP',
        keys.signal,
        (wait / 1000).toFixed(3),
      ]);
      args.tokenTaken = signal !== null;
    }
    const reply = await takeOrderScript(conn, keys, args, (taken) => taken);
    if (reply.taken) return reply;
    nextLeaseMs = reply.nextLeaseMs;
  }
}

/**
 * Sweeps a queue's expired claims until a sweep finds fewer than its limit. One operation:
 * close() lets every sweep of the loop run, not only the first.
 * @param conn - The cache's connection.
 * @param keys - The queue's keys.
 * @param settings - Max attempts and dead-letter cap.
 * @returns How many went back and how many were dead-lettered.
 * @internal
 */
export function recoverStalled(
  conn: CacheConnectionLike,
  keys: QueueKeys,
  settings: TakeSettings,
): Promise<RecoverResult> {
  const total: RecoverResult = { requeued: 0, deadLettered: 0 };
  return runOperation(conn, async (op) => {
    for (;;) {
      const { requeued, deadLettered } = await sweepLeasesScript(op, keys, settings);
      total.requeued += requeued;
      total.deadLettered += deadLettered;
      if (requeued + deadLettered < SWEEP_LIMIT) return total;
    }
  });
}

/**
 * Reads a queue's dead letters, oldest first; a corrupt entry is skipped and reported through
 * the connection's `onCorrupt` hook.
 * @param conn - The cache's connection.
 * @param keys - The queue's keys.
 * @returns The dead letters, or `[]`.
 * @internal
 */
export async function getDeadLetters(
  conn: CacheConnectionLike,
  keys: QueueKeys,
): Promise<DeadLetter[]> {
  const ids = await conn.send<string[]>(keys.deadIndex, ['ZRANGE', keys.deadIndex, '0', '-1']);
  const batches = await inChunks(ids, async (slice) => {
    const fields = slice.flatMap((id) => [`o:${id}`, `r:${id}`, `n:${id}`, `t:${id}`]);
    const values = await conn.send<(Buffer | null)[]>(
      keys.dead,
      ['HMGET', keys.dead, ...fields],
      BUFFERS,
    );
    return [
      slice.flatMap((id, i) => {
        const [bytes, reason, attempts, at] = values.slice(i * 4, i * 4 + 4);
        if (bytes === null || bytes === undefined) return [];
        const letter = decodeListed(conn, () => ({
          order: decodeOrder(conn.codec, bytes, keys.dead, `o:${id}`, id),
          reason: reason?.toString() ?? '',
          attempts: storedCount(attempts ?? null, keys.dead, `n:${id}`),
          at: decodeStoredTime(at?.toString() ?? '', keys.dead, `t:${id}`),
        }));
        return letter === undefined ? [] : [letter];
      }),
    ];
  });
  return batches.flat();
}

/**
 * Parses a whole number stored as text by a script (a dead letter's claim count).
 * @param raw - The stored text.
 * @param key - Redis key, for the error.
 * @param field - Hash field, for the error.
 * @returns The number.
 * @throws {DecodeError} unless it is a whole number ≥ 0.
 * @internal
 */
export function storedCount(raw: Buffer | null, key: string, field: string): number {
  const text = raw?.toString() ?? '';
  const value = Number(text);
  if (text === '' || !Number.isSafeInteger(value) || value < 0) {
    throw new DecodeError(key, field, `${JSON.stringify(text)} is not a whole number ≥ 0`);
  }
  return value;
}

/**
 * Checks `timeoutMs` (the fast path without valibot for a valid one).
 * @throws {ValidationError} naming `timeoutMs`.
 */
function checkWait(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_WAIT_MS
    ? value
    : validate(WaitMs, value, 'timeoutMs');
}

/**
 * The options of a pop or claim: required, since `timeoutMs` is (nothing waits forever).
 * @throws {ValidationError} naming `options` when absent or not a plain object.
 */
function takeOptions(value: unknown): Record<string, unknown> {
  if (value === undefined) {
    throw new ValidationError('options', 'options: required ({ timeoutMs })');
  }
  return optionsObject(value);
}

/** The dead-letter reason of an order whose stored bytes did not decode. */
function corruptReason(error: DecodeError): string {
  return `corrupt: ${error.message}`.slice(0, 4_096);
}

/** Milliseconds left until `deadline` (`0` once it passed: the take then looks once). */
function remainingMs(deadline: number): number {
  return Math.max(0, deadline - Date.now());
}
