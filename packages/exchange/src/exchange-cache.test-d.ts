import type {
  CacheConnection,
  CacheConnectionLike,
  Codec,
  KeyBuilderLike,
  MessageStream,
} from '@fullon/core';
import type { Id } from '@fullon/core/author';
import { describe, expectTypeOf, it } from 'vitest';
import { ExchangeCache } from './exchange-cache.js';
import type { ExchangeLoaders } from './options.js';
import type {
  CachedSymbol,
  CatExchange,
  Exchange,
  ExchangeInput,
  PrecisionMode,
  SymbolInfo,
} from './schema.js';
import { SymbolCache } from './symbol-cache.js';

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

describe('ExchangeCache and SymbolCache types', () => {
  it('take any object of the connection shape, and the real connection', () => {
    expectTypeOf<CacheConnection>().toExtend<CacheConnectionLike>();
    expectTypeOf(plainConnection).returns.toExtend<
      ConstructorParameters<typeof ExchangeCache>[0]
    >();
    expectTypeOf(plainConnection).returns.toExtend<ConstructorParameters<typeof SymbolCache>[0]>();
    expectTypeOf<ExchangeCache['connection']>().toEqualTypeOf<CacheConnectionLike>();
    expectTypeOf<SymbolCache['connection']>().toEqualTypeOf<CacheConnectionLike>();
    expectTypeOf(ExchangeCache.open).returns.resolves.toEqualTypeOf<ExchangeCache>();
    expectTypeOf(SymbolCache.open).returns.resolves.toEqualTypeOf<SymbolCache>();
  });

  it('names users userId, in records, loaders and parameters', () => {
    expectTypeOf<Exchange>().toHaveProperty('userId').toEqualTypeOf<Id>();
    expectTypeOf<ExchangeInput>().not.toHaveProperty('uid');
    expectTypeOf<NonNullable<ExchangeLoaders['userExchanges']>>().parameter(0).toEqualTypeOf<Id>();
    const cache = {} as ExchangeCache;
    expectTypeOf(cache.getExchanges).parameter(0).toEqualTypeOf<Id>();
    expectTypeOf(cache.setExchanges).parameters.toEqualTypeOf<[Id, readonly ExchangeInput[]]>();
    // @ts-expect-error the record field is userId
    void cache.setExchange({ exId: 1, uid: 7, name: 'kraken' });
  });

  it('types reads, writes and deletes per the API rules', () => {
    const exchanges = {} as ExchangeCache;
    expectTypeOf(exchanges.getExchange(1)).resolves.toEqualTypeOf<Exchange | null>();
    expectTypeOf(exchanges.getExchanges('7')).resolves.toEqualTypeOf<Exchange[]>();
    expectTypeOf(exchanges.getCatExchanges()).resolves.toEqualTypeOf<CatExchange[]>();
    expectTypeOf(exchanges.setExchange).returns.resolves.toEqualTypeOf<Exchange>();
    expectTypeOf(exchanges.deleteExchange(1)).resolves.toEqualTypeOf<boolean>();
    expectTypeOf(exchanges.invalidate({ userId: 7 })).resolves.toEqualTypeOf<number>();
    expectTypeOf(exchanges.popWsError(1, { timeoutMs: 0 })).resolves.toEqualTypeOf<string | null>();
    // @ts-expect-error popWsError needs its timeout
    void exchanges.popWsError(1);

    const symbols = {} as SymbolCache;
    expectTypeOf(symbols.getSymbols('kraken')).resolves.toEqualTypeOf<CachedSymbol[]>();
    expectTypeOf(
      symbols.getSymbol('BTC/USD', 'kraken'),
    ).resolves.toEqualTypeOf<CachedSymbol | null>();
    expectTypeOf(symbols.symbolExists('BTC/USD', 'kraken')).resolves.toEqualTypeOf<boolean>();
    expectTypeOf(symbols.setSymbols).parameters.toEqualTypeOf<[string, readonly SymbolInfo[]]>();
    expectTypeOf(
      symbols.upsertSymbol('kraken', {} as SymbolInfo),
    ).resolves.toEqualTypeOf<boolean>();
    expectTypeOf(symbols.deleteSymbol('BTC/USD', 'kraken')).resolves.toEqualTypeOf<boolean>();
    expectTypeOf(symbols.invalidate('kraken')).resolves.toEqualTypeOf<boolean>();
  });

  it('takes ttlMs and states the precision mode', () => {
    const conn = {} as CacheConnectionLike;
    // @ts-expect-error the option is ttlMs
    void new SymbolCache(conn, { symbolTtlMs: 1 });
    // @ts-expect-error the option is ttlMs
    void new ExchangeCache(conn, { metadataTtlMs: 1 });
    void new ExchangeCache(conn, { timeoutMs: 1, wsErrors: { cap: 1, ttlMs: 1 } });
    void new SymbolCache(conn, { timeoutMs: 1 });
    // @ts-expect-error renamed to timeoutMs
    void new ExchangeCache(conn, { loadTimeoutMs: 1 });
    // @ts-expect-error renamed to wsErrors.cap
    void new ExchangeCache(conn, { wsErrorCap: 1 });
    // @ts-expect-error renamed to wsErrors.ttlMs
    void new ExchangeCache(conn, { wsErrorTtlMs: 1 });
    // @ts-expect-error renamed to timeoutMs
    void new SymbolCache(conn, { loadTimeoutMs: 1 });
    expectTypeOf<PrecisionMode>().toEqualTypeOf<'decimals' | 'tickSize'>();
    expectTypeOf<CachedSymbol['pricePrecision']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CachedSymbol['exchange']>().toEqualTypeOf<string>();
  });
});
