import type { CacheConnectionLike } from '@fullon/core';
import type { ProcessKeys } from './keys.js';

/**
 * What the modules behind `ProcessCache` share: its connection, its keys and the record TTL.
 * @internal
 */
export interface ProcessContext {
  /** The cache's connection. */
  readonly connection: CacheConnectionLike;
  /** Every key and channel of the registry. */
  readonly keys: ProcessKeys;
  /** Record lifetime after the last heartbeat (or the stop), in ms. */
  readonly ttlMs: number;
  /** `ttlMs` as the scripts take it. */
  readonly ttl: string;
}

/**
 * Index entries (and record keys) one cleanup or listing call carries.
 * @internal
 */
export const PAGE = 500;
