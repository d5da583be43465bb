import { type ConnectOptions, resolveConfig } from '../config/config.js';
import { CacheConnection } from './connection.js';

/**
 * Opens a connection. Fields not given come from the environment (see `loadConfig`).
 * @param input - Options, or a `redis://` / `rediss://` URL. Defaults to the environment.
 * @returns A ready connection; close it with `close()` or `await using`.
 * @throws {ConfigurationError} naming the option (or `config` when `input` is neither options
 *   nor a URL string) when the configuration is malformed or an option has the wrong type;
 *   always as a rejection, never a synchronous throw.
 * @throws {ConnectionError} naming host:port when Redis cannot be reached within `connectTimeoutMs`.
 * @example
 * ```ts
 * await using conn = await connect('redis://localhost:6379');
 * console.log(await conn.health());
 * ```
 */
export async function connect(input?: ConnectOptions | string): Promise<CacheConnection> {
  const config = resolveConfig(input);
  return new CacheConnection(config, typeof input === 'object' ? input : {}).open();
}
