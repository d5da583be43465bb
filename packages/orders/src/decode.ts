import { type Codec, DecodeError } from '@fullon/core';
import { OrderLayout } from './layouts.js';
import { type Order, orderKeyId } from './schema.js';

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
