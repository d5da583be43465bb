export type {
  NearCache,
  NearCacheEvents,
  NearCacheOptions,
  NearCacheStats,
} from './near-cache.js';
export type { TickCacheOptions } from './options.js';
export { Tick, TickUpdate } from './schema.js';
export { TickCache } from './tick-cache.js';
export type {
  GetAllTickersOptions,
  GetAnyTickerOptions,
  GetTickerOptions,
  SetTickerOptions,
  SymbolRef,
  TickSubscribeOptions,
  TickSubscription,
  WaitForTickerOptions,
} from './types.js';
