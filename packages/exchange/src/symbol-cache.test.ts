import { DecodeError, ValidationError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { ExchangeKeys } from './keys.js';
import { SymbolLayout } from './layouts.js';
import type { SymbolInfo } from './schema.js';
import { SymbolCache } from './symbol-cache.js';
import { rawTuple } from './test-helpers.js';

const DAY = 86_400_000;
const btc: SymbolInfo = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  symbolId: 1,
  catExId: 2,
  futures: false,
  decimals: 2,
  updateFrame: '1h',
  backtest: 365,
  onlyTicker: false,
};
const eth: SymbolInfo = { symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT' };
const sol: SymbolInfo = { symbol: 'SOL/USDT', base: 'SOL', quote: 'USDT', symbolId: 'sol-1' };

describe('SymbolCache without a loader', () => {
  const conn = useTestConnection();

  it('round-trips a symbol set, sorted, with the exchange filled in', async () => {
    const cache = new SymbolCache(conn());
    expect(await cache.setSymbols('kraken', [sol, btc, eth])).toBe(3);
    expect(await cache.getSymbols('kraken')).toEqual([
      { ...btc, exchange: 'kraken' },
      { ...eth, exchange: 'kraken' },
      { ...sol, exchange: 'kraken' },
    ]);
    expect(await cache.getSymbol('BTC/USDT', 'kraken')).toEqual({ ...btc, exchange: 'kraken' });
    expect(await cache.getSymbol('SOL/USDT', 'kraken')).toEqual({ ...sol, exchange: 'kraken' });
    expect(await cache.symbolExists('ETH/USDT', 'kraken')).toBe(true);
    expect(await cache.symbolExists('XRP/USDT', 'kraken')).toBe(false);
    expect(await cache.getSymbol('XRP/USDT', 'kraken')).toBeNull();
  });

  it('round-trips precision in both ccxt modes, as given', async () => {
    const cache = new SymbolCache(conn());
    const tick = { ...btc, precisionMode: 'tickSize', pricePrecision: 0.1, amountPrecision: 1e-8 };
    const places = { ...eth, precisionMode: 'decimals', pricePrecision: 2, amountPrecision: 0 };
    await cache.setSymbols('precision', [tick as SymbolInfo, places as SymbolInfo]);
    expect(await cache.getSymbols('precision')).toEqual([
      { ...tick, exchange: 'precision' },
      { ...places, exchange: 'precision' },
    ]);
    expect(await cache.upsertSymbol('precision', { ...eth, precisionMode: 'tickSize' })).toBe(true);
    expect((await cache.getSymbol('ETH/USDT', 'precision'))?.precisionMode).toBe('tickSize');
  });

  it('accepts a symbol whose exchange matches the argument', async () => {
    const cache = new SymbolCache(conn());
    await cache.setSymbols('match', [{ ...eth, exchange: 'match' }]);
    expect(await cache.getSymbol('ETH/USDT', 'match')).toEqual({ ...eth, exchange: 'match' });
  });

  it('returns [] / null / false on a miss', async () => {
    const cache = new SymbolCache(conn());
    expect(await cache.getSymbols('nowhere')).toEqual([]);
    expect(await cache.getSymbol('BTC/USDT', 'nowhere')).toBeNull();
    expect(await cache.symbolExists('BTC/USDT', 'nowhere')).toBe(false);
  });

  it('replaces the whole set: symbols left out are gone', async () => {
    const cache = new SymbolCache(conn());
    await cache.setSymbols('replace', [btc, eth]);
    await cache.setSymbols('replace', [sol]);
    expect((await cache.getSymbols('replace')).map((s) => s.symbol)).toEqual(['SOL/USDT']);
    expect(await cache.getSymbol('BTC/USDT', 'replace')).toBeNull();
  });

  it('keeps exchanges apart', async () => {
    const cache = new SymbolCache(conn());
    await cache.setSymbols('apart-a', [btc]);
    await cache.setSymbols('apart-b', [eth]);
    expect((await cache.getSymbols('apart-a')).map((s) => s.symbol)).toEqual(['BTC/USDT']);
    expect((await cache.getSymbols('apart-b')).map((s) => s.symbol)).toEqual(['ETH/USDT']);
  });

  it('applies the default 24 h TTL, and a configured one', async () => {
    const key = new ExchangeKeys(conn().keys).symbols('ttl-default');
    await new SymbolCache(conn()).setSymbols('ttl-default', [btc]);
    const pttl = await conn().send<number>(key, ['PTTL', key]);
    expect(pttl).toBeGreaterThan(DAY - 60_000);
    expect(pttl).toBeLessThanOrEqual(DAY);

    const short = new ExchangeKeys(conn().keys).symbols('ttl-short');
    await new SymbolCache(conn(), { ttlMs: 300_000 }).setSymbols('ttl-short', []);
    const shortTtl = await conn().send<number>(short, ['PTTL', short]);
    expect(shortTtl).toBeGreaterThan(240_000);
    expect(shortTtl).toBeLessThanOrEqual(300_000);
  });

  it('upserts a symbol, creating the set and renewing the TTL', async () => {
    const cache = new SymbolCache(conn(), { ttlMs: 600_000 });
    expect(await cache.upsertSymbol('upsert', btc)).toBe(true);
    expect(await cache.upsertSymbol('upsert', { ...btc, decimals: 4 })).toBe(true);
    expect(await cache.upsertSymbol('upsert', eth)).toBe(true);
    const symbols = await cache.getSymbols('upsert');
    expect(symbols.map((s) => [s.symbol, s.decimals])).toEqual([
      ['BTC/USDT', 4],
      ['ETH/USDT', undefined],
    ]);
    const key = new ExchangeKeys(conn().keys).symbols('upsert');
    expect(await conn().send<number>(key, ['PTTL', key])).toBeGreaterThan(500_000);
  });

  it('deletes one symbol and keeps the rest', async () => {
    const cache = new SymbolCache(conn());
    await cache.setSymbols('delete', [btc, eth]);
    expect(await cache.deleteSymbol('BTC/USDT', 'delete')).toBe(true);
    expect(await cache.deleteSymbol('BTC/USDT', 'delete')).toBe(false);
    expect(await cache.getSymbol('BTC/USDT', 'delete')).toBeNull();
    expect((await cache.getSymbols('delete')).map((s) => s.symbol)).toEqual(['ETH/USDT']);
  });

  it('stores an empty set as empty, and invalidate drops it', async () => {
    const cache = new SymbolCache(conn());
    expect(await cache.setSymbols('empty', [])).toBe(0);
    const key = new ExchangeKeys(conn().keys).symbols('empty');
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(1);
    expect(await cache.getSymbols('empty')).toEqual([]);
    expect(await cache.invalidate('empty')).toBe(true);
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
    expect(await cache.invalidate('empty')).toBe(false);
  });

  it('handles hostile exchange and symbol names without collisions', async () => {
    const cache = new SymbolCache(conn());
    const hostile = ['a}{b', 'a:b', '*', 'x y z', '%41', 'A', 'ü€'];
    for (const [i, name] of hostile.entries()) {
      await cache.setSymbols(name, [{ symbol: `${name}/${i}`, base: name, quote: '}{:*' }]);
    }
    for (const [i, name] of hostile.entries()) {
      expect(await cache.getSymbols(name)).toEqual([
        { symbol: `${name}/${i}`, base: name, quote: '}{:*', exchange: name },
      ]);
      expect(await cache.symbolExists(`${name}/${i}`, name)).toBe(true);
    }
    expect(await cache.getSymbols('ab')).toEqual([]);
  });
});

describe('SymbolCache corrupt values', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });

  it('throws DecodeError on a single read and skips + reports on a listing', async () => {
    const cache = new SymbolCache(conn());
    await cache.setSymbols('corrupt', [btc, eth]);
    const key = new ExchangeKeys(conn().keys).symbols('corrupt');
    await conn().send(key, ['HSET', key, 'ETH/USDT', Buffer.from([0xc1, 0xff, 0x00])]);
    await expect(cache.getSymbol('ETH/USDT', 'corrupt')).rejects.toSatisfy(
      (e: unknown) => DecodeError.is(e) && e.key === key && e.field === 'ETH/USDT',
    );
    corrupt.length = 0;
    expect((await cache.getSymbols('corrupt')).map((s) => s.symbol)).toEqual(['BTC/USDT']);
    expect(corrupt.map((e) => [e.key, e.field])).toEqual([[key, 'ETH/USDT']]);
  });

  it('rejects a well-formed tuple that breaks a schema rule', async () => {
    const cache = new SymbolCache(conn());
    await cache.setSymbols('rule', [btc]);
    const key = new ExchangeKeys(conn().keys).symbols('rule');
    // A tuple of the current layout with decimals = -1.
    const bad = rawTuple(SymbolLayout, { ...btc, decimals: -1 });
    await conn().send(key, ['HSET', key, 'BTC/USDT', bad]);
    await expect(cache.getSymbol('BTC/USDT', 'rule')).rejects.toSatisfy(
      (e: unknown) => DecodeError.is(e) && e.message.includes('decimals'),
    );
  });
});

describe('SymbolCache validation', () => {
  const conn = useTestConnection();

  const rules: [string, unknown, string][] = [
    ['missing symbol', { base: 'A', quote: 'B' }, 'symbols[0].symbol'],
    ['empty symbol', { ...eth, symbol: '' }, 'symbols[0].symbol'],
    ['overlong symbol', { ...eth, symbol: 'x'.repeat(257) }, 'symbols[0].symbol'],
    ['numeric symbol', { ...eth, symbol: 5 }, 'symbols[0].symbol'],
    ['missing base', { symbol: 'A/B', quote: 'B' }, 'symbols[0].base'],
    ['empty quote', { ...eth, quote: '' }, 'symbols[0].quote'],
    ['negative symbolId', { ...eth, symbolId: -1 }, 'symbols[0].symbolId'],
    ['fractional symbolId', { ...eth, symbolId: 1.5 }, 'symbols[0].symbolId'],
    ['empty symbolId', { ...eth, symbolId: '' }, 'symbols[0].symbolId'],
    ['boolean catExId', { ...eth, catExId: true }, 'symbols[0].catExId'],
    ['string futures', { ...eth, futures: 'yes' }, 'symbols[0].futures'],
    ['negative decimals', { ...eth, decimals: -1 }, 'symbols[0].decimals'],
    ['too many decimals', { ...eth, decimals: 31 }, 'symbols[0].decimals'],
    ['fractional decimals', { ...eth, decimals: 2.5 }, 'symbols[0].decimals'],
    ['bad updateFrame', { ...eth, updateFrame: '1x' }, 'symbols[0].updateFrame'],
    ['unitless updateFrame', { ...eth, updateFrame: '60' }, 'symbols[0].updateFrame'],
    ['negative backtest', { ...eth, backtest: -3 }, 'symbols[0].backtest'],
    ['numeric onlyTicker', { ...eth, onlyTicker: 1 }, 'symbols[0].onlyTicker'],
    ['other exchange', { ...eth, exchange: 'binance' }, 'symbols[0].exchange'],
    ['unknown precisionMode', { ...eth, precisionMode: 'digits' }, 'symbols[0].precisionMode'],
    ['precision without a mode', { ...eth, pricePrecision: 0.1 }, 'symbols[0].pricePrecision'],
    [
      'fractional decimal places',
      { ...eth, precisionMode: 'decimals', amountPrecision: 0.5 },
      'symbols[0].amountPrecision',
    ],
    [
      'over 30 decimal places',
      { ...eth, precisionMode: 'decimals', pricePrecision: 31 },
      'symbols[0].pricePrecision',
    ],
    [
      'zero tick size',
      { ...eth, precisionMode: 'tickSize', pricePrecision: 0 },
      'symbols[0].pricePrecision',
    ],
    [
      'negative tick size',
      { ...eth, precisionMode: 'tickSize', amountPrecision: -0.1 },
      'symbols[0].amountPrecision',
    ],
    [
      'infinite tick size',
      { ...eth, precisionMode: 'tickSize', pricePrecision: Number.POSITIVE_INFINITY },
      'symbols[0].pricePrecision',
    ],
    ['not an object', 'ETH/USDT', 'symbols[0]'],
  ];

  it.each(rules)('%s -> ValidationError naming %s, nothing written', async (_, bad, field) => {
    const cache = new SymbolCache(conn());
    await cache.setSymbols('valid', [btc]);
    const key = new ExchangeKeys(conn().keys).symbols('valid');
    const before = await conn().send<Buffer[]>(key, ['HGETALL', key], { buffers: true });
    const attempt = cache.setSymbols('valid', [bad as SymbolInfo]);
    await expect(attempt).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && e.field === field && e.message.includes(field),
    );
    await expect(cache.upsertSymbol('valid', bad as SymbolInfo)).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && e.field === field.replace('symbols[0]', 'symbol'),
    );
    expect(await conn().send<Buffer[]>(key, ['HGETALL', key], { buffers: true })).toEqual(before);
  });

  it('rejects a duplicate symbol and a non-array set, writing nothing', async () => {
    const cache = new SymbolCache(conn());
    const key = new ExchangeKeys(conn().keys).symbols('dup');
    await expect(cache.setSymbols('dup', [btc, eth, btc])).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && e.field === 'symbols[2].symbol',
    );
    await expect(cache.setSymbols('dup', btc as unknown as SymbolInfo[])).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && e.field === 'symbols',
    );
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
  });

  it.each([
    ['', 'exchange'],
    ['x'.repeat(257), 'exchange'],
  ])('rejects exchange %j on every method', async (exchange, field) => {
    const cache = new SymbolCache(conn());
    const named = (e: unknown) => ValidationError.is(e) && e.field === field;
    await expect(cache.getSymbols(exchange)).rejects.toSatisfy(named);
    await expect(cache.getSymbol('BTC/USDT', exchange)).rejects.toSatisfy(named);
    await expect(cache.symbolExists('BTC/USDT', exchange)).rejects.toSatisfy(named);
    await expect(cache.setSymbols(exchange, [btc])).rejects.toSatisfy(named);
    await expect(cache.upsertSymbol(exchange, btc)).rejects.toSatisfy(named);
    await expect(cache.deleteSymbol('BTC/USDT', exchange)).rejects.toSatisfy(named);
    await expect(cache.invalidate(exchange)).rejects.toSatisfy(named);
  });

  it('rejects an empty symbol argument', async () => {
    const cache = new SymbolCache(conn());
    const named = (e: unknown) => ValidationError.is(e) && e.field === 'symbol';
    await expect(cache.getSymbol('', 'kraken')).rejects.toSatisfy(named);
    await expect(cache.symbolExists('', 'kraken')).rejects.toSatisfy(named);
    await expect(cache.deleteSymbol('', 'kraken')).rejects.toSatisfy(named);
  });

  it.each([0, -5, 1.5, Number.NaN])('rejects ttlMs %s', (ttlMs) => {
    expect(() => new SymbolCache(conn(), { ttlMs })).toThrow(
      expect.objectContaining({ name: 'ValidationError', field: 'ttlMs' }),
    );
  });
});
