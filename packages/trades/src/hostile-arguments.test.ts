import { ConfigurationError, DecodeError, ValidationError } from '@fullon/core';
import { rejection, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { TradeKeys } from './keys.js';
import type { Trade } from './schema.js';
import { TradesCache } from './trades-cache.js';
import type { ReadTradesOptions } from './types.js';

const trade = (tradeId: number): Trade => ({
  tradeId,
  symbol: 'BTC/USDT',
  side: 'buy',
  volume: 1,
  price: 100,
  cost: 100,
  fee: 0.1,
  time: 1_717_171_717_171,
});

/** Object-prototype member names: each is a status key like any other. */
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype'];

describe('TradesCache: wrong-type options, corrupt stamps, prototype names', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });

  it('refuses a number, string, null, Map or array as read options; drains nothing', async () => {
    const trades = new TradesCache(conn());
    await trades.pushTrades('hostile', [trade(1), trade(2), trade(3)]);
    for (const value of [1, 0, 'all', null, new Map(), [], new Date()]) {
      for (const read of [trades.getTrades, trades.peekTrades]) {
        const error = await rejection(
          read.call(trades, 'BTC/USDT', 'hostile', value as ReadTradesOptions),
        );
        expect(ValidationError.is(error) && error.field, String(value)).toBe('options');
      }
    }
    expect((await trades.peekTrades('BTC/USDT', 'hostile')).map((t) => t.tradeId)).toEqual([
      1, 2, 3,
    ]);
  });

  it('constructor options must be a plain object: ConfigurationError naming options', () => {
    for (const value of [null, 5, 'x', new Map(), []]) {
      let error: unknown;
      try {
        new TradesCache(conn(), value as object);
      } catch (caught) {
        error = caught;
      }
      expect(ConfigurationError.is(error) && error.variable, String(value)).toBe('options');
    }
  });

  it('a stored stamp outside the epoch-ms range is a DecodeError, skipped in listings', async () => {
    const trades = new TradesCache(conn());
    const keys = new TradeKeys(conn().keys);
    for (const index of [keys.status, keys.userStatus]) {
      await conn().send(index, ['DEL', index]);
      await conn().send(index, [
        'ZADD',
        index,
        'inf',
        'pinf',
        '-inf',
        'minf',
        '-1',
        'neg',
        '1e300',
        'huge',
        '1717171717171',
        'good',
      ]);
    }
    for (const [one, all, index] of [
      [trades.getTradeStatus, trades.getAllTradeStatuses, keys.status],
      [trades.getUserTradeStatus, trades.getAllUserTradeStatuses, keys.userStatus],
    ] as const) {
      for (const name of ['pinf', 'minf', 'neg', 'huge']) {
        const error = await rejection(one.call(trades, name));
        expect(DecodeError.is(error) && [error.key, error.field], name).toEqual([index, name]);
      }
      expect(await one.call(trades, 'good')).toBe(1_717_171_717_171);
      corrupt.length = 0;
      expect(await all.call(trades)).toEqual({ good: 1_717_171_717_171 });
      expect(corrupt.map((e) => e.field).sort()).toEqual(['huge', 'minf', 'neg', 'pinf']);
    }
  });

  it('refuses a stamp time past the year 9999 (2**64, 1e308)', async () => {
    const trades = new TradesCache(conn());
    for (const at of [2 ** 64, 1e308, Number.POSITIVE_INFINITY]) {
      const error = await rejection(trades.updateUserTradeStatus('at-check', at));
      expect(ValidationError.is(error) && error.field, String(at)).toBe('at');
    }
    expect(await trades.getUserTradeStatus('at-check')).toBeNull();
  });

  it('status keys named like Object.prototype members round-trip', async () => {
    const trades = new TradesCache(conn());
    const keys = new TradeKeys(conn().keys);
    await conn().send(keys.userStatus, ['DEL', keys.userStatus]);
    for (const [i, name] of PROTO_NAMES.entries()) {
      await trades.updateUserTradeStatus(name, 1_717_171_717_000 + i);
    }
    const all = await trades.getAllUserTradeStatuses();
    expect(Object.keys(all).sort()).toEqual([...PROTO_NAMES].sort());
    for (const [i, name] of PROTO_NAMES.entries()) {
      expect(Object.getOwnPropertyDescriptor(all, name)?.value, name).toBe(1_717_171_717_000 + i);
      expect(await trades.getUserTradeStatus(name), name).toBe(1_717_171_717_000 + i);
    }
  });

  it('rejects bad arguments with a promise, never a synchronous throw', async () => {
    const trades = new TradesCache(conn());
    const calls: (() => Promise<unknown>)[] = [
      () => trades.getTradeStatus(''),
      () => trades.getUserTradeStatus(''),
      () => trades.getTrades('', 'x'),
      () => trades.updateTradeStatus(''),
    ];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      expect(ValidationError.is(await rejection(promise ?? Promise.resolve()))).toBe(true);
    }
  });

  it('refuses a trade time past the year 9999 (2**64, 1e308); writes nothing', async () => {
    const trades = new TradesCache(conn());
    for (const time of [2 ** 64, 1e308, 253_402_300_800_000]) {
      const one = await rejection(trades.pushTrade('future', { ...trade(1), time }));
      expect(ValidationError.is(one) && one.field, String(time)).toBe('time');
      const many = await rejection(trades.pushTrades('future', [{ ...trade(2), time }]));
      expect(ValidationError.is(many) && many.field, String(time)).toBe('trades[0].time');
      const user = await rejection(trades.pushUserTrade(7, 'future', { ...trade(3), time }));
      expect(ValidationError.is(user) && user.field, String(time)).toBe('time');
    }
    expect(await trades.peekTrades('BTC/USDT', 'future')).toEqual([]);
    expect(await trades.getTradeStatus('future')).toBeNull();
  });
});
