import type { CacheConnectionLike } from '../connection/connection-like.js';

/**
 * Runs a write that takes more than one command (a script, then a registry touch or a status
 * stamp) as one operation of `conn`: begun before `close()`, it runs whole and `close()` waits
 * for it; begun after, it rejects with `ConnectionError` (outcome `not-sent`) and sends nothing.
 * A connection without `operation` (another implementation of the interface) runs `body` as is.
 * A synchronous throw in `body` becomes a rejection.
 * @param conn - The connection.
 * @param body - The operation; every command must go through the connection it is given.
 * @returns What `body` returns.
 * @throws {ConnectionError} (outcome `not-sent`) when `conn` is closed.
 * @example
 * ```ts
 * return runOperation(this.connection, async (conn) => {
 *   const status = await setTickerScript(conn, names, args);
 *   await this.#exchanges.touch(exchange, status === ADDED, conn);
 *   return status !== STALE;
 * });
 * ```
 */
export function runOperation<T>(
  conn: CacheConnectionLike,
  body: (conn: CacheConnectionLike) => Promise<T>,
): Promise<T> {
  if (typeof conn.operation === 'function') return conn.operation(body);
  try {
    return body(conn);
  } catch (error) {
    return Promise.reject(error);
  }
}
