/** Options of `BotCache.blockExchange` and `BotCache.markOpeningPosition`. */
export interface LeaseOptions {
  /** Lease TTL in ms (server clock). Whole ms from 1 to ten years. Defaults to 60 000. */
  ttlMs?: number;
  /**
   * Take the lease even from another holder (Python's overwrite behaviour); the previous
   * holder's token is then stale. Defaults to `false`.
   */
  force?: boolean;
}

/** Options of `BotCache.renewBlock`. */
export interface RenewOptions {
  /** New TTL from now, in ms. Defaults to 60 000. */
  ttlMs?: number;
  /** Renew only if the lease still carries this token (it was not taken again meanwhile). */
  token?: number;
}

/** Options of `BotCache.unblockExchange` and `BotCache.unmarkOpeningPosition`. */
export interface ReleaseOptions {
  /** Release whoever holds the lease; needed when no botId is given. Defaults to `false`. */
  force?: boolean;
  /** Release only if the lease still carries this token. */
  token?: number;
}

/** Options of `BotCache.updateBot`. */
export interface UpdateBotOptions {
  /** Replace the whole record instead of merging into it (Python's behaviour). Defaults to `false`. */
  replace?: boolean;
}
