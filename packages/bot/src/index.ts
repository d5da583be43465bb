// Public API of @fullon/bot.

export type { BlockHold, HoldBlockOptions, LeaseLost, LeaseLostReason } from './block-hold.js';
export { BotCache } from './bot-cache.js';
export type { BotCacheOptions } from './options.js';
export type { BotStatus, JsonValue, LeaseInfo, LeaseResult } from './schema.js';
export type { LeaseOptions, ReleaseOptions, RenewOptions, UpdateBotOptions } from './types.js';
