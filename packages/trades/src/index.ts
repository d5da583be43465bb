// Public API of @fullon/trades.
export type { TradeAnalytics } from './schema.js';
export { Trade, TradeSide } from './schema.js';
export type {
  PopUserTradeOptions,
  ReadTradesOptions,
  TradesCacheOptions,
} from './trades-cache.js';
export { DEFAULT_MAX_TRADES, DEFAULT_TRADES_TTL_MS, TradesCache } from './trades-cache.js';
