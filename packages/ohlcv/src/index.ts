// Public API of @fullon/ohlcv.
export type { BarSubscription } from './bar-subscription.js';
export type {
  GetOhlcvBarsOptions,
  OHLCVCacheOptions,
  OhlcvSubscribeOptions,
} from './ohlcv-cache.js';
export { OHLCVCache } from './ohlcv-cache.js';
export {
  alignTime,
  Bar,
  isAligned,
  TIMEFRAME_MS,
  TIMEFRAMES,
  Timeframe,
  WEEK_ORIGIN_MS,
} from './schema.js';
