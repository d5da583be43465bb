import { optionsObject, ttlOption } from '@fullon/core/author';

/** Default lifetime of a bot status record after its last update: 24 h. */
const DEFAULT_STATUS_TTL_MS = 86_400_000;

/** Options of the `BotCache` constructor and `BotCache.open`. */
export interface BotCacheOptions {
  /**
   * How long a bot status record lives after its last `updateBot`, in ms, so a bot that stops
   * reporting disappears. Whole ms from 1 to ten years. Defaults to 86 400 000 (24 h). Leases
   * take their TTL per call.
   */
  ttlMs?: number;
}

/**
 * Checks the cache options and fills in the defaults.
 * @internal
 * @param options - What the caller passed (anything: it is checked).
 * @returns The status TTL in ms.
 * @throws {ValidationError} naming `options` or `ttlMs`.
 */
export function resolveOptions(options: unknown): { ttlMs: number } {
  const opts = optionsObject(options);
  return { ttlMs: ttlOption(opts.ttlMs, DEFAULT_STATUS_TTL_MS) };
}
