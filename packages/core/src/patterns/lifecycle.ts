import type { ConnectOptions } from '../config/config.js';
import { connect } from '../connection/connect.js';
import type { CacheConnectionLike } from '../connection/connection-like.js';

/** Connections opened by {@link openCache}, by the cache that owns them. */
const owned = new WeakMap<object, CacheConnectionLike>();

/**
 * The body of every cache's static `open()`: checks the cache options first (so bad options
 * never open a connection), opens a connection, builds the cache on it and records that the
 * cache owns it, so {@link closeCache} closes it. If building the cache throws, the connection
 * is closed before the error propagates: a failed `open()` leaks nothing.
 * @param config - Connection options or a `redis://` URL. Defaults to the environment.
 * @param checkOptions - Validates the cache options; throws `ValidationError`.
 * @param create - Builds the cache on the new connection.
 * @returns The cache.
 * @throws {ValidationError} from `checkOptions`, before any connection is made.
 * @throws {ConfigurationError} | {ConnectionError} from `connect()`.
 * @example
 * ```ts
 * static open(config?: ConnectOptions | string, options: MyOptions = {}): Promise<MyCache> {
 *   return openCache(config, () => resolveMyOptions(options), (conn) => new MyCache(conn, options));
 * }
 * close(): Promise<void> { return closeCache(this); }
 * ```
 */
export async function openCache<T extends object>(
  config: ConnectOptions | string | undefined,
  checkOptions: () => unknown,
  create: (conn: CacheConnectionLike) => T,
): Promise<T> {
  checkOptions();
  const conn = await connect(config);
  try {
    const cache = create(conn);
    owned.set(cache, conn);
    return cache;
  } catch (error) {
    await conn.close();
    throw error;
  }
}

/**
 * The body of every cache's `close()`: closes the connection when {@link openCache} opened it
 * for this cache; a connection passed to the constructor is left open (its creator closes it).
 * Idempotent.
 * @param cache - The cache being closed.
 * @returns Once the owned connection (if any) is closed.
 */
export async function closeCache(cache: object): Promise<void> {
  const conn = owned.get(cache);
  if (conn === undefined) return;
  owned.delete(cache);
  await conn.close();
}
