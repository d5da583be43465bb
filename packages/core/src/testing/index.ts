import { expect } from 'vitest';
import type { CacheConnection } from '../connection/connection.js';
import { FullonCacheError } from '../errors.js';

export type {
  RedisClusterHandle,
  RedisServerHandle,
  StartClusterOptions,
  StartRedisOptions,
} from '../server/redis-server.js';
export { REDIS_INSTALL_HINT, startRedisCluster, startRedisServer } from '../server/redis-server.js';
export type { RedisServerTls } from '../server/redis-server-tls.js';
export { sleep } from '../util/sleep.js';
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
export { type CorruptWatcher, corruptWatcher } from './corrupt-watcher.js';
export {
  listKeys,
  type NodeClient,
  nodeClients,
  subscriberCount,
  trackingClients,
} from './keyspace.js';
export { MSGPACK_EDGE_NUMBERS } from './msgpack-edges.js';
export type { RedisTarget } from './target.js';
export {
  redisTarget,
  testConnection,
  uniquePrefix,
  useTestConnection,
} from './test-connection.js';
export { eventually, type PollOptions, until } from './wait.js';

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
