// Public API of @fullon/orders.

export type { OrdersCacheOptions } from './options.js';
export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DEAD_LETTERS,
  DEFAULT_TTL_MS,
  DEFAULT_VISIBILITY_MS,
} from './options.js';
export { OrdersCache } from './orders-cache.js';
export { Order, OrderPatch, OrderSide, TERMINAL_STATUSES } from './schema.js';
export type {
  ClaimOptions,
  DeadLetter,
  GetOrdersOptions,
  OrderClaim,
  PopOptions,
  PushResult,
  RecoverResult,
  ReleaseOutcome,
} from './types.js';
