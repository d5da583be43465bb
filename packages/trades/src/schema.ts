import { EpochMs, FiniteNumber, Id, Name, NonNegative } from '@fullon/core/author';
import * as v from 'valibot';

/** Side of a trade. */
export const TradeSide = v.picklist(['buy', 'sell'], 'must be "buy" or "sell"');
/** Side of a trade: `'buy'` or `'sell'`. */
export type TradeSide = v.InferOutput<typeof TradeSide>;

/** A finite number > 0. */
const Positive = v.pipe(FiniteNumber, v.gtValue(0, 'must be > 0'));

/**
 * A trade: one fill on an exchange, as a trade collector or a user-trade service reports it.
 *
 * Required: `tradeId` (a string or a whole number ≥ 0), `symbol` (1–256 characters), `side`,
 * `volume`, `price` and `cost` (finite, ≥ 0), `fee` (finite; negative for a rebate) and `time`
 * (epoch **milliseconds**: a value below 1e11 looks like seconds and is rejected with a message
 * saying so). Optional: the exchange's own ids `exTradeId` and `exOrderId`, the owner `userId`
 * and the exchange account `exId` (ids as `tradeId`), `orderType`, `leverage` (> 0), and the
 * position figures fullon computes for user trades (`curVolume`, `curAvgPrice`, `curAvgCost`,
 * `curFee`, `roi`, `roiPct`, `totalFee`, finite). Unknown properties are dropped; an absent
 * optional field is left out, never `null`.
 *
 * @example
 * ```ts
 * const trade = v.parse(Trade, { tradeId: 1, symbol: 'BTC/USDT', side: 'buy', volume: 0.5,
 *   price: 64_000, cost: 32_000, fee: 3.2, time: Date.now() });
 * ```
 */
export const Trade = v.object({
  tradeId: Id,
  symbol: Name,
  side: TradeSide,
  volume: NonNegative,
  price: NonNegative,
  cost: NonNegative,
  fee: FiniteNumber,
  time: EpochMs,
  exTradeId: v.optional(Name),
  exOrderId: v.optional(Name),
  userId: v.optional(Id),
  exId: v.optional(Id),
  orderType: v.optional(Name),
  leverage: v.optional(Positive),
  curVolume: v.optional(FiniteNumber),
  curAvgPrice: v.optional(FiniteNumber),
  curAvgCost: v.optional(FiniteNumber),
  curFee: v.optional(FiniteNumber),
  roi: v.optional(FiniteNumber),
  roiPct: v.optional(FiniteNumber),
  totalFee: v.optional(FiniteNumber),
});
/** A trade; see the {@link Trade} schema for the rules. */
export type Trade = v.InferOutput<typeof Trade>;

/**
 * What {@link TradesCache.getTradeAnalytics} computes over the pending trades of one market.
 * Sums are plain floating-point sums in list order.
 */
export interface TradeAnalytics {
  /** How many pending trades were read (corrupt entries are skipped and not counted). */
  count: number;
  /** Sum of `volume` over buys. */
  buyVolume: number;
  /** Sum of `volume` over sells. */
  sellVolume: number;
  /** Volume-weighted average price, Σ(price × volume) / Σ volume; `null` when Σ volume is 0. */
  vwap: number | null;
  /** Sum of `cost`. */
  totalCost: number;
  /** Sum of `fee`. */
  totalFee: number;
  /** Earliest `time` (epoch ms), `null` when there is no trade. */
  firstTime: number | null;
  /** Latest `time` (epoch ms), `null` when there is no trade. */
  lastTime: number | null;
}
