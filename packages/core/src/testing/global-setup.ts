import type { TestProject } from 'vitest/node';
import { parseClusterNodes } from '../config/config.js';
import { startRedisCluster, startRedisServer } from '../server/redis-server.js';
import type { RedisTarget } from './target.js';

/**
 * vitest `globalSetup` for every @fullon package: starts a throwaway `redis-server` (or, for a
 * project whose name ends in `cluster`, a 3-master cluster) and provides its address to the tests
 * as `inject('fullonRedis')`. `REDIS_URL` / `REDIS_CLUSTER_NODES` point the suite at an existing
 * server instead. Fails, never skips, when `redis-server` is missing.
 * @param project - The vitest project being set up.
 * @returns The teardown that stops what was started.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const wantsCluster = project.name.endsWith('cluster');
  const provide = (target: RedisTarget) => project.provide('fullonRedis', target);
  if (wantsCluster && process.env.REDIS_CLUSTER_NODES) {
    provide({ mode: 'cluster', nodes: parseClusterNodes(process.env.REDIS_CLUSTER_NODES) });
    return async () => undefined;
  }
  if (!wantsCluster && process.env.REDIS_URL) {
    provide({ mode: 'standalone', url: process.env.REDIS_URL });
    return async () => undefined;
  }
  if (wantsCluster) {
    const cluster = await startRedisCluster(3);
    provide({ mode: 'cluster', nodes: cluster.nodes });
    return () => cluster.stop();
  }
  const server = await startRedisServer();
  provide({ mode: 'standalone', url: server.url });
  return () => server.stop();
}
