import type { CacheConnection, CacheConnectionLike } from '@fullon/core';
import { listKeys } from '@fullon/core/testing';
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

/** Resolves after `ms`. Used only where a test is about elapsed time. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Every key under the connection's prefix (SCAN on every master) with its DUMP and whether it
 * has a TTL: two equal snapshots mean no key was written.
 */
export async function keyspaceSnapshot(conn: CacheConnection): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await listKeys(conn)) {
    const dump = await conn.send<Buffer | null>(key, ['DUMP', key], { buffers: true });
    const ttl = await conn.send<number>(key, ['PTTL', key]);
    out[key] = `${dump?.toString('hex') ?? 'gone'} ttl:${ttl >= 0 ? 'yes' : String(ttl)}`;
  }
  return out;
}
