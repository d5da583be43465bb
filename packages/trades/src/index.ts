// Public API of @fullon/trades.

export type { TradesCacheOptions } from './options.js';
export { DEFAULT_MAX_TRADES, DEFAULT_TRADES_TTL_MS } from './options.js';
export type { TradeAnalytics } from './schema.js';
export { Trade, TradeSide } from './schema.js';
export { TradesCache } from './trades-cache.js';
export type { PopUserTradeOptions, ReadTradesOptions } from './types.js';
