// Test support, excluded from the build (tsconfig.build.json, package.json "files").
import type { Trade } from './schema.js';

/** A time well inside epoch milliseconds, fixed so hand computations stay exact. */
export const T0 = 1_717_171_717_000;

/** A valid trade; override any field. */
export function makeTrade(overrides: Partial<Trade> = {}): Trade {
  return {
    tradeId: 1,
    symbol: 'BTC/USDT',
    side: 'buy',
    volume: 0.5,
    price: 64_000,
    cost: 32_000,
    fee: 3.2,
    time: T0,
    ...overrides,
  };
}

export { listKeys } from '@fullon/core/testing';
