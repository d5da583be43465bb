import { defineLayout, flatTupleEncoder } from '@fullon/core/author';
import { isValidOrder } from './fast-check.js';
import { Order, OrderFields } from './schema.js';

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
