export type { SymbolRef } from './args.js';
export type {
  NearCache,
  NearCacheEvents,
  NearCacheOptions,
  NearCacheStats,
} from './near-cache.js';
export { Tick, TickUpdate } from './schema.js';
export type {
  GetAllTickersOptions,
  GetAnyTickerOptions,
  GetTickerOptions,
  SetTickerOptions,
  TickCacheOptions,
  TickSubscribeOptions,
  WaitForTickerOptions,
} from './tick-cache.js';
export { TickCache } from './tick-cache.js';
export type { TickSubscription } from './tick-subscription.js';
