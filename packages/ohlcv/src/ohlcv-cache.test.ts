import { ConfigurationError, DecodeError, jsonCodec, ValidationError } from '@fullon/core';
import { rejection, testConnection, useTestConnection } from '@fullon/core/testing';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { OhlcvKeys } from './keys.js';
import { OHLCVCache } from './ohlcv-cache.js';
import type { Bar, Timeframe } from './schema.js';
import { barAt, MIN, shuffled, T0 } from './test-helpers.js';

describe('OHLCVCache', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const keyOf = (symbol: string, exchange: string, tf: Timeframe) =>
    new OhlcvKeys(conn().keys).series(symbol, exchange, tf).bars;

  it('ends 1 000 forming-candle updates interleaved with late closed bars with the sorted, deduplicated series', async () => {
    const ohlcv = new OHLCVCache(conn());
    const closedTimes = Array.from({ length: 200 }, (_, i) => T0 + i * MIN);
    const late = shuffled(closedTimes);
    const expected = new Map<number, Bar>();
    const forming = T0 + 200 * MIN;
    let k = 0;
    for (let i = 0; i < 1_000; i++) {
      const bar = barAt(forming, i);
      await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [bar]);
      expected.set(forming, bar);
      if (i % 4 === 0) {
        // A closed bar arrives late (out of order), some of them twice with a correction.
        const time = late[k % late.length] as number;
        k++;
        const closed = barAt(time, 1_000 + i);
        await ohlcv.updateOhlcvBars('BTC/USDT', 'binance', '1m', [closed]);
        expected.set(time, closed);
      }
    }
    const want = [...expected.values()].sort((a, b) => a[0] - b[0]);
    expect(want).toHaveLength(201);
    expect(await ohlcv.getLatestOhlcvBars('BTC/USDT', 'binance', '1m', 10_000)).toEqual(want);
    expect(await ohlcv.getOhlcvBars('BTC/USDT', 'binance', '1m')).toEqual(want);
    expect(await ohlcv.getLastBar('BTC/USDT', 'binance', '1m')).toEqual(barAt(forming, 999));
  });

  it('merges a batch: replaces stored times, inserts new ones in order, the later duplicate wins', async () => {
    const ohlcv = new OHLCVCache(conn());
    await ohlcv.updateOhlcvBars('ETH/USDT', 'binance', '5m', [
      barAt(T0, 1),
      barAt(T0 + 10 * MIN, 2),
    ]);
    await ohlcv.updateOhlcvBars('ETH/USDT', 'binance', '5m', [
      barAt(T0 + 15 * MIN, 3),
      barAt(T0 + 5 * MIN, 4),
      barAt(T0 + 10 * MIN, 5),
      barAt(T0 + 5 * MIN, 6),
    ]);
    expect(await ohlcv.getLatestOhlcvBars('ETH/USDT', 'binance', '5m', 10)).toEqual([
      barAt(T0, 1),
      barAt(T0 + 5 * MIN, 6),
      barAt(T0 + 10 * MIN, 5),
      barAt(T0 + 15 * MIN, 3),
    ]);
    await ohlcv.updateOhlcvBars('ETH/USDT', 'binance', '5m', []);
    expect(await ohlcv.getLatestOhlcvBars('ETH/USDT', 'binance', '5m', 2)).toEqual([
      barAt(T0 + 10 * MIN, 5),
      barAt(T0 + 15 * MIN, 3),
    ]);
  });

  it('concurrent writers never leave two bars with one time', async () => {
    const ohlcv = new OHLCVCache(conn());
    const times = Array.from({ length: 40 }, (_, i) => T0 + i * MIN);
    // 200 concurrent calls: batches overlapping on the same 40 times, in both orders.
    await Promise.all(
      Array.from({ length: 200 }, (_, k) => {
        const batch = times.filter((_, i) => (i + k) % 3 !== 0).map((t) => barAt(t, k));
        return ohlcv.updateOhlcvBars('RACE/USDT', 'binance', '1m', k % 2 ? batch.reverse() : batch);
      }),
    );
    const stored = await ohlcv.getOhlcvBars('RACE/USDT', 'binance', '1m');
    expect(stored.map((b) => b[0])).toEqual(times);
    const key = keyOf('RACE/USDT', 'binance', '1m');
    expect(await conn().send<number>(key, ['ZCARD', key])).toBe(40);
  });

  it('replaces exactly its times when a sparse batch spans many stored bars', async () => {
    const ohlcv = new OHLCVCache(conn());
    const all = Array.from({ length: 300 }, (_, i) => barAt(T0 + i * MIN, i));
    await ohlcv.updateOhlcvBars('SPARSE/USDT', 'binance', '1m', all);
    // Two corrections 299 minutes apart plus one new bar: 300 stored bars in the span.
    const fixes = [barAt(T0, 900), barAt(T0 + 150 * MIN, 901), barAt(T0 + 400 * MIN, 902)];
    await ohlcv.updateOhlcvBars('SPARSE/USDT', 'binance', '1m', fixes);
    const want = [...all];
    want[0] = fixes[0] as Bar;
    want[150] = fixes[1] as Bar;
    want.push(fixes[2] as Bar);
    expect(await ohlcv.getOhlcvBars('SPARSE/USDT', 'binance', '1m')).toEqual(want);
  });

  it('keeps the newest maxBars, whatever order the bars arrive in', async () => {
    const ohlcv = new OHLCVCache(conn(), { maxBars: 50 });
    const times = shuffled(
      Array.from({ length: 120 }, (_, i) => T0 + i * MIN),
      3,
    );
    for (let i = 0; i < times.length; i += 30) {
      await ohlcv.updateOhlcvBars(
        'SOL/USDT',
        'kraken',
        '1m',
        times.slice(i, i + 30).map((t) => barAt(t, t / MIN)),
      );
    }
    const newest = Array.from({ length: 50 }, (_, i) => T0 + (70 + i) * MIN);
    const stored = await ohlcv.getLatestOhlcvBars('SOL/USDT', 'kraken', '1m', 1_000);
    expect(stored.map((b) => b[0])).toEqual(newest);
    // A bar older than everything kept is dropped at once; the newest 50 stay.
    await ohlcv.updateOhlcvBars('SOL/USDT', 'kraken', '1m', [barAt(T0, 1)]);
    expect((await ohlcv.getOhlcvBars('SOL/USDT', 'kraken', '1m')).map((b) => b[0])).toEqual(newest);
    const key = keyOf('SOL/USDT', 'kraken', '1m');
    expect(await conn().send<number>(key, ['ZCARD', key])).toBe(50);
  });

  it('answers range queries inclusively at both edges, with limit from either end', async () => {
    const ohlcv = new OHLCVCache(conn());
    const all = Array.from({ length: 10 }, (_, i) => barAt(T0 + i * 60 * MIN, i));
    await ohlcv.updateOhlcvBars('BTC/USD', 'kraken', '1h', shuffled(all));
    const get = (options: { from?: number; to?: number; limit?: number }) =>
      ohlcv.getOhlcvBars('BTC/USD', 'kraken', '1h', options);
    const at = (i: number) => T0 + i * 60 * MIN;
    expect(await get({ from: at(2), to: at(5) })).toEqual(all.slice(2, 6));
    expect(await get({ from: at(3), to: at(3) })).toEqual(all.slice(3, 4));
    expect(await get({ from: at(2) + 1, to: at(5) - 1 })).toEqual(all.slice(3, 5));
    expect(await get({ from: at(8) })).toEqual(all.slice(8));
    expect(await get({ to: at(1) })).toEqual(all.slice(0, 2));
    expect(await get({ from: at(2), limit: 3 })).toEqual(all.slice(2, 5));
    expect(await get({ to: at(6), limit: 3 })).toEqual(all.slice(4, 7));
    expect(await get({ limit: 2 })).toEqual(all.slice(8));
    expect(await get({ from: at(10) })).toEqual([]);
    expect(await get({ to: at(0) - 1 })).toEqual([]);
    expect(await get({ from: at(9), limit: 5 })).toEqual(all.slice(9));
    expect(await ohlcv.getLatestOhlcvBars('BTC/USD', 'kraken', '1h', 3)).toEqual(all.slice(7));
    expect(await ohlcv.getLatestOhlcvBars('BTC/USD', 'kraken', '1h', 1_000)).toEqual(all);
    const wrong = await rejection(get({ from: at(5), to: at(2) }));
    expect(ValidationError.is(wrong) && wrong.field).toBe('options.from');
    const badLimit = await rejection(get({ limit: 0 }));
    expect(ValidationError.is(badLimit) && badLimit.field).toBe('options.limit');
    const seconds = await rejection(get({ from: 1_700_000_000 }));
    expect(ValidationError.is(seconds) && seconds.message).toMatch(/seconds/);
  });

  it('returns null and [] for a series that does not exist', async () => {
    const ohlcv = new OHLCVCache(conn());
    expect(await ohlcv.getLastBar('NONE/USDT', 'binance', '1m')).toBeNull();
    expect(await ohlcv.getLatestOhlcvBars('NONE/USDT', 'binance', '1m', 5)).toEqual([]);
    expect(await ohlcv.getOhlcvBars('NONE/USDT', 'binance', '1m', { from: T0 })).toEqual([]);
  });

  it('keeps each exchange and each timeframe apart (the Python key had no exchange)', async () => {
    const ohlcv = new OHLCVCache(conn());
    await ohlcv.updateOhlcvBars('XRP/USDT', 'binance', '1d', [barAt(T0, 1)]);
    await ohlcv.updateOhlcvBars('XRP/USDT', 'bybit', '1d', [barAt(T0, 2)]);
    await ohlcv.updateOhlcvBars('XRP/USDT', 'binance', '1w', [barAt(T0, 3)]);
    expect(await ohlcv.getLastBar('XRP/USDT', 'binance', '1d')).toEqual(barAt(T0, 1));
    expect(await ohlcv.getLastBar('XRP/USDT', 'bybit', '1d')).toEqual(barAt(T0, 2));
    expect(await ohlcv.getLastBar('XRP/USDT', 'binance', '1w')).toEqual(barAt(T0, 3));
  });

  it('rejects low above high, a misaligned time and other bad bars, writing nothing', async () => {
    const ohlcv = new OHLCVCache(conn());
    const good = barAt(T0);
    const cases: [unknown, string][] = [
      [[T0, 100, 99, 101, 100, 1], 'bars[1].low'],
      [[T0 + 30_000, 100, 101, 99, 100, 1], 'bars[1].time'],
      [[T0, 102, 101, 99, 100, 1], 'bars[1].open'],
      [[T0, 100, 101, 99, 98, 1], 'bars[1].close'],
      [[T0, 100, 101, 99, 100, -1], 'bars[1].volume'],
      [[T0, Number.NaN, 101, 99, 100, 1], 'bars[1].open'],
      [[T0 / 1000, 100, 101, 99, 100, 1], 'bars[1].time'],
      [[T0, 100, 101, 99, 100], 'bars[1].volume'],
      [[T0, 100, 101, 99, 100, 1, 7], 'bars[1]'],
      [{ time: T0 }, 'bars[1]'],
    ];
    for (const [bad, field] of cases) {
      const error = await rejection(
        ohlcv.updateOhlcvBars('ADA/USDT', 'binance', '1m', [good, bad as Bar]),
      );
      expect(ValidationError.is(error), JSON.stringify(bad)).toBe(true);
      expect(ValidationError.is(error) && error.field, JSON.stringify(bad)).toBe(field);
    }
    const tf = await rejection(
      ohlcv.updateOhlcvBars('ADA/USDT', 'binance', '2m' as Timeframe, [good]),
    );
    expect(ValidationError.is(tf) && tf.field).toBe('timeframe');
    const notList = await rejection(
      ohlcv.updateOhlcvBars('ADA/USDT', 'binance', '1m', 'bars' as unknown as Bar[]),
    );
    expect(ValidationError.is(notList) && notList.field).toBe('bars');
    const symbol = await rejection(ohlcv.updateOhlcvBars('', 'binance', '1m', [good]));
    expect(ValidationError.is(symbol) && symbol.field).toBe('symbol');
    const count = await rejection(ohlcv.getLatestOhlcvBars('ADA/USDT', 'binance', '1m', 1.5));
    expect(ValidationError.is(count) && count.field).toBe('count');
    expect(await ohlcv.getLastBar('ADA/USDT', 'binance', '1m')).toBeNull();
    const key = keyOf('ADA/USDT', 'binance', '1m');
    expect(await conn().send<number>(key, ['EXISTS', key])).toBe(0);
  });

  it('names the failing slot from the issue path, cross-field rules included (bars[3][n])', async () => {
    const ohlcv = new OHLCVCache(conn());
    const good = [barAt(T0), barAt(T0 + MIN), barAt(T0 + 2 * MIN)];
    // Each bad bar sits at bars[3]; the slot it breaks is `slot` (0 time … 5 volume).
    const cases: [unknown[], number, string][] = [
      [[T0, 100, 'x', 99, 100, 1], 2, 'high'],
      [[T0, 100, 101, [99], 100, 1], 3, 'low'],
      [[T0, 100, 99, 101, 100, 1], 3, 'low'],
      [[T0, 102, 101, 99, 100, 1], 1, 'open'],
      [[T0, 100, 101, 99, 98, 1], 4, 'close'],
      [[T0, 100, 101, 99, 100, Number.NaN], 5, 'volume'],
      [[1_000, 100, 101, 99, 100, 1], 0, 'time'],
    ];
    for (const [bad, slot, name] of cases) {
      const error = await rejection(
        ohlcv.updateOhlcvBars('SOL/USDT', 'binance', '1m', [...good, bad as Bar]),
      );
      if (!ValidationError.is(error)) return expect.unreachable(JSON.stringify(bad));
      expect(error.field, JSON.stringify(bad)).toBe(`bars[3].${name}`);
      // The error carries the path of the slot, so callers never need to read the message.
      const [issue] = error.issues;
      expect(issue && v.getDotPath(issue), JSON.stringify(bad)).toBe(String(slot));
    }
    expect(await ohlcv.getLastBar('SOL/USDT', 'binance', '1m')).toBeNull();
  });

  it('aligns weeks to Monday 00:00 UTC and days to 00:00 UTC', async () => {
    const ohlcv = new OHLCVCache(conn());
    const thursday = Date.UTC(2024, 5, 6);
    await ohlcv.updateOhlcvBars('DOT/USDT', 'binance', '1w', [
      barAt(T0),
      barAt(T0 + 7 * 1_440 * MIN),
    ]);
    const error = await rejection(
      ohlcv.updateOhlcvBars('DOT/USDT', 'binance', '1w', [barAt(thursday)]),
    );
    expect(ValidationError.is(error) && error.field).toBe('bars[0].time');
    await ohlcv.updateOhlcvBars('DOT/USDT', 'binance', '1d', [barAt(thursday)]);
    const noon = await rejection(
      ohlcv.updateOhlcvBars('DOT/USDT', 'binance', '1d', [barAt(thursday + 720 * MIN)]),
    );
    expect(ValidationError.is(noon)).toBe(true);
    await ohlcv.updateOhlcvBars('DOT/USDT', 'binance', '4h', [barAt(thursday + 240 * MIN)]);
    expect(await ohlcv.getLatestOhlcvBars('DOT/USDT', 'binance', '1w', 5)).toHaveLength(2);
  });

  it('gives every series a TTL and validates its options', async () => {
    const ohlcv = new OHLCVCache(conn(), { ttlMs: 60_000 });
    await ohlcv.updateOhlcvBars('LTC/USDT', 'binance', '15m', [barAt(T0)]);
    const key = keyOf('LTC/USDT', 'binance', '15m');
    const ttl = await conn().send<number>(key, ['PTTL', key]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    const defaults = new OHLCVCache(conn());
    await defaults.updateOhlcvBars('LTC/USDT', 'binance', '30m', [barAt(T0)]);
    const key30 = keyOf('LTC/USDT', 'binance', '30m');
    expect(await conn().send<number>(key30, ['PTTL', key30])).toBeGreaterThan(6 * 86_400_000);
    expect(() => new OHLCVCache(conn(), { maxBars: 0 })).toThrow(/maxBars/);
    expect(() => new OHLCVCache(conn(), { ttlMs: -1 })).toThrow(/ttlMs/);
    expect(() => new OHLCVCache({} as never)).toThrow(ConfigurationError);
  });

  it('skips and reports a corrupt stored bar in listings; a single read throws DecodeError', async () => {
    const ohlcv = new OHLCVCache(conn());
    await ohlcv.updateOhlcvBars('BAD/USDT', 'binance', '1m', [barAt(T0), barAt(T0 + MIN)]);
    const key = keyOf('BAD/USDT', 'binance', '1m');
    const c = conn();
    // Garbage, a bar breaking low ≤ high, and a valid bar stored under another score.
    await c.send(key, ['ZADD', key, String(T0 + 2 * MIN), Buffer.from([0xc1, 0x00])]);
    await c.send(key, [
      'ZADD',
      key,
      String(T0 + 3 * MIN),
      c.codec.encode([1, T0 + 3 * MIN, 100, 90, 110, 100, 1]),
    ]);
    await c.send(key, [
      'ZADD',
      key,
      String(T0 + 4 * MIN),
      c.codec.encode([1, T0, 100, 101, 99, 100, 1]),
    ]);
    corrupt.length = 0;
    expect(await ohlcv.getLatestOhlcvBars('BAD/USDT', 'binance', '1m', 10)).toEqual([
      barAt(T0),
      barAt(T0 + MIN),
    ]);
    expect(corrupt).toHaveLength(3);
    expect(corrupt.every((e) => e.key === key)).toBe(true);
    const last = await rejection(ohlcv.getLastBar('BAD/USDT', 'binance', '1m'));
    expect(DecodeError.is(last)).toBe(true);
    await c.send(key, [
      'ZADD',
      key,
      String(T0 + 5 * MIN),
      c.codec.encode([1, T0 + 90_000, 100, 101, 99, 100, 1]),
    ]);
    const misaligned = await rejection(ohlcv.getLastBar('BAD/USDT', 'binance', '1m'));
    expect(DecodeError.is(misaligned) && misaligned.message).toMatch(/aligned/);
  });

  it('refuses to write over a key of another type', async () => {
    const ohlcv = new OHLCVCache(conn());
    const key = keyOf('STR/USDT', 'binance', '1m');
    await conn().send(key, ['SET', key, 'not a series']);
    const error = await rejection(ohlcv.updateOhlcvBars('STR/USDT', 'binance', '1m', [barAt(T0)]));
    expect(DecodeError.is(error)).toBe(true);
    expect(await conn().send<string>(key, ['GET', key])).toBe('not a series');
  });

  it('works the same with the json codec', async () => {
    const own = await testConnection({ codec: jsonCodec });
    try {
      const ohlcv = new OHLCVCache(own);
      await ohlcv.updateOhlcvBars('JSON/USDT', 'binance', '1h', [
        [T0 + 60 * MIN, 1.5, 2.25, 1, 2, 0.125],
        [T0, 1, 1, 1, 1, 0],
      ]);
      expect(await ohlcv.getLatestOhlcvBars('JSON/USDT', 'binance', '1h', 5)).toEqual([
        [T0, 1, 1, 1, 1, 0],
        [T0 + 60 * MIN, 1.5, 2.25, 1, 2, 0.125],
      ]);
    } finally {
      await own.clear();
      await own.close();
    }
  });

  it('open() owns its connection and close() is idempotent', async () => {
    const c = conn();
    const own = await OHLCVCache.open({ ...c.config, prefix: c.keys.prefix });
    await own.updateOhlcvBars('OWN/USDT', 'binance', '1m', [barAt(T0)]);
    expect(await new OHLCVCache(c).getLastBar('OWN/USDT', 'binance', '1m')).toEqual(barAt(T0));
    await own.close();
    await own.close();
    const bad = await rejection(OHLCVCache.open({ ...c.config }, { maxBars: -1 }));
    expect(ValidationError.is(bad)).toBe(true);
  });
});
