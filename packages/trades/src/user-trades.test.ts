import { type DecodeError, FullonCacheError, ValidationError } from '@fullon/core';
import { inFlightKey } from '@fullon/core/author';
import {
  medianDurationMs,
  rejection,
  sleep,
  testConnection,
  untilBlocked,
  useTestConnection,
} from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { TradeKeys } from './keys.js';
import { TradeLayout } from './layouts.js';
import type { Trade } from './schema.js';
import { makeTrade } from './test-helpers.js';
import { TradesCache } from './trades-cache.js';

// Every blocking pop of the package is in this file: `untilBlocked` counts the blocked clients
// of the whole server, so no other file of this suite may block at the same time.

describe('TradesCache user trade queues', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const keys = () => new TradeKeys(conn().keys);
  beforeEach(() => {
    corrupt.length = 0;
  });

  it('pops in push order, and null once empty', async () => {
    const trades = new TradesCache(conn());
    for (let i = 0; i < 3; i++) {
      expect(await trades.pushUserTrade(7, 'binance', makeTrade({ tradeId: i }))).toBe(i + 1);
    }
    // 7 and '7' name one user.
    expect(await trades.popUserTrade('7', 'binance')).toMatchObject({ tradeId: 0 });
    expect(await trades.popUserTrade(7, 'binance', { timeoutMs: 0 })).toMatchObject({
      tradeId: 1,
    });
    expect(await trades.popUserTrade(7, 'binance', { timeoutMs: 100 })).toMatchObject({
      tradeId: 2,
    });
    expect(await trades.popUserTrade(7, 'binance')).toBeNull();
    // Another exchange or another user is another queue.
    await trades.pushUserTrade(7, 'kraken', makeTrade());
    expect(await trades.popUserTrade(8, 'kraken')).toBeNull();
    expect(await trades.popUserTrade(7, 'binance')).toBeNull();
    expect(await trades.popUserTrade(7, 'kraken')).not.toBeNull();
  });

  it('round-trips a full trade and checks its userId against the queue', async () => {
    const trades = new TradesCache(conn());
    const trade: Trade = makeTrade({ tradeId: 'u-1', userId: 'alice', exId: 3, leverage: 2 });
    await trades.pushUserTrade('alice', 'bybit', trade);
    expect(await trades.popUserTrade('alice', 'bybit')).toEqual(trade);
    const error = await rejection(trades.pushUserTrade('bob', 'bybit', trade));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'userId' });
    expect(await trades.popUserTrade('bob', 'bybit')).toBeNull();
  });

  it('returns null when nothing comes within timeoutMs', async () => {
    const trades = new TradesCache(conn());
    expect(await trades.popUserTrade(1, 'quiet', { timeoutMs: 150 })).toBeNull();
  });

  it('a pop waiting longer than the socket timeout returns the trade pushed during the wait', async () => {
    await using waiter = await testConnection({
      socketTimeoutMs: 1_000,
      prefix: conn().config.prefix,
    });
    const key = keys().userTrades('slow', '5');
    let settled = false;
    const pop = new TradesCache(waiter).popUserTrade(5, 'slow', { timeoutMs: 2_500 });
    void pop.finally(() => {
      settled = true;
    });
    await untilBlocked(conn(), key);
    // Past the 1 s socket timeout: the waiting connection must still be there.
    await sleep(1_500);
    expect(settled).toBe(false);
    // The shared connection stays free meanwhile.
    expect(await new TradesCache(waiter).popUserTrade(5, 'elsewhere')).toBeNull();
    await new TradesCache(conn()).pushUserTrade(5, 'slow', makeTrade({ tradeId: 'late' }));
    expect(await pop).toMatchObject({ tradeId: 'late' });
  });

  it('serves concurrent pops of different users, each with its own trade', async () => {
    const trades = new TradesCache(conn());
    const users = [1, 2, 3, 4];
    const pops = users.map((u) => trades.popUserTrade(u, 'multi', { timeoutMs: 5_000 }));
    await untilBlocked(conn(), keys().userTrades('multi', '1'), { atLeast: users.length });
    for (const u of [...users].reverse()) {
      await trades.pushUserTrade(u, 'multi', makeTrade({ tradeId: `for-${u}` }));
    }
    expect((await Promise.all(pops)).map((t) => t?.tradeId)).toEqual(users.map((u) => `for-${u}`));
  });

  it('caps a queue: the oldest are dropped and counted', async () => {
    const trades = new TradesCache(conn(), { maxTrades: 3 });
    const lengths: number[] = [];
    for (let i = 0; i < 5; i++) {
      lengths.push(await trades.pushUserTrade(9, 'capped', makeTrade({ tradeId: i })));
    }
    expect(lengths).toEqual([1, 2, 3, 3, 3]);
    expect(await trades.getUserOverflow(9, 'capped')).toBe(2);
    expect(await trades.getUserOverflow('10', 'capped')).toBe(0);
    const popped: unknown[] = [];
    for (let i = 0; i < 3; i++) popped.push((await trades.popUserTrade(9, 'capped'))?.tradeId);
    expect(popped).toEqual([2, 3, 4]);
  });

  it('skips a corrupt or foreign popped value, reporting it with the key, and takes the next', async () => {
    const trades = new TradesCache(conn());
    const key = keys().userTrades('dirty', '11');
    await conn().send(key, ['RPUSH', key, Buffer.from([0xc1])]);
    const foreign = TradeLayout.encode(conn().codec, makeTrade({ userId: 12 }));
    await conn().send(key, ['RPUSH', key, foreign]);
    await trades.pushUserTrade(11, 'dirty', makeTrade({ tradeId: 'ok' }));

    expect(await trades.popUserTrade(11, 'dirty')).toMatchObject({ tradeId: 'ok' });
    expect(corrupt.map((e) => [e.code, e.key])).toEqual([
      ['DECODE', key],
      ['DECODE', key],
    ]);
    // Both bad entries left the queue (and its in-flight set) with the good one.
    expect(await trades.popUserTrade(11, 'dirty')).toBeNull();
    expect(await conn().send(key, ['EXISTS', key, inFlightKey(key)])).toBe(0);
  });

  it('rejects bad arguments with a ValidationError naming them, touching nothing', async () => {
    const trades = new TradesCache(conn());
    const cases: [Promise<unknown>, string][] = [
      [trades.pushUserTrade(-1, 'v', makeTrade()), 'userId'],
      [trades.pushUserTrade('', 'v', makeTrade()), 'userId'],
      [trades.pushUserTrade(1.5, 'v', makeTrade()), 'userId'],
      [trades.pushUserTrade(1, '', makeTrade()), 'exchange'],
      [trades.pushUserTrade(1, 'v', makeTrade({ cost: -1 })), 'cost'],
      [trades.popUserTrade(1, 'v', { timeoutMs: -1 }), 'timeoutMs'],
      [trades.popUserTrade(1, 'v', { timeoutMs: 2 ** 31 }), 'timeoutMs'],
      [trades.popUserTrade(1, 'v', { timeoutMs: 0.5 }), 'timeoutMs'],
      [trades.getUserOverflow(1, ''), 'exchange'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call);
      expect(ValidationError.is(error) && error.field === field, field).toBe(true);
    }
    const key = keys().userTrades('v', '1');
    expect(await conn().send(key, ['EXISTS', key])).toBe(0);
    expect(FullonCacheError.is(await rejection(trades.popUserTrade(null as never, 'v')))).toBe(
      true,
    );
  });

  /** Redis checks blocked clients' timeouts on its cron (10 times a second): a wait must not. */
  const OVERSHOOT_MS = 45;

  it('a 5 ms wait on an empty queue settles by its deadline plus a margin (defect 16)', async () => {
    const trades = new TradesCache(conn());
    // The first call opens the pooled connection; the bound is on the wait, not on connecting.
    expect(await trades.popUserTrade(16, 'binance', { timeoutMs: 5 })).toBeNull();
    const median = await medianDurationMs(async () => {
      expect(await trades.popUserTrade(16, 'binance', { timeoutMs: 5 })).toBeNull();
    });
    expect(median).toBeLessThan(5 + OVERSHOOT_MS);
  });
});
