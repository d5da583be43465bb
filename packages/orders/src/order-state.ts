// The order-state side of the orders cache: one record per (exchange, orderId), saved whole or
// merged field by field, listed through the exchange's status index.
import {
  type CacheConnectionLike,
  type Codec,
  ConfigurationError,
  DecodeError,
  ValidationError,
} from '@fullon/core';
import {
  BUFFERS,
  checkName,
  decodeListed,
  inChunks,
  optionsObject,
  runOperation,
  validate,
  validateAt,
} from '@fullon/core/author';
import * as v from 'valibot';
import type { OrderKeys, StateKeys } from './keys.js';
import { decodeOrder, encodeOrder, OrderLayout, parseOrder } from './layouts.js';
import { Order, OrderPatch, orderKeyId } from './schema.js';
import { deleteOrderScript } from './scripts/delete-order.js';
import { pruneOrdersScript } from './scripts/prune-orders.js';
import { saveOrderScript } from './scripts/save-order.js';
import { MERGEABLE_CODECS, type UpdateReply, updateOrderScript } from './scripts/update-order.js';
import type { GetOrdersOptions } from './types.js';

/**
 * What the order-state operations need of the cache.
 * @internal
 */
export interface StateContext {
  /** The cache's connection. */
  readonly conn: CacheConnectionLike;
  /** The cache's keys. */
  readonly keys: OrderKeys;
  /** Retention of an order in a terminal state, in ms. */
  readonly ttlMs: number;
}

/**
 * `saveOrder` once `exchange` is checked: stores the order whole, indexed by status.
 * @param ctx - The cache.
 * @param name - Exchange name, checked.
 * @param order - As given.
 * @returns Whether an order with that id was replaced.
 * @throws {ValidationError} naming `exchange` or the order's field; nothing is written.
 * @internal
 */
export function saveOrder(ctx: StateContext, name: string, order: Order): Promise<boolean> {
  const parsed = withExchange(parseOrder(order), name);
  const id = orderKeyId(parsed);
  return saveOrderScript(
    ctx.conn,
    { ...ctx.keys.state(name), order: ctx.keys.order(name, id) },
    {
      orderId: id,
      bytes: encodeOrder(ctx.conn.codec, parsed),
      status: parsed.status ?? '',
      ttlMs: ctx.ttlMs,
    },
  );
}

/**
 * `updateOrder` once `exchange` is checked: merges the patch, or stores it as a new order when
 * it is a whole one.
 * @param ctx - The cache.
 * @param name - Exchange name, checked.
 * @param patch - As given.
 * @returns The order as stored after the merge.
 * @throws {ValidationError} naming `exchange`, the patch's field or the missing required field.
 * @throws {DecodeError} when the stored order is corrupt or another order's record.
 * @throws {ConfigurationError} when the connection's codec is neither msgpack nor json.
 * @internal
 */
export async function updateOrder(
  ctx: StateContext,
  name: string,
  patch: OrderPatch,
): Promise<Order> {
  const parsed = withExchange(validate(OrderPatch, patch, 'patch'), name);
  const id = orderKeyId(parsed);
  const full = v.safeParse(Order, parsed);
  const values = new Map<string, Buffer>();
  const codec = mergeCodec(ctx.conn);
  for (const field of OrderLayout.fields) {
    const value = (parsed as Record<string, unknown>)[field];
    if (value !== undefined) values.set(field, codec.encode(value));
  }
  const key = ctx.keys.order(name, id);
  const reply = await merge(ctx, name, id, key, {
    create: full.success ? encodeOrder(codec, full.output) : undefined,
    status: parsed.status,
    values,
  });
  if (reply.status === 'missing') {
    // Throws the ValidationError naming the first required field the patch lacks.
    validateAt(Order, parsed, 'patch');
    throw new ValidationError(
      'patch',
      'patch: the order is absent and the patch is not a whole order',
    );
  }
  if (reply.status === 'corrupt' || reply.status === 'foreign') {
    throw storedError(key, reply.status, name, id, 'nothing merged');
  }
  return decodeOrder(codec, reply.bytes, key, undefined, id, name);
}

/**
 * `getOrder` once its arguments are checked.
 * @param ctx - The cache.
 * @param name - Exchange name, checked.
 * @param id - Order id, checked, as a string.
 * @returns The order, or `null`.
 * @throws {DecodeError} when the stored value is corrupt.
 * @internal
 */
export async function getOrder(ctx: StateContext, name: string, id: string): Promise<Order | null> {
  const key = ctx.keys.order(name, id);
  const bytes = await ctx.conn.send<Buffer | null>(key, ['GET', key], BUFFERS);
  return bytes === null ? null : decodeOrder(ctx.conn.codec, bytes, key, undefined, id, name);
}

/**
 * `getOrders` once `exchange` is checked: reads the ids the index lists, then the orders in
 * chunks; skips (and reports) corrupt entries, prunes the index when an order had expired.
 * @param ctx - The cache.
 * @param name - Exchange name, checked.
 * @param options - As given.
 * @returns The orders, or `[]`.
 * @throws {ValidationError} naming `options` or `status`.
 * @throws {DecodeError} naming an index key that holds another Redis type.
 * @internal
 */
export function getOrders(
  ctx: StateContext,
  name: string,
  options: GetOrdersOptions,
): Promise<Order[]> {
  const opts: GetOrdersOptions = optionsObject(options);
  const status = opts.status === undefined ? undefined : checkName(opts.status, 'status');
  const state = ctx.keys.state(name);
  // One operation: close() lets the prune run after the reads, not refuse it.
  return runOperation(ctx.conn, async (conn) => {
    const ids = await listedIds(conn, state, status);
    const seen = { expired: false };
    const batches = await inChunks(ids, async (slice) => {
      const keys = slice.map((id) => ctx.keys.order(name, id));
      const values = await conn.send<(Buffer | null)[]>(keys[0], ['MGET', ...keys], BUFFERS);
      const listed: Order[] = [];
      for (const [i, id] of slice.entries()) {
        const key = keys[i] ?? '';
        const bytes = values[i];
        if (bytes === null || bytes === undefined) {
          // MGET answers nil for a key of another type too: that is garbage, not an expiry.
          if (await isOtherType(conn, key)) {
            conn.reportCorrupt(new DecodeError(key, undefined, 'the key holds another Redis type'));
          } else seen.expired = true;
          continue;
        }
        const order = decodeListed(conn, () =>
          decodeOrder(conn.codec, bytes, key, undefined, id, name),
        );
        if (order !== undefined && (status === undefined || order.status === status)) {
          listed.push(order);
        }
      }
      return [listed];
    });
    const orders = batches.flat();
    if (seen.expired) await pruneOrdersScript(conn, state);
    return orders;
  });
}

/**
 * `setOrderStatus` once its arguments are checked: a one-field merge.
 * @param ctx - The cache.
 * @param name - Exchange name, checked.
 * @param id - Order id, checked, as a string.
 * @param status - The new status, checked.
 * @returns `true` when set; `false` when there is no such order.
 * @throws {DecodeError} when the stored order is corrupt or another order's record.
 * @throws {ConfigurationError} when the connection's codec is neither msgpack nor json.
 * @internal
 */
export async function setOrderStatus(
  ctx: StateContext,
  name: string,
  id: string,
  status: string,
): Promise<boolean> {
  const codec = mergeCodec(ctx.conn);
  const key = ctx.keys.order(name, id);
  const reply = await merge(ctx, name, id, key, {
    create: undefined,
    status,
    values: new Map([['status', codec.encode(status)]]),
  });
  if (reply.status === 'corrupt' || reply.status === 'foreign') {
    throw storedError(key, reply.status, name, id, 'status not set');
  }
  return reply.status !== 'missing';
}

/**
 * `deleteOrder` once its arguments are checked.
 * @param ctx - The cache.
 * @param name - Exchange name, checked.
 * @param id - Order id, checked, as a string.
 * @returns Whether it existed.
 * @internal
 */
export function deleteOrder(ctx: StateContext, name: string, id: string): Promise<boolean> {
  return deleteOrderScript(
    ctx.conn,
    { ...ctx.keys.state(name), order: ctx.keys.order(name, id) },
    { orderId: id },
  );
}

/**
 * The by-status index member of order `id` with `status`: `<byte length>:<status>:<id>`, so
 * one status is one lexicographic range. The TypeScript copy of the Lua `member()` in
 * `scripts/state-lua.ts`; the two must encode alike.
 * @param status - The status.
 * @param id - The order's id; `''` for the prefix every member with `status` starts with.
 * @returns The member.
 * @internal
 */
export function statusMember(status: string, id: string): string {
  return `${Buffer.byteLength(status)}:${status}:${id}`;
}

/** The ids the exchange's index lists, all or those with `status`. */
async function listedIds(
  conn: CacheConnectionLike,
  state: StateKeys,
  status: string | undefined,
): Promise<string[]> {
  if (status === undefined) return conn.send<string[]>(state.index, ['HKEYS', state.index]);
  const head = statusMember(status, '');
  const members = await conn.send<string[]>(state.byStatus, [
    'ZRANGE',
    state.byStatus,
    `[${head}`,
    `(${head.slice(0, -1)};`,
    'BYLEX',
  ]);
  return members.map((m) => m.slice(head.length));
}

/**
 * Reads the stored order and re-validates it whole (every rule, its identity), then merges
 * with the script on the condition that the key still holds those bytes; reads again when a
 * concurrent write changed them. One operation: close() drains it whole.
 * @throws {DecodeError} naming `key` when the stored order is corrupt; nothing is written.
 */
function merge(
  ctx: StateContext,
  exchange: string,
  id: string,
  key: string,
  args: {
    create: Buffer | undefined;
    status: string | undefined;
    values: ReadonlyMap<string, Buffer>;
  },
): Promise<Exclude<UpdateReply, { status: 'changed' }>> {
  const keys = { ...ctx.keys.state(exchange), order: key };
  return runOperation(ctx.conn, async (conn) => {
    for (;;) {
      const stored = await conn.send<Buffer | null>(key, ['GET', key], BUFFERS);
      if (stored !== null) decodeOrder(conn.codec, stored, key, undefined, id, exchange);
      const reply = await updateOrderScript(conn, keys, {
        orderId: id,
        exchange,
        ttlMs: ctx.ttlMs,
        expected: stored,
        ...args,
      });
      // Changed: another write landed between the read and the script; it made progress.
      if (reply.status !== 'changed') return reply;
    }
  });
}

/**
 * The connection's codec, when the merge script can read it.
 * @throws {ConfigurationError} naming `codec` otherwise.
 */
function mergeCodec(conn: CacheConnectionLike): Codec {
  const codec = conn.codec;
  if (!MERGEABLE_CODECS.includes(codec.name)) {
    throw new ConfigurationError(
      'codec',
      `updateOrder and setOrderStatus merge inside Redis and read ${MERGEABLE_CODECS.join(' or ')} values; the connection's codec is ${codec.name}`,
    );
  }
  return codec;
}

/** Whether `key` exists with a Redis type other than string (an order's key is a string). */
async function isOtherType(conn: CacheConnectionLike, key: string): Promise<boolean> {
  const type = await conn.send<string>(key, ['TYPE', key]);
  return type !== 'none' && type !== 'string';
}

/** The DecodeError for a stored order the merge script refused (nothing was written). */
function storedError(
  key: string,
  why: 'corrupt' | 'foreign',
  exchange: string,
  orderId: string,
  what: string,
): DecodeError {
  const message =
    why === 'corrupt'
      ? `stored value is not an order of layout version ${OrderLayout.version}`
      : `stored order is not order ${JSON.stringify(orderId)} of exchange ${JSON.stringify(exchange)} its key names`;
  return new DecodeError(key, undefined, `${message}; ${what}`);
}

/**
 * Fills in the order's exchange, or checks it names the one given.
 * @throws {ValidationError} naming `exchange` on a mismatch.
 */
function withExchange<T extends { exchange?: string | undefined }>(
  order: T,
  exchange: string,
): T & { exchange: string } {
  if (order.exchange !== undefined && order.exchange !== exchange) {
    throw new ValidationError(
      'exchange',
      `exchange: the order names exchange ${JSON.stringify(order.exchange)}, not ${JSON.stringify(exchange)}`,
    );
  }
  return { ...order, exchange };
}
