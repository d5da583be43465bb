import type { Timeframe } from './schema.js';

/** Options of `OHLCVCache.getOhlcvBars`. */
export interface GetOhlcvBarsOptions {
  /** First open time included (epoch ms). Defaults to the oldest bar. */
  from?: number;
  /** Last open time included (epoch ms). Defaults to the newest bar. */
  to?: number;
  /**
   * Most bars returned: the oldest `limit` from `from` when `from` is given, otherwise the
   * newest `limit` up to `to`. Defaults to no limit.
   */
  limit?: number;
}

/** Options of `OHLCVCache.subscribe`. */
export interface OhlcvSubscribeOptions {
  /** Symbol of the market. */
  symbol: string;
  /** Exchange of the market. */
  exchange: string;
  /** Timeframe of the series. */
  timeframe: Timeframe;
  /** Ends the subscription when aborted. */
  signal?: AbortSignal;
  /**
   * Upserts buffered for a slow consumer before the oldest are dropped: a whole number from 1
   * to 10 000 000. Defaults to 10 000.
   */
  bufferSize?: number;
}
