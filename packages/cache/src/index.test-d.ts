import { expectTypeOf, test } from 'vitest';
import type {
  BotJsonValue,
  Caches,
  JsonValue,
  OHLCVCache,
  OwnedCaches,
  TickCache,
} from './index.js';

test('the two JsonValue types of bot and process are the same type', () => {
  expectTypeOf<BotJsonValue>().toEqualTypeOf<JsonValue>();
});

test('the caches are the packages own classes', () => {
  expectTypeOf<Caches['ticks']>().toEqualTypeOf<TickCache>();
  expectTypeOf<Caches['ohlcv']>().toEqualTypeOf<OHLCVCache>();
  expectTypeOf<OwnedCaches>().toMatchTypeOf<AsyncDisposable>();
});
