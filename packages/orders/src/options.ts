import { countOption, optionsObject, ttlOption } from '@fullon/core/author';

/** Default retention of an order in a terminal state: 3 600 000 ms (1 h). */
export const DEFAULT_TTL_MS = 3_600_000;
/** Default number of claims after which an order is dead-lettered: 5. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Default number of dead letters kept per queue: 10 000. */
export const DEFAULT_MAX_DEAD_LETTERS = 10_000;
/** Default lease of a claim: 30 000 ms. */
export const DEFAULT_VISIBILITY_MS = 30_000;

/** Options of `OrdersCache`. */
export interface OrdersCacheOptions {
  /**
   * How long an order in a terminal state (canceled, cancelled, filled, closed, rejected,
   * expired — any letter case) is kept after its last write, in ms; each order expires on its
   * own. Orders in any other state never expire. Defaults to 3 600 000 (1 h).
   */
  ttlMs?: number;
  /**
   * Claims after which an order whose lease expired, or that was released, goes to the dead
   * letters instead of back to the queue. Defaults to 5.
   */
  maxAttempts?: number;
  /** Dead letters kept per queue; past it the oldest is dropped. Defaults to 10 000. */
  maxDeadLetters?: number;
  /** Lease of a claim when `claimOpenOrder` is not given one, in ms. Defaults to 30 000. */
  visibilityMs?: number;
}

/** The options in force, validated. */
export interface ResolvedOptions {
  readonly ttlMs: number;
  readonly maxAttempts: number;
  readonly maxDeadLetters: number;
  readonly visibilityMs: number;
}

/**
 * Validates the cache options and fills the defaults.
 * @param given - As given (`undefined` for none).
 * @returns Every option.
 * @throws {ValidationError} naming the option, or `options` when it is not an object.
 */
export function resolveOptions(given: unknown): ResolvedOptions {
  const options: OrdersCacheOptions = optionsObject(given);
  return {
    ttlMs: ttlOption(options.ttlMs, DEFAULT_TTL_MS, 'ttlMs'),
    maxAttempts: countOption(options.maxAttempts, DEFAULT_MAX_ATTEMPTS, 'maxAttempts'),
    maxDeadLetters: countOption(options.maxDeadLetters, DEFAULT_MAX_DEAD_LETTERS, 'maxDeadLetters'),
    visibilityMs: ttlOption(options.visibilityMs, DEFAULT_VISIBILITY_MS, 'visibilityMs'),
  };
}
