import type { Id } from '@fullon/core/author';

// The portfolio summary's public types: plain TypeScript, no schema (nothing here is stored).

/**
 * Anything that knows prices: a `TickCache` of `@fullon/tick`, or your own object. Structural,
 * so `@fullon/account` needs no dependency on the price source's package.
 */
export interface PriceSource {
  /**
   * @param symbol - The position's symbol, e.g. `BTC/USDT`.
   * @param exchange - The exchange name given to `getPortfolioSummary`, e.g. `kraken`.
   * @returns The current price, or `null` when unknown.
   */
  getPrice(symbol: string, exchange: string): Promise<number | null>;
}

/** Options of `getPortfolioSummary`: no prices, or a price source and the exchange to ask it for. */
export type PortfolioOptions =
  | {
      /** Where current prices come from, e.g. a `TickCache`. */
      prices: PriceSource;
      /** The exchange name the price source knows this account's markets by, e.g. `kraken`. */
      exchange: string;
    }
  | { prices?: undefined; exchange?: string };

/** What `getPortfolioSummary` answers. */
export interface PortfolioSummary {
  /** The account, as given to the call. */
  exId: Id;
  /** Currency → total balance. */
  totals: Record<string, number>;
  /** How many positions the account holds. */
  positionCount: number;
  /** Σ |volume| × current price over priced positions; `null` without a price source. */
  exposure: number | null;
  /** Σ volume × (current price − entry price) over priced positions; `null` without a price source. */
  unrealizedPnl: number | null;
  /** Symbols of positions the price source had no price for (left out of both sums), sorted. */
  unpriced: string[];
}
