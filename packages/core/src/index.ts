// The user API of @fullon/core: open a connection, configure it, catch its errors, pick a
// codec. Tools for writing a cache package are in `@fullon/core/author`; Redis servers for
// tests and examples in `@fullon/core/server` and `@fullon/core/testing`.

export type {
  CacheConfig,
  ClusterNode,
  ConnectOptions,
  LoadConfigOptions,
} from './config/config.js';
export { CONFIG_VARIABLES, hasConfiguredRedis, loadConfig } from './config/config.js';
export type { Pem, TlsOptions } from './config/config-tls.js';
export { connect } from './connection/connect.js';
export { CacheConnection } from './connection/connection.js';
export type {
  CacheConnectionLike,
  InvalidationHandlers,
  InvalidationTracking,
  KeyBuilderLike,
  MessageStream,
  RedisArg,
  RedisReply,
  SendOptions,
} from './connection/connection-like.js';
export type { PubSubMessage, SubscribeOptions } from './connection/subscription.js';
export type {
  ConnectionEvents,
  ConnectionLogger,
  HealthReport,
  ReconnectAttempt,
} from './connection/types.js';
export type { Codec } from './encoding/codec.js';
export { createMsgpackCodec, jsonCodec, msgpackCodec } from './encoding/codec.js';
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
export type { PatternPart } from './keys/key-builder.js';
