export type { Codec } from './codec.js';
export { asBuffer, createMsgpackCodec, jsonCodec, msgpackCodec } from './codec.js';
export type { CacheConfig, ClusterNode, LoadConfigOptions } from './config.js';
export {
  CONFIG_VARIABLES,
  hasConfiguredRedis,
  loadConfig,
  parseClusterNodes,
  validatePrefix,
  validateRedisUrl,
} from './config.js';
export type {
  ConnectionEvents,
  ConnectOptions,
  HealthReport,
  RedisArg,
  RedisReply,
  SendOptions,
} from './connection.js';
export { CacheConnection, connect, resolveConfig } from './connection.js';
export type { EnsuredRedis, EnsureRedisOptions } from './embedded.js';
export { ensureRedis } from './embedded.js';
export type { FullonCacheErrorCode, FullonCacheErrorOptions } from './errors.js';
export {
  ConfigurationError,
  ConnectionError,
  DecodeError,
  FullonCacheError,
  LockError,
  PubSubError,
  TimeoutError,
  ValidationError,
} from './errors.js';
export type { PatternPart } from './key-builder.js';
export { escapeKeyPart, KeyBuilder, unescapeKeyPart, WILDCARD } from './key-builder.js';
export type { LayoutDefinition, RecordLayout } from './layout.js';
export { defineLayout } from './layout.js';
export { openOwned } from './open-owned.js';
export type { RedisServerHandle, StartRedisOptions } from './redis-server.js';
export {
  findFreePort,
  findRedisServer,
  probeRedis,
  REDIS_INSTALL_HINT,
  startRedisServer,
} from './redis-server.js';
export {
  EpochMs,
  FiniteNumber,
  MIN_EPOCH_MS,
  Name,
  NonNegative,
  PositiveMs,
  validate,
  WaitMs,
} from './schemas.js';
export type { LuaScript } from './script.js';
export { defineScript } from './script.js';
export type { PubSubMessage, SubscribeOptions } from './subscription.js';
export { Subscription } from './subscription.js';
