// @fullon/core/server — Redis servers for examples, scripts and tests: find or start a
// throwaway redis-server. Not needed to use the caches against your own Redis.
export type { EnsuredRedis, EnsureRedisOptions } from './embedded.js';
export { ensureRedis } from './embedded.js';
export type {
  RedisClusterHandle,
  RedisServerHandle,
  StartClusterOptions,
  StartRedisOptions,
} from './redis-server.js';
export {
  findFreePort,
  findRedisServer,
  probeRedis,
  REDIS_INSTALL_HINT,
  startRedisCluster,
  startRedisServer,
} from './redis-server.js';
export type { RedisServerTls } from './redis-server-tls.js';
