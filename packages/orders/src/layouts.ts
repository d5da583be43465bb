import { type Codec, DecodeError } from '@fullon/core';
import { defineLayout, flatTupleEncoder } from '@fullon/core/author';
import { isValidOrder } from './fast-check.js';
import { Order, OrderFields, orderKeyId } from './schema.js';

/**
 * How an order is stored: a msgpack tuple, hottest fields first. Bump `version` when `fields`
 * changes. The update script splices slots of this tuple by position.
 * @internal
 */
export const OrderLayout = defineLayout({
  name: 'order',
  version: 1,
  schema: OrderFields,
  check: Order,
  isValid: isValidOrder,
  fields: [
    'orderId',
    'exOrderId',
    'exchange',
    'symbol',
    'side',
    'status',
    'volume',
    'price',
    'finalVolume',
    'plimit',
    'tick',
    'orderType',
    'futures',
    'leverage',
    'exId',
    'botId',
    'userId',
    'command',
    'reason',
    'timestamp',
  ],
});

/**
 * A validated order's layout bytes under a codec: the very bytes of `OrderLayout.encode`,
 * written directly on the default msgpack codec (pushes and saves are hot paths).
 * @internal
 */
export const encodeOrder = flatTupleEncoder(OrderLayout);

/** Width of the stored tuple: the version and every field. */
export const ORDER_WIDTH = OrderLayout.fields.length + 1;

/**
 * @param field - An order field.
 * @returns Its 1-based position in the stored tuple, as Lua indexes it (the version is 1).
 */
export function orderSlot(field: string): number {
  return OrderLayout.fields.indexOf(field) + 2;
}

/**
 * Validates an order given by a caller: the fast predicate first, the schema (which names the
 * offending field) when it refuses.
 * @param input - What the caller passed.
 * @returns The order.
 * @throws {ValidationError} naming the first offending field.
 * @internal
 */
export function parseOrder(input: unknown): Order {
  return isValidOrder(input) ? input : OrderLayout.parse(input);
}

/**
 * Decodes an order read from `key` (strict: every rule re-checked) and checks it is the order
 * its key or queue entry names.
 * @param codec - The connection's codec.
 * @param bytes - Stored bytes.
 * @param key - Redis key, for the error.
 * @param field - Hash field, for the error.
 * @param orderId - The id the key or entry names.
 * @param exchange - The exchange the key names, when it names one.
 * @returns The order.
 * @throws {DecodeError} on corrupt bytes, a broken rule or a foreign identity.
 * @internal
 */
export function decodeOrder(
  codec: Codec,
  bytes: Uint8Array,
  key: string,
  field: string | undefined,
  orderId: string,
  exchange?: string,
): Order {
  const order = OrderLayout.decode(
    codec,
    bytes,
    key,
    field,
    exchange === undefined ? undefined : { exchange },
  );
  const id = orderKeyId(order);
  if (id !== orderId) {
    throw new DecodeError(
      key,
      field,
      `stored order id is ${JSON.stringify(id)}, not the ${JSON.stringify(orderId)} its key names`,
    );
  }
  return order;
}
