// Public API of @fullon/bot.

export type { BlockHold, HoldBlockOptions, LeaseLost, LeaseLostReason } from './block-hold.js';
export type {
  BotCacheOptions,
  LeaseOptions,
  ReleaseOptions,
  RenewOptions,
  UpdateBotOptions,
} from './bot-cache.js';
export { BotCache } from './bot-cache.js';
export type { BotStatus, JsonValue, LeaseInfo, LeaseResult } from './schema.js';
