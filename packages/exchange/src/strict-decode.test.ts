import { type DecodeError, msgpackCodec } from '@fullon/core';
import { rejection, useTestConnection } from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExchangeCache } from './exchange-cache.js';
import { ExchangeKeys } from './keys.js';
import { CatExchangeLayout, ExchangeLayout, SymbolLayout } from './layouts.js';
import { SymbolCache } from './symbol-cache.js';
import { rawTuple } from './test-helpers.js';

describe('strict decode of stored records', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  beforeEach(async () => {
    corrupt.length = 0;
    await conn().clear();
  });

  const btc = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT' };
  const eth = { symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT' };

  it('a symbol stored under another symbol’s field: getSymbol throws, getSymbols skips and reports', async () => {
    const cache = new SymbolCache(conn());
    await cache.setSymbols('strict', [btc, eth]);
    const key = new ExchangeKeys(conn().keys).symbols('strict');
    await conn().send(key, ['HSET', key, 'ETH/USDT', rawTuple(SymbolLayout, btc)]);
    const error = await rejection(cache.getSymbol('ETH/USDT', 'strict'));
    expect(error).toMatchObject({ name: 'DecodeError', key, field: 'ETH/USDT' });
    expect(String((error as Error).message)).toContain('BTC/USDT');
    expect((await cache.getSymbols('strict')).map((s) => s.symbol)).toEqual(['BTC/USDT']);
    expect(corrupt.map((e) => [e.key, e.field])).toEqual([[key, 'ETH/USDT']]);
  });

  it('a stored symbol that breaks the precision rule is corrupt', async () => {
    const cache = new SymbolCache(conn());
    await cache.setSymbols('strict', [btc]);
    const key = new ExchangeKeys(conn().keys).symbols('strict');
    const bad = { ...btc, precisionMode: 'tickSize', pricePrecision: 0 };
    await conn().send(key, ['HSET', key, 'BTC/USDT', rawTuple(SymbolLayout, bad)]);
    const error = await rejection(cache.getSymbol('BTC/USDT', 'strict'));
    expect(error).toMatchObject({ name: 'DecodeError', key, field: 'BTC/USDT' });
    expect(String((error as Error).message)).toContain('pricePrecision');
    expect(await cache.getSymbols('strict')).toEqual([]);
    expect(corrupt).toHaveLength(1);
  });

  it('an exchange record under another exId’s key: getExchange throws, getExchanges skips and reports', async () => {
    const cache = new ExchangeCache(conn());
    await cache.setExchange({ exId: 1, userId: 7, name: 'kraken' });
    await cache.setExchange({ exId: 2, userId: 7, name: 'binance' });
    const key = new ExchangeKeys(conn().keys).exchange(2);
    const foreign = { exId: 1, userId: 7, name: 'kraken', active: true, test: false };
    await conn().send(key, ['SET', key, rawTuple(ExchangeLayout, foreign)]);
    const error = await rejection(cache.getExchange(2));
    expect(error).toMatchObject({ name: 'DecodeError', key });
    expect(String((error as Error).message)).toContain('exId');
    expect((await cache.getExchanges(7)).map((e) => e.exId)).toEqual([1]);
    expect(corrupt.map((e) => e.key)).toEqual([key]);
  });

  it('reads ids as the key names them: 7 and "7" are one exchange', async () => {
    const cache = new ExchangeCache(conn());
    await cache.setExchange({ exId: 7, userId: '3', name: 'numeric id' });
    await cache.setExchange({ exId: '8', userId: 3, name: 'string id' });
    expect((await cache.getExchange('7'))?.exId).toBe(7);
    expect((await cache.getExchange(8))?.exId).toBe('8');
    expect((await cache.getExchanges(3)).map((e) => e.exId)).toEqual([7, '8']);
    expect(corrupt).toEqual([]);
  });

  it('a catalog entry under another catExId’s field is skipped and reported', async () => {
    const cache = new ExchangeCache(conn());
    await cache.setCatExchanges([
      { catExId: 1, name: 'binance' },
      { catExId: 2, name: 'kraken' },
    ]);
    const key = new ExchangeKeys(conn().keys).catExchanges;
    await conn().send(key, [
      'HSET',
      key,
      '2',
      rawTuple(CatExchangeLayout, { catExId: 1, name: 'x' }),
    ]);
    expect(await cache.getCatExchanges()).toEqual([{ catExId: 1, name: 'binance' }]);
    expect(corrupt.map((e) => [e.key, e.field])).toEqual([[key, '2']]);
  });

  it('a layout v1 exchange tuple (with uid) is corrupt after the v2 rename to userId', async () => {
    const cache = new ExchangeCache(conn());
    const key = new ExchangeKeys(conn().keys).exchange(5);
    await conn().send(key, [
      'SET',
      key,
      msgpackCodec.encode([1, 5, 9, 'old', null, null, true, false]),
    ]);
    expect(await rejection(cache.getExchange(5))).toMatchObject({ name: 'DecodeError', key });
  });

  it('setExchange writes nothing when the owner list key holds another type', async () => {
    const cache = new ExchangeCache(conn());
    const index = new ExchangeKeys(conn().keys).userExchanges(9);
    await conn().send(index, ['SET', index, 'not a set']);
    const error = await rejection(cache.setExchange({ exId: 90, userId: 9, name: 'x' }));
    expect(error).toMatchObject({ name: 'DecodeError', key: index });
    const record = new ExchangeKeys(conn().keys).exchange(90);
    expect(await conn().send<number>(record, ['EXISTS', record])).toBe(0);
  });
});
