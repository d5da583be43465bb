import type { DecodeError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import { listKeys, makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

describe('TickCache listings, batches and deletes', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const cache = () => new TickCache(conn());
  const keys = () => new TickKeys(conn().keys);

  beforeEach(async () => {
    corrupt.length = 0;
    await conn().clear();
  });

  it('lists one exchange, sorted by symbol', async () => {
    const ticks = cache();
    await ticks.setTicker(makeTick({ symbol: 'SOL/USDT', exchange: 'kraken' }));
    await ticks.setTicker(makeTick({ symbol: 'BTC/USDT', exchange: 'kraken' }));
    await ticks.setTicker(makeTick({ symbol: 'BTC/USDT', exchange: 'binance' }));
    const listed = await ticks.getTickers('kraken');
    expect(listed.map((t) => [t.exchange, t.symbol])).toEqual([
      ['kraken', 'BTC/USDT'],
      ['kraken', 'SOL/USDT'],
    ]);
    expect(await ticks.getTickers('nobody')).toEqual([]);
    expect(await ticks.getAllTickers({ exchange: 'binance' })).toHaveLength(1);
  });

  it('sees every exchange through the registry, including one outside any list', async () => {
    const ticks = cache();
    await ticks.setTicker(
      makeTick({ symbol: 'PEPE/USDC', exchange: 'my-dex-42', price: 0.0000123 }),
    );
    await ticks.setTicker(makeTick({ symbol: 'BTC/USDT', exchange: 'binance' }));
    const all = await ticks.getAllTickers();
    expect(all.map((t) => [t.exchange, t.symbol])).toEqual([
      ['binance', 'BTC/USDT'],
      ['my-dex-42', 'PEPE/USDC'],
    ]);
    expect(await ticks.getAnyTicker('PEPE/USDC')).toMatchObject({
      exchange: 'my-dex-42',
      price: 0.0000123,
    });
    expect(await ticks.getAnyTicker('NONE/USDC')).toBeNull();
  });

  it('getAnyTicker takes the first exchange in preference order', async () => {
    const ticks = cache();
    await ticks.setTicker(makeTick({ symbol: 'ETH/USDT', exchange: 'aaa', price: 1 }));
    await ticks.setTicker(makeTick({ symbol: 'ETH/USDT', exchange: 'zzz', price: 2 }));
    expect(await ticks.getAnyTicker('ETH/USDT')).toMatchObject({ exchange: 'aaa' });
    expect(
      await ticks.getAnyTicker('ETH/USDT', { exchanges: ['nope', 'zzz', 'aaa'] }),
    ).toMatchObject({
      exchange: 'zzz',
      price: 2,
    });
    await expect(ticks.getAnyTicker('ETH/USDT', { exchanges: ['ok', ''] })).rejects.toMatchObject({
      field: 'exchanges[1]',
    });
  });

  it('skips and reports a corrupt value in listings', async () => {
    const ticks = cache();
    await ticks.setTicker(makeTick({ symbol: 'GOOD/USDT', exchange: 'dirty' }));
    await ticks.setTicker(makeTick({ symbol: 'BAD/USDT', exchange: 'dirty' }));
    const bad = keys().ticker('dirty', 'BAD/USDT');
    await conn().send(bad, ['HSET', bad, 'v', Buffer.from([0xc1, 0xff])]);

    expect((await ticks.getTickers('dirty')).map((t) => t.symbol)).toEqual(['GOOD/USDT']);
    expect(corrupt).toHaveLength(1);
    expect(corrupt[0]).toMatchObject({ code: 'DECODE', key: bad });

    expect((await ticks.getAllTickers()).map((t) => t.symbol)).toEqual(['GOOD/USDT']);
    expect(corrupt).toHaveLength(2);
    expect(await ticks.getAnyTicker('BAD/USDT')).toBeNull();
    expect(corrupt).toHaveLength(3);
  });

  it('drops index entries of expired tickers when listing', async () => {
    const ticks = cache();
    await ticks.setTicker(makeTick({ symbol: 'LIVE/USDT', exchange: 'prune' }));
    await ticks.setTicker(makeTick({ symbol: 'GONE/USDT', exchange: 'prune' }));
    // What expiry does to a ticker key, without waiting for it.
    const gone = keys().ticker('prune', 'GONE/USDT');
    await conn().send(gone, ['DEL', gone]);
    const index = keys().index('prune');
    expect(await conn().send(index, ['ZCARD', index])).toBe(2);
    expect((await ticks.getTickers('prune')).map((t) => t.symbol)).toEqual(['LIVE/USDT']);
    expect(await conn().send(index, ['ZRANGE', index, '0', '-1'])).toEqual(['LIVE/USDT']);
  });

  it('a new symbol prunes index members whose deadline passed', async () => {
    const ticks = cache();
    const index = keys().index('deadline');
    await ticks.setTicker(makeTick({ symbol: 'A/USDT', exchange: 'deadline' }));
    // A member left behind by a ticker that expired long ago (deadline in the past).
    await conn().send(index, ['ZADD', index, String(Date.now() - 3_600_000), 'STALE/USDT']);
    await ticks.setTicker(makeTick({ symbol: 'B/USDT', exchange: 'deadline' }));
    expect(await conn().send(index, ['ZRANGE', index, '0', '-1'])).toEqual(['A/USDT', 'B/USDT']);
  });

  it('lists more tickers than one script call carries', async () => {
    const ticks = cache();
    const many = Array.from({ length: 1_234 }, (_, i) =>
      makeTick({ symbol: `S${String(i).padStart(4, '0')}/USDT`, exchange: 'big', price: i }),
    );
    expect((await ticks.setTickers(many)).every(Boolean)).toBe(true);
    const listed = await ticks.getTickers('big');
    expect(listed).toHaveLength(1_234);
    expect(listed[1_233]).toMatchObject({ symbol: 'S1233/USDT', price: 1_233 });
    expect(await ticks.deleteExchangeTickers('big')).toBe(1_234);
    expect(await listKeys(conn())).toEqual([]);
  });

  it('writes a batch across several exchanges, newer-only per ticker', async () => {
    const ticks = cache();
    const now = Date.now();
    await ticks.setTicker(
      makeTick({ symbol: 'BTC/USDT', exchange: 'kraken', price: 5, time: now }),
    );
    const written = await ticks.setTickers([
      makeTick({ symbol: 'BTC/USDT', exchange: 'binance', price: 1, time: now }),
      makeTick({ symbol: 'BTC/USDT', exchange: 'kraken', price: 2, time: now - 10 }),
      makeTick({ symbol: 'ETH/USDT', exchange: 'kraken', price: 3, time: now }),
      makeTick({ symbol: 'BTC/USDT', exchange: 'my-dex-42', price: 4, time: now }),
      makeTick({ symbol: 'ETH/USDT', exchange: 'kraken', price: 6, time: now + 1 }),
    ]);
    expect(written).toEqual([true, false, true, true, true]);
    expect(await ticks.getPrice('BTC/USDT', 'kraken')).toBe(5);
    expect(await ticks.getPrice('ETH/USDT', 'kraken')).toBe(6);
    expect(
      (await ticks.getAllTickers()).map((t) => `${t.exchange}:${t.symbol}:${t.price}`),
    ).toEqual([
      'binance:BTC/USDT:1',
      'kraken:BTC/USDT:5',
      'kraken:ETH/USDT:6',
      'my-dex-42:BTC/USDT:4',
    ]);
    expect(
      await ticks.setTickers(
        [makeTick({ symbol: 'BTC/USDT', exchange: 'kraken', price: 2, time: now - 10 })],
        {
          force: true,
        },
      ),
    ).toEqual([true]);
    expect(await ticks.getPrice('BTC/USDT', 'kraken')).toBe(2);
    expect(await ticks.setTickers([])).toEqual([]);
  });

  it('rejects a whole batch when one tick is invalid, writing nothing', async () => {
    const ticks = cache();
    const error = await ticks
      .setTickers([
        makeTick({ symbol: 'OK/USDT', exchange: 'batch' }),
        makeTick({ symbol: 'OK2/USDT', exchange: 'other' }),
        makeTick({ symbol: 'BAD/USDT', exchange: 'batch', bid: 2, ask: 1 }),
      ])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'ticks[2].bid' });
    expect(String(error)).toMatch(/ticks\[2\]\.bid/);
    await expect(ticks.setTickers('nope' as never)).rejects.toMatchObject({ field: 'ticks' });
    await expect(ticks.setTickers([null as never])).rejects.toMatchObject({ field: 'ticks[0]' });
    expect(await listKeys(conn())).toEqual([]);
  });

  it('deletes one ticker and counts it', async () => {
    const ticks = cache();
    await ticks.setTicker(makeTick({ symbol: 'DEL/USDT', exchange: 'del' }));
    await ticks.setTicker(makeTick({ symbol: 'KEEP/USDT', exchange: 'del' }));
    expect(await ticks.deleteTicker('DEL/USDT', 'del')).toBe(true);
    expect(await ticks.deleteTicker('DEL/USDT', 'del')).toBe(false);
    expect(await ticks.getTicker('DEL/USDT', 'del')).toBeNull();
    expect((await ticks.getTickers('del')).map((t) => t.symbol)).toEqual(['KEEP/USDT']);
    const index = keys().index('del');
    expect(await conn().send(index, ['ZRANGE', index, '0', '-1'])).toEqual(['KEEP/USDT']);
  });

  it('deletes an exchange, counts its tickers and unregisters it', async () => {
    const ticks = cache();
    await ticks.setTickers([
      makeTick({ symbol: 'A/USDT', exchange: 'gone-ex' }),
      makeTick({ symbol: 'B/USDT', exchange: 'gone-ex' }),
      makeTick({ symbol: 'C/USDT', exchange: 'gone-ex' }),
      makeTick({ symbol: 'A/USDT', exchange: 'stays' }),
    ]);
    expect(await ticks.deleteExchangeTickers('gone-ex')).toBe(3);
    expect(await ticks.deleteExchangeTickers('gone-ex')).toBe(0);
    expect(await ticks.getTickers('gone-ex')).toEqual([]);
    const registry = keys().registry;
    expect(await conn().send(registry, ['ZRANGE', registry, '0', '-1'])).toEqual(['stays']);
    expect((await ticks.getAllTickers()).map((t) => t.exchange)).toEqual(['stays']);
    expect(await listKeys(conn())).toEqual(
      [keys().registry, keys().index('stays'), keys().ticker('stays', 'A/USDT')].sort(),
    );
    // A new tick registers the exchange again.
    await ticks.setTicker(makeTick({ symbol: 'D/USDT', exchange: 'gone-ex' }));
    expect((await ticks.getAllTickers()).map((t) => t.exchange)).toEqual(['gone-ex', 'stays']);
  });

  it('readers skip a registered exchange whose index is empty, and a lost registration is repaired', async () => {
    const ticks = cache();
    const registry = keys().registry;
    await conn().send(registry, ['ZADD', registry, String(Date.now() + 60_000), 'ghost']);
    expect(await ticks.getAllTickers()).toEqual([]);
    // A crash between the script and the ZADD: the index has the symbol, the registry does not.
    await ticks.setTicker(makeTick({ symbol: 'A/USDT', exchange: 'crashy' }));
    await conn().send(registry, ['ZREM', registry, 'crashy']);
    expect(await ticks.getAllTickers()).toEqual([]);
    // Repaired by the next new symbol…
    await ticks.setTicker(makeTick({ symbol: 'B/USDT', exchange: 'crashy' }));
    expect((await ticks.getAllTickers()).map((t) => t.symbol)).toEqual(['A/USDT', 'B/USDT']);
    // …or by the first write of another process (a cache instance that has not registered it).
    await conn().send(registry, ['ZREM', registry, 'crashy']);
    expect(await cache().setTicker(makeTick({ symbol: 'A/USDT', exchange: 'crashy' }))).toBe(true);
    expect((await ticks.getAllTickers()).map((t) => t.symbol)).toEqual(['A/USDT', 'B/USDT']);
    await conn().send(registry, ['ZREM', registry, 'crashy']);
    await cache().setTickers([makeTick({ symbol: 'B/USDT', exchange: 'crashy' })]);
    expect((await ticks.getAllTickers()).map((t) => t.symbol)).toEqual(['A/USDT', 'B/USDT']);
    await conn().send(registry, ['ZREM', registry, 'crashy']);
    await cache().updateTicker('B/USDT', 'crashy', { price: 9 });
    expect((await ticks.getAllTickers()).map((t) => t.price)).toContain(9);
  });

  it('bounds the registry: a registration past its deadline is dropped, and the key has a TTL', async () => {
    const ticks = cache();
    await ticks.setTicker(makeTick({ symbol: 'A/USDT', exchange: 'live' }));
    const registry = keys().registry;
    const ttl = await conn().send<number>(registry, ['PTTL', registry]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);
    // An exchange whose writers stopped: its deadline has passed, as its tickers' TTLs have.
    await conn().send(registry, ['ZADD', registry, String(Date.now() - 1), 'stopped']);
    expect((await ticks.getAllTickers()).map((t) => t.exchange)).toEqual(['live']);
    expect(await conn().send(registry, ['ZRANGE', registry, '0', '-1'])).toEqual(['live']);
  });
});
