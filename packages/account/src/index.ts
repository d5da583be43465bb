// Public API of @fullon/account.

export type { AccountCacheOptions } from './account-cache.js';
export { AccountCache } from './account-cache.js';
export type { PortfolioOptions, PortfolioSummary, PriceSource } from './schema.js';
export { Balance, Balances, Position, PositionInput } from './schema.js';
