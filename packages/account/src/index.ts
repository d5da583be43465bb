// Public API of @fullon/account.

export { AccountCache } from './account-cache.js';
export type { AccountCacheOptions } from './options.js';
export { Balance, Balances, Position, PositionInput } from './schema.js';
export type { PortfolioOptions, PortfolioSummary, PriceSource } from './types.js';
