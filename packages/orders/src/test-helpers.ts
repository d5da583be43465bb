import type { CacheConnectionLike } from '@fullon/core';
import { OrderKeys, type QueueKeys } from './keys.js';
import type { Order } from './schema.js';

/** A valid order with id `id`. */
export function order(id: string | number, extra: Partial<Order> = {}): Order {
  return { orderId: id, symbol: 'BTC/USDT', side: 'buy', volume: 0.5, ...extra };
}

/** The keys of `queue` on `conn`. */
export function queueKeys(conn: CacheConnectionLike, queue: string): QueueKeys {
  return new OrderKeys(conn.keys).queue(queue);
}

/** Every key of one queue with its Redis TYPE and a dump of its content (for "untouched" checks). */
export async function queueSnapshot(conn: CacheConnectionLike, queue: string): Promise<string> {
  const keys = queueKeys(conn, queue);
  const parts: string[] = [];
  for (const key of keys.all) {
    const type = await conn.send<string>(key, ['TYPE', key]);
    parts.push(`${key}:${type}`);
  }
  return parts.join('\n');
}
