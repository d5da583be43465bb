import type { Trade, TradeAnalytics } from './schema.js';

/**
 * The figures of {@link TradesCache.getTradeAnalytics} over a list of trades: count, buy and
 * sell volume, VWAP, total cost and fee, first and last trade time (by `time`, not list order).
 * Sums are plain floating-point sums in list order.
 * @param trades - The trades, oldest first.
 * @returns The figures; with no trade, zeros and `null` for `vwap`, `firstTime`, `lastTime`.
 * @internal
 */
export function tradeAnalytics(trades: readonly Trade[]): TradeAnalytics {
  let buyVolume = 0;
  let sellVolume = 0;
  let notional = 0;
  let totalCost = 0;
  let totalFee = 0;
  let firstTime: number | null = null;
  let lastTime: number | null = null;
  for (const trade of trades) {
    if (trade.side === 'buy') buyVolume += trade.volume;
    else sellVolume += trade.volume;
    notional += trade.price * trade.volume;
    totalCost += trade.cost;
    totalFee += trade.fee;
    if (firstTime === null || trade.time < firstTime) firstTime = trade.time;
    if (lastTime === null || trade.time > lastTime) lastTime = trade.time;
  }
  const volume = buyVolume + sellVolume;
  return {
    count: trades.length,
    buyVolume,
    sellVolume,
    vwap: volume > 0 ? notional / volume : null,
    totalCost,
    totalFee,
    firstTime,
    lastTime,
  };
}
