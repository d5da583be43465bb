// Public API of @fullon/cache: every package's public API under its own name, plus
// createCaches / openCaches. Named re-exports only (no `export *` across packages), so a
// name added to two packages later is a compile error here, not a silent shadowing.
//
// Name clashes, resolved here:
// - `JsonValue`: `@fullon/bot` and `@fullon/process` both export core's one `JsonValue` type;
//   process adds a schema of the same name. The process export (schema + type) is `JsonValue`;
//   `BotJsonValue` stays as a deprecated alias of the same type.
// - `Id`: only `@fullon/exchange` re-exports it (the `Id` type of `@fullon/core/author`).

import type { JsonValue as ProcessJsonValue } from '@fullon/process';

export type {
  AccountCacheOptions,
  PortfolioOptions,
  PortfolioSummary,
  PriceSource,
} from '@fullon/account';
export { AccountCache, Balance, Balances, Position, PositionInput } from '@fullon/account';
export type {
  BlockHold,
  BotCacheOptions,
  BotStatus,
  HoldBlockOptions,
  LeaseInfo,
  LeaseLost,
  LeaseLostReason,
  LeaseOptions,
  LeaseResult,
  ReleaseOptions,
  RenewOptions,
  UpdateBotOptions,
} from '@fullon/bot';
export { BotCache } from '@fullon/bot';
export type {
  CacheConfig,
  CacheConnectionLike,
  ClusterNode,
  Codec,
  ConnectionEvents,
  ConnectOptions,
  FullonCacheErrorCode,
  FullonCacheErrorOptions,
  HealthReport,
  KeyBuilderLike,
  LoadConfigOptions,
  MessageStream,
  PatternPart,
  PubSubMessage,
  RedisArg,
  RedisReply,
  SendOptions,
  SubscribeOptions,
} from '@fullon/core';
export {
  CacheConnection,
  CONFIG_VARIABLES,
  ConfigurationError,
  ConnectionError,
  connect,
  createMsgpackCodec,
  DecodeError,
  FullonCacheError,
  hasConfiguredRedis,
  jsonCodec,
  LockError,
  loadConfig,
  msgpackCodec,
  PubSubError,
  TimeoutError,
  ValidationError,
} from '@fullon/core';
export type {
  CachedSymbol,
  ExchangeCacheOptions,
  ExchangeInput,
  ExchangeLoaders,
  Id,
  InvalidateTarget,
  PopWsErrorOptions,
  SymbolCacheOptions,
} from '@fullon/exchange';
export {
  CatExchange,
  DEFAULT_METADATA_TTL_MS,
  DEFAULT_WS_ERROR_CAP,
  Exchange,
  ExchangeCache,
  PrecisionMode,
  SymbolCache,
  SymbolInfo,
  UpdateFrame,
  WsErrorMessage,
} from '@fullon/exchange';
export type {
  BarSubscription,
  GetOhlcvBarsOptions,
  OHLCVCacheOptions,
  OhlcvSubscribeOptions,
} from '@fullon/ohlcv';
export {
  alignTime,
  Bar,
  isAligned,
  OHLCVCache,
  TIMEFRAME_MS,
  TIMEFRAMES,
  Timeframe,
  WEEK_ORIGIN_MS,
} from '@fullon/ohlcv';
export type {
  ClaimOptions,
  DeadLetter,
  GetOrdersOptions,
  OrderClaim,
  OrdersCacheOptions,
  PopOptions,
  PushResult,
  RecoverResult,
  ReleaseOutcome,
} from '@fullon/orders';
export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DEAD_LETTERS,
  DEFAULT_TTL_MS,
  DEFAULT_VISIBILITY_MS,
  Order,
  OrderPatch,
  OrderSide,
  OrdersCache,
  TERMINAL_STATUSES,
} from '@fullon/orders';
export type {
  ActiveProcessesOptions,
  Broadcast,
  BroadcastSubscribeOptions,
  BroadcastSubscription,
  CleanupOptions,
  ProcessCacheOptions,
  ProcessMetrics,
  ProcessRecord,
  ProcessStatus,
  ProcessType,
  ProcessUpdate,
  RegisterProcessOptions,
  SystemHealth,
  SystemHealthOptions,
} from '@fullon/process';
/**
 * The same type as {@link JsonValue}: bot and process both use `@fullon/core`'s one JSON type.
 * @deprecated Use `JsonValue`; this alias goes in the next minor version.
 */
export type BotJsonValue = ProcessJsonValue;
export {
  isJsonValue,
  JsonObject,
  JsonValue,
  PROCESS_STATUSES,
  PROCESS_TYPES,
  ProcessCache,
} from '@fullon/process';
export type {
  GetAllTickersOptions,
  GetAnyTickerOptions,
  GetTickerOptions,
  NearCache,
  NearCacheEvents,
  NearCacheOptions,
  NearCacheStats,
  SetTickerOptions,
  SymbolRef,
  TickCacheOptions,
  TickSubscribeOptions,
  TickSubscription,
  WaitForTickerOptions,
} from '@fullon/tick';
export { Tick, TickCache, TickUpdate } from '@fullon/tick';
export type {
  PopUserTradeOptions,
  ReadTradesOptions,
  TradeAnalytics,
  TradesCacheOptions,
} from '@fullon/trades';
export {
  DEFAULT_MAX_TRADES,
  DEFAULT_TRADES_TTL_MS,
  Trade,
  TradeSide,
  TradesCache,
} from '@fullon/trades';

export type { Caches, CachesOptions, OwnedCaches } from './caches.js';
export { createCaches, openCaches } from './caches.js';
