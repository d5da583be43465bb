/** Options of {@link TradesCache.getTrades} and {@link TradesCache.peekTrades}. */
export interface ReadTradesOptions {
  /** Read at most this many trades, oldest first (1 to 10 000 000). Defaults to all of them. */
  limit?: number;
}

/** Options of {@link TradesCache.popUserTrade}. */
export interface PopUserTradeOptions {
  /**
   * How long to wait for a trade, in ms (0 to 2 147 483 647); `0` takes one if there is one
   * and returns at once. The wait runs on a dedicated connection, so it may be longer than the
   * socket timeout. Defaults to 0 (no wait, as Python's `timeout=0` did with LPOP).
   */
  timeoutMs?: number;
}
