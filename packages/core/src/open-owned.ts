import { type CacheConnection, type ConnectOptions, connect } from './connection.js';

/**
 * Opens a connection for a cache that will own it — the body of every cache's static `open()`.
 * If creating the cache throws (bad options), the connection is closed before the error
 * propagates, so a failed `open()` leaks nothing.
 * @param config - Connection options or a `redis://` URL. Defaults to the environment.
 * @param create - Builds the cache on the new connection and marks it as the owner.
 * @returns The cache.
 * @throws {ConfigurationError} | {ConnectionError} from `connect()`, or what `create` throws.
 * @example
 * ```ts
 * static open(config?: ConnectOptions | string): Promise<MyCache> {
 *   return openOwned(config, (conn) => new MyCache(conn, { ownsConnection: true }));
 * }
 * ```
 */
export async function openOwned<T>(
  config: ConnectOptions | string | undefined,
  create: (conn: CacheConnection) => T,
): Promise<T> {
  const conn = await connect(config);
  try {
    return create(conn);
  } catch (error) {
    await conn.close();
    throw error;
  }
}
