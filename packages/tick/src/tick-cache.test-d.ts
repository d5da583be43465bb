import type {
  CacheConnection,
  CacheConnectionLike,
  Codec,
  KeyBuilderLike,
  MessageStream,
} from '@fullon/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { Tick } from './schema.js';
import { TickCache } from './tick-cache.js';
import type { TickSubscription } from './types.js';

/** A connection written from scratch: no class from @fullon/core, only the shape. */
function plainConnection(keys: KeyBuilderLike, codec: Codec): CacheConnectionLike {
  const fail = () => Promise.reject(new Error('not connected'));
  return {
    keys,
    codec,
    mode: 'standalone',
    send: fail,
    runScript: fail,
    blocking: fail,
    publish: fail,
    subscribe: (): Promise<MessageStream> => fail(),
    reportCorrupt: () => undefined,
    close: () => Promise.resolve(),
  };
}

describe('TickCache types', () => {
  it('takes any object of the connection shape, and the real connection', () => {
    expectTypeOf<CacheConnection>().toExtend<CacheConnectionLike>();
    expectTypeOf(plainConnection).returns.toExtend<ConstructorParameters<typeof TickCache>[0]>();
    expectTypeOf<TickCache['connection']>().toEqualTypeOf<CacheConnectionLike>();
  });

  it('types both call forms of getTicker and getPrice', () => {
    const ticks = {} as TickCache;
    expectTypeOf(ticks.getTicker('BTC/USDT', 'binance')).resolves.toEqualTypeOf<Tick | null>();
    expectTypeOf(
      ticks.getTicker({ symbol: 'BTC/USDT', exchange: 'binance' }, { maxAgeMs: 5 }),
    ).resolves.toEqualTypeOf<Tick | null>();
    expectTypeOf(ticks.getPrice('BTC/USDT', 'binance')).resolves.toEqualTypeOf<number | null>();
    // @ts-expect-error the exchange is not repeated after a reference
    void ticks.getTicker({ symbol: 'BTC/USDT', exchange: 'binance' }, 'binance');
    // @ts-expect-error a symbol alone names no ticker
    void ticks.getPrice('BTC/USDT');
  });

  it('types writes, patches, deletes and streams per the API rules', () => {
    const ticks = {} as TickCache;
    expectTypeOf(ticks.setTicker).parameter(0).toEqualTypeOf<Tick>();
    expectTypeOf(
      ticks.updateTicker('BTC/USDT', 'binance', { price: 1 }),
    ).resolves.toEqualTypeOf<Tick | null>();
    // @ts-expect-error symbol and exchange cannot be patched
    void ticks.updateTicker('BTC/USDT', 'binance', { symbol: 'ETH/USDT' });
    expectTypeOf(ticks.deleteTicker('BTC/USDT', 'binance')).resolves.toEqualTypeOf<boolean>();
    expectTypeOf(ticks.deleteExchangeTickers('binance')).resolves.toEqualTypeOf<number>();
    expectTypeOf(ticks.subscribe({ exchange: 'binance' })).toEqualTypeOf<TickSubscription>();
    // @ts-expect-error the option is ttlMs
    void new TickCache({} as CacheConnectionLike, { tickerTtlMs: 1 });
  });
});
