// Public API of @fullon/ohlcv.
export type { BarSubscription } from './bar-subscription.js';
export { OHLCVCache } from './ohlcv-cache.js';
export type { OHLCVCacheOptions } from './options.js';
export {
  alignTime,
  Bar,
  isAligned,
  TIMEFRAME_MS,
  TIMEFRAMES,
  Timeframe,
  WEEK_ORIGIN_MS,
} from './schema.js';
export type { GetOhlcvBarsOptions, OhlcvSubscribeOptions } from './types.js';
