import {
  ConfigurationError,
  type DecodeError,
  FullonCacheError,
  ValidationError,
} from '@fullon/core';
import { rejection, useTestConnection } from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { TradeKeys } from './keys.js';
import { TradeLayout } from './layouts.js';
import type { Trade } from './schema.js';
import { listKeys, makeTrade, T0 } from './test-helpers.js';
import { TradesCache } from './trades-cache.js';

const ids = (trades: readonly Trade[]) => trades.map((t) => t.tradeId);

describe('TradesCache market lists', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const keys = () => new TradeKeys(conn().keys);
  beforeEach(() => {
    corrupt.length = 0;
  });

  it('round-trips every field, and leaves absent optional fields absent', async () => {
    const trades = new TradesCache(conn());
    const full: Trade = {
      tradeId: 'T-1',
      symbol: 'ETH/USDT',
      side: 'sell',
      volume: 1.25,
      price: 3_100.5,
      cost: 3_875.625,
      fee: -0.5,
      time: T0,
      exTradeId: 'ex-77',
      exOrderId: 'ord-9',
      userId: 42,
      exId: 'acct-1',
      orderType: 'limit',
      leverage: 3,
      curVolume: 2,
      curAvgPrice: 3_000,
      curAvgCost: 6_000,
      curFee: 1.5,
      roi: 120.25,
      roiPct: 2.5,
      totalFee: 2,
    };
    const minimal = makeTrade({ tradeId: 2, symbol: 'ETH/USDT' });
    expect(await trades.pushTrade('kraken', full)).toBe(1);
    expect(await trades.pushTrade('kraken', minimal)).toBe(2);
    const drained = await trades.getTrades('ETH/USDT', 'kraken');
    expect(drained).toEqual([full, minimal]);
    expect(Object.keys(drained[1] ?? {}).sort()).toEqual(Object.keys(minimal).sort());
  });

  it('drains oldest first, and a drain empties the list', async () => {
    const trades = new TradesCache(conn());
    for (let i = 0; i < 30; i++) {
      await trades.pushTrade('fifo', makeTrade({ tradeId: i, time: T0 + i }));
    }
    expect(
      await trades.pushTrades(
        'fifo',
        Array.from({ length: 30 }, (_, i) => makeTrade({ tradeId: 30 + i })),
      ),
    ).toBe(30);
    expect(ids(await trades.getTrades('BTC/USDT', 'fifo'))).toEqual(
      Array.from({ length: 60 }, (_, i) => i),
    );
    expect(await trades.getTrades('BTC/USDT', 'fifo')).toEqual([]);
    const key = keys().trades('fifo', 'BTCUSDT');
    expect(await conn().send(key, ['EXISTS', key])).toBe(0);
  });

  it('drains at most `limit`, the oldest, and leaves the rest in order', async () => {
    const trades = new TradesCache(conn());
    await trades.pushTrades(
      'limit',
      Array.from({ length: 25 }, (_, i) => makeTrade({ tradeId: i })),
    );
    expect(ids(await trades.getTrades('BTC/USDT', 'limit', { limit: 10 }))).toEqual(
      Array.from({ length: 10 }, (_, i) => i),
    );
    expect(ids(await trades.peekTrades('BTC/USDT', 'limit', { limit: 3 }))).toEqual([10, 11, 12]);
    expect(ids(await trades.getTrades('BTC/USDT', 'limit'))).toEqual(
      Array.from({ length: 15 }, (_, i) => 10 + i),
    );
  });

  it('peeks without draining', async () => {
    const trades = new TradesCache(conn());
    await trades.pushTrades('peek', [makeTrade({ tradeId: 'a' }), makeTrade({ tradeId: 'b' })]);
    expect(ids(await trades.peekTrades('BTC/USDT', 'peek'))).toEqual(['a', 'b']);
    expect(ids(await trades.peekTrades('BTC/USDT', 'peek'))).toEqual(['a', 'b']);
    expect(ids(await trades.getTrades('BTC/USDT', 'peek'))).toEqual(['a', 'b']);
    expect(await trades.peekTrades('BTC/USDT', 'peek')).toEqual([]);
    expect(await trades.peekTrades('NONE/USDT', 'peek')).toEqual([]);
  });

  it('treats BTC/USDT and BTCUSDT as one list, keeping each trade’s own symbol', async () => {
    const trades = new TradesCache(conn());
    expect(await trades.pushTrade('norm', makeTrade({ tradeId: 1, symbol: 'BTC/USDT' }))).toBe(1);
    expect(await trades.pushTrade('norm', makeTrade({ tradeId: 2, symbol: 'BTCUSDT' }))).toBe(2);
    expect(await trades.peekTrades('BTC/USDT', 'norm')).toHaveLength(2);
    const drained = await trades.getTrades('BTCUSDT', 'norm');
    expect(drained.map((t) => t.symbol)).toEqual(['BTC/USDT', 'BTCUSDT']);
    expect(await trades.getTrades('BTC/USDT', 'norm')).toEqual([]);
    // The same symbol on another exchange is another list.
    await trades.pushTrade('other', makeTrade({ symbol: 'BTC/USDT' }));
    expect(await trades.peekTrades('BTC/USDT', 'norm')).toEqual([]);
    expect(await trades.peekTrades('BTC/USDT', 'other')).toHaveLength(1);
  });

  it('pushTrades groups trades by market and keeps each market’s order', async () => {
    const trades = new TradesCache(conn());
    const batch = Array.from({ length: 1_200 }, (_, i) =>
      makeTrade({ tradeId: i, symbol: i % 3 === 0 ? 'ETH/USDT' : 'BTC/USDT' }),
    );
    expect(await trades.pushTrades('batch', batch)).toBe(1_200);
    expect(ids(await trades.getTrades('ETHUSDT', 'batch'))).toEqual(
      batch.filter((t) => t.symbol === 'ETH/USDT').map((t) => t.tradeId),
    );
    expect(ids(await trades.getTrades('BTCUSDT', 'batch'))).toEqual(
      batch.filter((t) => t.symbol === 'BTC/USDT').map((t) => t.tradeId),
    );
    expect(await trades.pushTrades('batch', [])).toBe(0);
  });

  it('caps a list: a push beyond maxTrades drops the oldest and counts them', async () => {
    const trades = new TradesCache(conn(), { maxTrades: 5 });
    const lengths: number[] = [];
    for (let i = 0; i < 8; i++) {
      lengths.push(await trades.pushTrade('cap', makeTrade({ tradeId: i })));
    }
    expect(lengths).toEqual([1, 2, 3, 4, 5, 5, 5, 5]);
    expect(await trades.getOverflow('BTC/USDT', 'cap')).toBe(3);
    expect(ids(await trades.getTrades('BTC/USDT', 'cap'))).toEqual([3, 4, 5, 6, 7]);

    // One batch larger than the cap keeps its newest trades.
    await trades.pushTrades(
      'cap',
      Array.from({ length: 12 }, (_, i) => makeTrade({ tradeId: 100 + i, symbol: 'BTCUSDT' })),
    );
    expect(await trades.getOverflow('BTCUSDT', 'cap')).toBe(10);
    expect(ids(await trades.peekTrades('BTC/USDT', 'cap'))).toEqual([107, 108, 109, 110, 111]);
    // Draining does not reset the count; other markets have their own.
    await trades.getTrades('BTC/USDT', 'cap');
    expect(await trades.getOverflow('BTC/USDT', 'cap')).toBe(10);
    expect(await trades.getOverflow('ETH/USDT', 'cap')).toBe(0);
    expect(await trades.getOverflow('BTC/USDT', 'nowhere')).toBe(0);
  });

  it('gives every key it writes a TTL', async () => {
    const trades = new TradesCache(conn(), { maxTrades: 2, ttlMs: 3_600_000 });
    await trades.pushTrades('ttl', [makeTrade(), makeTrade(), makeTrade()]);
    await trades.pushUserTrade(1, 'ttl', makeTrade());
    await trades.pushUserTrade(1, 'ttl', makeTrade());
    await trades.pushUserTrade(1, 'ttl', makeTrade());
    await trades.updateUserTradeStatus('ttl');
    // Every key of this file's prefix so far, from this test and the ones before it.
    const written = await listKeys(conn());
    const k = keys();
    for (const family of [
      k.trades('ttl', 'BTCUSDT'),
      k.dropped('ttl'),
      k.userTrades('ttl', '1'),
      k.userDropped('ttl'),
      k.status,
      k.userStatus,
    ]) {
      expect(written).toContain(family);
    }
    for (const key of written) {
      const pttl = await conn().send<number>(key, ['PTTL', key]);
      expect({ key, ttl: pttl > 0 }).toEqual({ key, ttl: true });
    }
  });

  it('computes analytics over pending trades without draining them', async () => {
    const trades = new TradesCache(conn());
    const empty = await trades.getTradeAnalytics('BTC/USDT', 'stats');
    expect(empty).toEqual({
      count: 0,
      buyVolume: 0,
      sellVolume: 0,
      vwap: null,
      totalCost: 0,
      totalFee: 0,
      firstTime: null,
      lastTime: null,
    });
    await trades.pushTrades('stats', [
      makeTrade({ side: 'buy', volume: 2, price: 100, cost: 200, fee: 0.5, time: T0 + 3_000 }),
      makeTrade({ side: 'sell', volume: 1, price: 110, cost: 110, fee: 0.25, time: T0 + 1_000 }),
      makeTrade({
        symbol: 'BTCUSDT',
        side: 'buy',
        volume: 1,
        price: 130,
        cost: 130,
        fee: -0.125,
        time: T0 + 2_000,
      }),
    ]);
    // By hand: buys 2 + 1, sells 1; VWAP (2·100 + 1·110 + 1·130) / 4 = 440 / 4 = 110.
    expect(await trades.getTradeAnalytics('BTC/USDT', 'stats')).toEqual({
      count: 3,
      buyVolume: 3,
      sellVolume: 1,
      vwap: 110,
      totalCost: 440,
      totalFee: 0.625,
      firstTime: T0 + 1_000,
      lastTime: T0 + 3_000,
    });
    expect(await trades.peekTrades('BTC/USDT', 'stats')).toHaveLength(3);
  });

  it('skips and reports corrupt entries in drains, peeks and analytics', async () => {
    const trades = new TradesCache(conn());
    const key = keys().trades('dirty', 'BTCUSDT');
    await trades.pushTrade('dirty', makeTrade({ tradeId: 1, volume: 1, price: 10, cost: 10 }));
    await conn().send(key, ['RPUSH', key, Buffer.from([0xc1, 0xff])]);
    // A valid trade of another market stored under this one's key is corrupt too.
    const foreign = TradeLayout.encode(conn().codec, makeTrade({ symbol: 'ETH/USDT' }));
    await conn().send(key, ['RPUSH', key, foreign]);
    await trades.pushTrade('dirty', makeTrade({ tradeId: 2, volume: 1, price: 20, cost: 20 }));

    expect(ids(await trades.peekTrades('BTC/USDT', 'dirty'))).toEqual([1, 2]);
    expect(corrupt.map((e) => [e.code, e.key, e.field])).toEqual([
      ['DECODE', key, '1'],
      ['DECODE', key, '2'],
    ]);
    expect(await trades.getTradeAnalytics('BTC/USDT', 'dirty')).toMatchObject({
      count: 2,
      vwap: 15,
    });
    expect(corrupt).toHaveLength(4);
    expect(ids(await trades.getTrades('BTC/USDT', 'dirty'))).toEqual([1, 2]);
    expect(corrupt).toHaveLength(6);
    // The drain removed the corrupt entries with the rest.
    expect(await conn().send(key, ['LLEN', key])).toBe(0);
  });

  it('refuses to push over a corrupt drop counter, writing nothing', async () => {
    const trades = new TradesCache(conn(), { maxTrades: 2 });
    const list = keys().trades('badcount', 'BTCUSDT');
    const counter = keys().dropped('badcount');
    await trades.pushTrades('badcount', [makeTrade({ tradeId: 1 }), makeTrade({ tradeId: 2 })]);
    await conn().send(counter, ['HSET', counter, 'BTCUSDT', 'many']);
    const error = await rejection(trades.pushTrade('badcount', makeTrade({ tradeId: 3 })));
    expect(error).toMatchObject({ code: 'DECODE', key: counter, field: 'BTCUSDT' });
    expect(ids(await trades.peekTrades('BTC/USDT', 'badcount'))).toEqual([1, 2]);
    expect(await conn().send(list, ['LLEN', list])).toBe(2);
    await expect(trades.getOverflow('BTC/USDT', 'badcount')).rejects.toMatchObject({
      code: 'DECODE',
      key: counter,
    });
  });

  it('rejects bad input with a ValidationError naming the field, writing nothing', async () => {
    const trades = new TradesCache(conn());
    const before = await listKeys(conn());
    const cases: [Promise<unknown>, string][] = [
      [trades.pushTrade('', makeTrade()), 'exchange'],
      [trades.pushTrade('v', makeTrade({ price: Number.NaN })), 'price'],
      [trades.pushTrade('v', makeTrade({ volume: -1 })), 'volume'],
      [trades.pushTrade('v', makeTrade({ side: 'hold' as 'buy' })), 'side'],
      [trades.pushTrade('v', makeTrade({ tradeId: -1 })), 'tradeId'],
      [trades.pushTrade('v', makeTrade({ leverage: 0 })), 'leverage'],
      [trades.pushTrade('v', makeTrade({ symbol: '//' })), 'symbol'],
      [trades.pushTrade('v', null as unknown as Trade), 'trade'],
      [
        trades.pushTrades('v', [makeTrade(), makeTrade({ fee: Number.POSITIVE_INFINITY })]),
        'trades[1].fee',
      ],
      [trades.pushTrades('v', [makeTrade(), makeTrade({ symbol: '/' })]), 'trades[1].symbol'],
      [trades.pushTrades('v', 'nope' as unknown as Trade[]), 'trades'],
      [trades.getTrades('BTC/USDT', 'v', { limit: 0 }), 'limit'],
      [trades.getTrades('/', 'v'), 'symbol'],
      [trades.peekTrades('BTC/USDT', 'x'.repeat(257)), 'exchange'],
      [trades.getTradeAnalytics('\uD800', 'v'), 'symbol'],
      [trades.updateTradeStatus(''), 'key'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call);
      expect(ValidationError.is(error), field).toBe(true);
      expect(error).toMatchObject({ field });
      expect((error as Error).message).toContain(field);
    }
    const seconds = await rejection(trades.pushTrade('v', makeTrade({ time: 1_717_171_717 })));
    expect(seconds).toMatchObject({ code: 'VALIDATION', field: 'time' });
    expect((seconds as Error).message).toMatch(/seconds/);
    expect(await listKeys(conn())).toEqual(before);
  });
});

describe('TradesCache status stamps', () => {
  const conn = useTestConnection();
  const keys = () => new TradeKeys(conn().keys);

  it('stamps trade statuses in one index and reads them back without scanning', async () => {
    const trades = new TradesCache(conn());
    const before = Date.now();
    const at = await trades.updateTradeStatus('binance');
    expect(at).toBeGreaterThanOrEqual(before);
    expect(await trades.getTradeStatus('binance')).toBe(at);
    expect(await trades.getTradeStatus('never')).toBeNull();
    // pushTrade stamps its exchange, as Python's push_trade does.
    await trades.pushTrade('kraken', makeTrade());
    const all = await trades.getAllTradeStatuses();
    expect(Object.keys(all).sort()).toEqual(['binance', 'kraken']);
    expect(all.binance).toBe(at);
    // Both live as members of the index sorted set, scored by the stamp.
    const index = keys().status;
    expect(await conn().send(index, ['TYPE', index])).toBe('zset');
    expect(await conn().send(index, ['ZSCORE', index, 'binance'])).toBe(String(at));
    expect(await conn().send(index, ['ZCARD', index])).toBe(2);
    // A key with separators or braces is one member like any other.
    await trades.updateTradeStatus('a:{b}*');
    expect(await trades.getTradeStatus('a:{b}*')).toBeGreaterThanOrEqual(at);
  });

  it('stamps, lists and deletes user-trade statuses', async () => {
    const trades = new TradesCache(conn());
    expect(await trades.getAllUserTradeStatuses()).toEqual({});
    expect(await trades.updateUserTradeStatus('user:1', T0)).toBe(T0);
    const now = await trades.updateUserTradeStatus('user:2');
    expect(await trades.getUserTradeStatus('user:1')).toBe(T0);
    expect(await trades.getAllUserTradeStatuses()).toEqual({ 'user:1': T0, 'user:2': now });
    // User stamps and trade stamps are separate indexes.
    expect(await trades.getTradeStatus('user:1')).toBeNull();
    expect(await trades.deleteUserTradeStatuses()).toBe(2);
    expect(await trades.getAllUserTradeStatuses()).toEqual({});
    expect(await trades.deleteUserTradeStatuses()).toBe(0);
    const error = await rejection(trades.updateUserTradeStatus('user:1', 1_717_171_717));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'at' });
  });

  it('keeps the newest 10 000 stamps of an index, dropping the oldest, and renews its TTL', async () => {
    const trades = new TradesCache(conn(), { ttlMs: 60_000 });
    const index = keys().userStatus;
    // Fill the index to its cap directly (10 000 stamps through the API would only be slower).
    const members: string[] = [];
    for (let i = 0; i < 10_000; i++) members.push(String(T0 + 1_000 + i), `k${i}`);
    await conn().send(index, ['ZADD', index, ...members]);
    await trades.updateUserTradeStatus('newest');
    expect(await conn().send(index, ['ZCARD', index])).toBe(10_000);
    expect(await trades.getUserTradeStatus('k0')).toBeNull();
    expect(await trades.getUserTradeStatus('k1')).toBe(T0 + 1_001);
    expect(await trades.getUserTradeStatus('newest')).toBeGreaterThan(T0);
    const pttl = await conn().send<number>(index, ['PTTL', index]);
    expect(pttl > 0 && pttl <= 60_000).toBe(true);
    expect(await trades.deleteUserTradeStatuses()).toBe(10_000);
    expect(await conn().send(index, ['EXISTS', index])).toBe(0);
  });
});

describe('TradesCache construction', () => {
  const conn = useTestConnection();

  it('refuses what is not a connection, and bad options, naming them', async () => {
    for (const bad of [undefined, {}, { sendCommand: () => undefined }]) {
      expect(ConfigurationError.is(rejectionSync(() => new TradesCache(bad as never)))).toBe(true);
    }
    for (const [options, field] of [
      [{ maxTrades: 0 }, 'maxTrades'],
      [{ maxTrades: 10_000_001 }, 'maxTrades'],
      [{ ttlMs: 1.5 }, 'ttlMs'],
      [{ ttlMs: 0 }, 'ttlMs'],
    ] as const) {
      expect(rejectionSync(() => new TradesCache(conn(), options))).toMatchObject({
        code: 'VALIDATION',
        field,
      });
      expect(await rejection(TradesCache.open({ ...conn().config }, options))).toMatchObject({
        code: 'VALIDATION',
        field,
      });
    }
  });

  it('open() owns its connection: the cache works, and close() closes it', async () => {
    const trades = await TradesCache.open({ ...conn().config });
    await trades.pushTrade('own', makeTrade());
    expect(await new TradesCache(conn()).peekTrades('BTC/USDT', 'own')).toHaveLength(1);
    await trades.close();
    await trades.close();
    expect(await rejection(trades.peekTrades('BTC/USDT', 'own'))).toMatchObject({
      code: 'CONNECTION',
    });
    // A cache on a borrowed connection leaves it open.
    await new TradesCache(conn())[Symbol.asyncDispose]();
    expect(await new TradesCache(conn()).getTrades('BTC/USDT', 'own')).toHaveLength(1);
  });
});

function rejectionSync(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new FullonCacheError('expected a throw');
}
