import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { ConnectOptions } from '../config.js';
import { connect } from '../connect.js';
import type { CacheConnection } from '../connection.js';
import { FullonCacheError } from '../errors.js';
import type { RedisTarget } from './target.js';

export type {
  RedisClusterHandle,
  RedisServerHandle,
  StartClusterOptions,
  StartRedisOptions,
} from '../redis-server.js';
export { REDIS_INSTALL_HINT, startRedisCluster, startRedisServer } from '../redis-server.js';
export type { RedisServerTls } from '../redis-server-tls.js';
export { type UntilBlockedOptions, untilBlocked } from './blocked.js';
export { createTestCertificates, type TestCertificates } from './certificates.js';
export {
  CLOSE_LOAD_CALLS,
  type ConformanceTable,
  defineConformance,
  describeConformance,
  describeStallConformance,
  type FamilySpec,
  type FieldKind,
  type GarbageKind,
  garbageKinds,
  type KeyspaceSnapshot,
  keyspaceDiff,
  type LifecycleMethod,
  type MethodKind,
  type MethodNames,
  type MethodSpec,
  type ParamKind,
  type ParamSpec,
  PROTOTYPE_NAMES,
  STALL_SOCKET_TIMEOUT_MS,
  snapshotKeyspace,
} from './conformance/index.js';
export {
  listKeys,
  type NodeClient,
  nodeClients,
  subscriberCount,
  trackingClients,
} from './keyspace.js';
export { MSGPACK_EDGE_NUMBERS } from './msgpack-edges.js';
export type { RedisTarget } from './target.js';

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

/**
 * Polls until `conn` answers PING again (after a restart, a pause, a failover); each PING is
 * bounded by the socket timeout.
 * @param conn - The connection.
 * @param timeoutMs - How long the server may take to come back.
 * @throws when it has not answered within `timeoutMs`.
 */
export async function untilAnswering(conn: CacheConnection, timeoutMs: number): Promise<void> {
  await expect
    .poll(
      () =>
        conn.ping().then(
          () => 'up',
          () => 'down',
        ),
      { timeout: timeoutMs },
    )
    .toBe('up');
}

/**
 * Makes `runs` calls one after another and returns the median of their durations: a bound on a
 * wait that one scheduling hiccup on a busy machine cannot break, while a systematic overshoot
 * (a 100 ms poll step) still shows.
 * @param call - One call; it should assert its own result.
 * @param runs - How many calls. Defaults to 7.
 * @returns The median duration in ms.
 */
export async function medianDurationMs(call: () => Promise<unknown>, runs = 7): Promise<number> {
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await call();
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.floor(runs / 2)] ?? Number.NaN;
}

/**
 * Awaits a promise that must reject.
 * @param promise - The call under test.
 * @returns The rejection reason.
 * @throws {FullonCacheError} when the promise resolves instead.
 */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new FullonCacheError('expected a rejection, the promise resolved');
}
