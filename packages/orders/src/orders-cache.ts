import type { CacheConnectionLike, ConnectOptions } from '@fullon/core';
import {
  asPromise,
  checkName,
  closeCache,
  type Id,
  idKey,
  openCache,
  requireConnection,
  ScriptReply,
} from '@fullon/core/author';
import { settler } from './claim.js';
import { OrderKeys } from './keys.js';
import { encodeOrder, parseOrder } from './layouts.js';
import { type OrdersCacheOptions, type ResolvedOptions, resolveOptions } from './options.js';
import {
  deleteOrder,
  getOrder,
  getOrders,
  type StateContext,
  saveOrder,
  setOrderStatus,
  updateOrder,
} from './order-state.js';
import {
  claimOrder,
  getDeadLetters,
  popOrder,
  type QueueContext,
  recoverStalled,
} from './queue.js';
import { type Order, type OrderPatch, orderKeyId } from './schema.js';
import { pushOrderScript } from './scripts/push-order.js';
import { replayDeadLetterScript } from './scripts/replay-dead-letter.js';
import { type TakeSettings, takeArgs } from './scripts/take-order.js';
import type {
  ClaimOptions,
  DeadLetter,
  GetOrdersOptions,
  OrderClaim,
  PopOptions,
  PushResult,
  RecoverResult,
} from './types.js';

/**
 * Open-order queues with at-least-once claims and dead letters, and order state per exchange,
 * merged atomically.
 *
 * Queues: `pushOpenOrder` is idempotent by order id; `popOpenOrder` takes the oldest order
 * (at most once); `claimOpenOrder` leases it (at least once: an order not acked within its
 * visibility goes back to the head of the queue, and after `maxAttempts` claims to the dead
 * letters). Order state: one record per `(exchange, orderId)`, listed through a status index;
 * orders in a terminal state expire one by one after `ttlMs`, open ones never.
 *
 * @example
 * ```ts
 * await using orders = await OrdersCache.open();
 * await orders.pushOpenOrder('binance', { orderId: 42, symbol: 'BTC/USDT', side: 'buy', volume: 0.1 });
 *
 * // A consumer: claim, place, ack. If it dies first, the order is claimed again in 30 s.
 * const claim = await orders.claimOpenOrder('binance', { timeoutMs: 10_000, visibilityMs: 30_000 });
 * if (claim) {
 *   await placeOnExchange(claim.order);
 *   await claim.ack();
 * }
 *
 * await orders.updateOrder('binance', { orderId: 42, status: 'filled', finalVolume: 0.1 });
 * const open = await orders.getOrders('binance', { status: 'open' });
 * ```
 */
export class OrdersCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnectionLike;
  /** Retention of an order in a terminal state, in ms. */
  readonly ttlMs: number;
  /** Claims after which an unacked order is dead-lettered. */
  readonly maxAttempts: number;
  /** Dead letters kept per queue. */
  readonly maxDeadLetters: number;
  /** Default lease of a claim, in ms. */
  readonly visibilityMs: number;
  readonly #keys: OrderKeys;
  /** Max attempts and dead-letter cap, as the scripts take them. */
  readonly #settings: TakeSettings;
  /** What pop and claim need of the cache. */
  readonly #queue: QueueContext;
  /** What the order-state operations need of the cache. */
  readonly #state: StateContext;

  /**
   * @param conn - A connection from `connect()` of `@fullon/core` (not closed by this cache).
   * @param options - Retention, max attempts, dead-letter cap, default lease.
   * @throws {ConfigurationError} when `conn` is not a connection.
   * @throws {ValidationError} naming an option out of range, or `options` when it is not an object.
   */
  constructor(conn: CacheConnectionLike, options: OrdersCacheOptions = {}) {
    this.connection = requireConnection(conn, 'OrdersCache');
    const resolved: ResolvedOptions = resolveOptions(options);
    this.ttlMs = resolved.ttlMs;
    this.maxAttempts = resolved.maxAttempts;
    this.maxDeadLetters = resolved.maxDeadLetters;
    this.visibilityMs = resolved.visibilityMs;
    this.#keys = new OrderKeys(this.connection.keys);
    this.#settings = { maxAttempts: this.maxAttempts, deadCap: this.maxDeadLetters };
    this.#queue = {
      conn: this.connection,
      keys: this.#keys,
      settle: settler(this.connection, this.#settings),
      takeArgs: takeArgs(this.#settings),
      visibilityMs: this.visibilityMs,
    };
    this.#state = { conn: this.connection, keys: this.#keys, ttlMs: this.ttlMs };
  }

  /**
   * Opens a connection of its own; `close()` (or `await using`) closes it.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - As for the constructor; checked before connecting.
   * @returns The cache.
   * @throws {ValidationError} naming an option (or `options`), before any connection is made.
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(
    config?: ConnectOptions | string,
    options: OrdersCacheOptions = {},
  ): Promise<OrdersCache> {
    return openCache(
      config,
      () => resolveOptions(options),
      (conn) => new OrdersCache(conn, options),
    );
  }

  /** Closes the connection if `open()` created it; idempotent. */
  close(): Promise<void> {
    return closeCache(this);
  }

  /** Same as `close()`, for containers that call `dispose()` (tsyringe, awilix disposers). */
  dispose(): Promise<void> {
    return this.close();
  }

  /** Same as {@link OrdersCache.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---------------------------------------------------------------- queue

  /**
   * Adds an order at the tail of a queue, unless an order with its id is already queued or
   * claimed there (then nothing changes and `queued` is `false`), so retrying a push whose
   * outcome is unknown never queues an order twice.
   * @param queue - Queue name (an exchange, or any name).
   * @param order - The order; its id is `orderId`, else `exOrderId`.
   * @returns The queue length after the call, and whether the order was added.
   * @throws {ValidationError} naming `queue` or the order's field; nothing is written.
   */
  pushOpenOrder(queue: string, order: Order): Promise<PushResult> {
    // Not `async`: the hot path pays for the script's promise only. Bad input still rejects.
    return asPromise(() => {
      const name = checkName(queue, 'queue');
      const parsed = parseOrder(order);
      const keys = this.#keys.queue(name);
      return pushOrderScript(this.connection, keys, {
        orderId: orderKeyId(parsed),
        bytes: encodeOrder(this.connection.codec, parsed),
      });
    });
  }

  /**
   * Takes the oldest order of a queue (FIFO), waiting up to `timeoutMs` for one. The order
   * leaves the queue as it is returned: if the caller dies now, it is gone (use
   * `claimOpenOrder` for at-least-once delivery).
   * @param queue - Queue name.
   * @param options - `timeoutMs` (required; `0` looks once).
   * @returns The order, or `null` when none came in time.
   * @throws {ValidationError} naming `queue`, `options` or `timeoutMs`.
   * @throws {DecodeError} naming a queue key of another Redis type, or a claim count that is not
   *   a whole number; nothing is written. An order whose stored bytes are corrupt is not an
   *   error: it is reported through the connection's `onCorrupt`, kept as a dead letter
   *   (`corrupt: …`), and the pop takes the next order.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  popOpenOrder(queue: string, options: PopOptions): Promise<Order | null> {
    return asPromise(() => popOrder(this.#queue, checkName(queue, 'queue'), options));
  }

  /**
   * Leases the oldest order of a queue to the caller, waiting up to `timeoutMs` for one. Expired
   * leases of the queue are swept first: back to the head of the queue, or to the dead letters
   * after `maxAttempts` claims. The caller must `ack()` within `visibilityMs`, or `release()`.
   * @param queue - Queue name.
   * @param options - `timeoutMs` (required; `0` looks once), `visibilityMs`.
   * @returns The claim, or `null` when no order came in time.
   * @throws {ValidationError} naming `queue`, `options`, `timeoutMs` or `visibilityMs`.
   * @throws {DecodeError} naming a queue key of another Redis type, or a claim count that is not
   *   a whole number; nothing is written. An order whose stored bytes are corrupt is not an
   *   error: it is reported through the connection's `onCorrupt`, dead-lettered (`corrupt: …`),
   *   and the claim takes the next order.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  claimOpenOrder(queue: string, options: ClaimOptions): Promise<OrderClaim | null> {
    return asPromise(() => claimOrder(this.#queue, checkName(queue, 'queue'), options));
  }

  /**
   * Sweeps a queue's expired claims now (claims also sweep on their own): each goes back to the
   * head of the queue, or to the dead letters after `maxAttempts` claims.
   * @param queue - Queue name.
   * @returns How many went back and how many were dead-lettered.
   * @throws {ValidationError} naming `queue`.
   */
  async recoverStalled(queue: string): Promise<RecoverResult> {
    const keys = this.#keys.queue(checkName(queue, 'queue'));
    return recoverStalled(this.connection, keys, this.#settings);
  }

  /**
   * @param queue - Queue name.
   * @returns How many orders wait in the queue (claimed ones not counted).
   * @throws {ValidationError} naming `queue`.
   */
  async getQueueLength(queue: string): Promise<number> {
    const { pending } = this.#keys.queue(checkName(queue, 'queue'));
    return this.connection.send<number>(pending, ['LLEN', pending]);
  }

  /**
   * Counts a queue's orders that are claimed and not yet acked or released (leases in
   * progress, expired ones included until the next sweep re-delivers them).
   * @param queue - Queue name.
   * @returns The number of claims in progress (`0` for an unknown queue).
   * @throws {ValidationError} naming `queue`.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getClaimedCount(queue: string): Promise<number> {
    const { leases } = this.#keys.queue(checkName(queue, 'queue'));
    return this.connection.send<number>(leases, ['ZCARD', leases]);
  }

  /**
   * Lists a queue's dead letters, oldest first (at most `maxDeadLetters`). A corrupt entry is
   * skipped and reported through the connection's `onCorrupt` hook.
   * @param queue - Queue name.
   * @returns The dead letters, or `[]`.
   * @throws {ValidationError} naming `queue`.
   */
  async getDeadLetters(queue: string): Promise<DeadLetter[]> {
    return getDeadLetters(this.connection, this.#keys.queue(checkName(queue, 'queue')));
  }

  /**
   * Puts a dead letter back at the tail of its queue, attempts reset to 0.
   * @param queue - Queue name.
   * @param orderId - The order's id.
   * @returns `true` when it was put back; `false` when there is no such dead letter, or when
   *   an order with that id is queued or claimed already (the dead letter then stays).
   * @throws {ValidationError} naming `queue` or `orderId`.
   */
  async replayDeadLetter(queue: string, orderId: Id): Promise<boolean> {
    const keys = this.#keys.queue(checkName(queue, 'queue'));
    const id = idKey(orderId, 'orderId');
    return (
      (await replayDeadLetterScript(this.connection, keys, { orderId: id })) === ScriptReply.ok
    );
  }

  // ---------------------------------------------------------------- order state

  /**
   * Stores an order, replacing any stored under its id. A terminal status (canceled,
   * cancelled, filled, closed, rejected, expired) makes it expire after `ttlMs`; any other
   * status keeps it until deleted.
   * @param exchange - Exchange name.
   * @param order - The order; `exchange` is filled in when absent and must match when given.
   * @returns Whether an order with that id was replaced.
   * @throws {ValidationError} naming `exchange` or the order's field; nothing is written.
   */
  async saveOrder(exchange: string, order: Order): Promise<boolean> {
    return saveOrder(this.#state, checkName(exchange, 'exchange'), order);
  }

  /**
   * Merges the given fields into a stored order in one atomic step (concurrent updates of
   * different fields all land). When no order has that id, the patch is stored as a new order
   * if it holds every required field (`symbol`, `side`, `volume`). A field left `undefined` is
   * not changed; fields cannot be removed.
   * @param exchange - Exchange name.
   * @param patch - Fields to set, with `orderId` (or `exOrderId`) naming the order.
   * @returns The order as stored after the merge.
   * @throws {ValidationError} naming `exchange` or the patch's field, or the missing required
   *   field when the order is absent; nothing is written.
   * @throws {DecodeError} when the stored order is corrupt (it is re-validated whole, every rule
   *   of `Order`) or is another order's record (its id or exchange is not the key's); nothing is
   *   written.
   * @throws {ConfigurationError} when the connection's codec is neither msgpack nor json.
   */
  async updateOrder(exchange: string, patch: OrderPatch): Promise<Order> {
    return updateOrder(this.#state, checkName(exchange, 'exchange'), patch);
  }

  /**
   * Reads one order.
   * @param exchange - Exchange name.
   * @param orderId - The order's id (`orderId`, else `exOrderId`).
   * @returns The order, or `null`.
   * @throws {ValidationError} naming `exchange` or `orderId`.
   * @throws {DecodeError} when the stored value is corrupt.
   */
  async getOrder(exchange: string, orderId: Id): Promise<Order | null> {
    const name = checkName(exchange, 'exchange');
    return getOrder(this.#state, name, idKey(orderId, 'orderId'));
  }

  /**
   * Lists an exchange's orders, all of them or those with one status, through the exchange's
   * index (its cost grows with the orders listed, not with the keyspace). Orders come in no
   * particular order. A corrupt entry (undecodable bytes, another order's record, an order key
   * of another Redis type) is skipped and reported through `onCorrupt`; entries of orders whose
   * retention ran out are pruned from the index in the same operation.
   * @param exchange - Exchange name.
   * @param options - `status` to list only orders with that status.
   * @returns The orders, or `[]`.
   * @throws {ValidationError} naming `exchange`, `options` or `status`.
   * @throws {DecodeError} naming an index key that holds another Redis type.
   */
  async getOrders(exchange: string, options: GetOrdersOptions = {}): Promise<Order[]> {
    return getOrders(this.#state, checkName(exchange, 'exchange'), options);
  }

  /**
   * Sets an order's status (a one-field `updateOrder`; the retention rules apply).
   * @param exchange - Exchange name.
   * @param orderId - The order's id.
   * @param status - The new status.
   * @returns `true` when set; `false` when there is no such order (nothing created).
   * @throws {ValidationError} naming `exchange`, `orderId` or `status`.
   * @throws {DecodeError} when the stored order is corrupt (it is re-validated whole, every rule
   *   of `Order`) or is another order's record (its id or exchange is not the key's); nothing is
   *   written.
   */
  async setOrderStatus(exchange: string, orderId: Id, status: string): Promise<boolean> {
    const name = checkName(exchange, 'exchange');
    const id = idKey(orderId, 'orderId');
    return setOrderStatus(this.#state, name, id, checkName(status, 'status'));
  }

  /**
   * Reads an order's status.
   * @param exchange - Exchange name.
   * @param orderId - The order's id.
   * @returns The status, or `null` when there is no such order or it has no status.
   * @throws {ValidationError} naming `exchange` or `orderId`.
   * @throws {DecodeError} when the stored value is corrupt.
   */
  async getOrderStatus(exchange: string, orderId: Id): Promise<string | null> {
    return (await this.getOrder(exchange, orderId))?.status ?? null;
  }

  /**
   * Deletes an order and its index entries.
   * @param exchange - Exchange name.
   * @param orderId - The order's id.
   * @returns Whether it existed.
   * @throws {ValidationError} naming `exchange` or `orderId`.
   */
  async deleteOrder(exchange: string, orderId: Id): Promise<boolean> {
    const name = checkName(exchange, 'exchange');
    return deleteOrder(this.#state, name, idKey(orderId, 'orderId'));
  }
}
