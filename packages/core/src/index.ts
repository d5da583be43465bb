// The user API of @fullon/core: open a connection, configure it, catch its errors, pick a
// codec. Tools for writing a cache package are in `@fullon/core/author`; Redis servers for
// tests and examples in `@fullon/core/server` and `@fullon/core/testing`.
export type { Codec } from './codec.js';
export { createMsgpackCodec, jsonCodec, msgpackCodec } from './codec.js';
export type { CacheConfig, ClusterNode, ConnectOptions, LoadConfigOptions } from './config.js';
export { CONFIG_VARIABLES, hasConfiguredRedis, loadConfig } from './config.js';
export type { Pem, TlsOptions } from './config-tls.js';
export { connect } from './connect.js';
export type {
  ConnectionEvents,
  ConnectionLogger,
  HealthReport,
  ReconnectAttempt,
} from './connection/types.js';
export { CacheConnection } from './connection.js';
export type {
  CacheConnectionLike,
  InvalidationHandlers,
  InvalidationTracking,
  KeyBuilderLike,
  MessageStream,
  RedisArg,
  RedisReply,
  SendOptions,
} from './connection-like.js';
export type {
  CommandOutcome,
  ConnectionErrorOptions,
  FullonCacheErrorCode,
  FullonCacheErrorOptions,
} from './errors.js';
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
export type { PubSubMessage, SubscribeOptions } from './subscription.js';
