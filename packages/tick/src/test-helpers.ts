// Test support, excluded from the build (tsconfig.build.json, package.json "files").
import type { Tick } from './schema.js';

/** A valid tick with a recent time; override any field. */
export function makeTick(overrides: Partial<Tick> = {}): Tick {
  return {
    symbol: 'BTC/USDT',
    exchange: 'binance',
    price: 64_000.5,
    time: Date.now(),
    ...overrides,
  } as Tick;
}

export { listKeys, subscriberCount } from '@fullon/core/testing';
