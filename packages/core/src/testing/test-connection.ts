import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import type { ConnectOptions } from '../config/config.js';
import { connect } from '../connection/connect.js';
import type { CacheConnection } from '../connection/connection.js';
import { FullonCacheError } from '../errors.js';
import type { RedisTarget } from './target.js';

/** @returns The Redis the global setup provided (standalone URL or cluster nodes). */
export function redisTarget(): RedisTarget {
  return inject('fullonRedis');
}

/** @returns A fresh prefix, so test files sharing one server never see each other's keys. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

/**
 * Opens a connection to the suite's Redis under a fresh prefix.
 * @param options - Extra connect options (prefix, codec, timeouts…).
 * @returns An open connection; close it when done.
 */
export function testConnection(options: ConnectOptions = {}): Promise<CacheConnection> {
  const target = redisTarget();
  const address: ConnectOptions =
    target.mode === 'cluster' ? { clusterNodes: target.nodes } : { url: target.url };
  return connect({ prefix: uniquePrefix(), ...address, ...options });
}

/**
 * Registers `beforeAll`/`afterAll` hooks that open one connection for the file (fresh prefix)
 * and clear and close it at the end.
 * @param options - Extra connect options.
 * @returns A getter for the connection, valid inside tests.
 */
export function useTestConnection(options: ConnectOptions = {}): () => CacheConnection {
  let connection: CacheConnection | undefined;
  beforeAll(async () => {
    connection = await testConnection(options);
  });
  afterAll(async () => {
    await connection?.clear();
    await connection?.close();
  });
  return () => {
    if (connection === undefined)
      throw new FullonCacheError(
        'useTestConnection: the connection is only available inside tests',
      );
    return connection;
  };
}
