import type { CacheConfig } from '../config/config.js';
import { tlsSocketOptions } from '../config/config-tls.js';
import { type LinkState, reconnectStrategy } from './link.js';

/**
 * node-redis options every client of a connection shares: socket (connect timeout, TLS,
 * reconnect strategy), credentials, and the pool of blocking connections.
 * @param config - The configuration.
 * @param state - The link the reconnect strategy serves.
 * @returns Options pieces for `createClient` / `createCluster`.
 */
export function clientOptions(config: CacheConfig, state: LinkState) {
  const socket = {
    connectTimeout: config.connectTimeoutMs,
    ...tlsSocketOptions(config),
    reconnectStrategy: reconnectStrategy(state, config.socketTimeoutMs),
  };
  const credentials = {
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password }),
  };
  // A blocking call waits at most the socket timeout for a pooled connection: opening one
  // retries for as long as the server is down, and all may be taken by long pops.
  const pool = { max: config.maxConnections, acquireTimeoutMillis: config.socketTimeoutMs };
  return { socket, credentials, pool };
}
