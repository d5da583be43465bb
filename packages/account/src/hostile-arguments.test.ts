import { ConfigurationError, ValidationError } from '@fullon/core';
import { rejection, snapshotKeyspace, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { AccountCache } from './account-cache.js';
import type { Balance, Balances } from './schema.js';
import type { PortfolioOptions } from './types.js';

const btc: Balance = { total: 1.5, free: 1.2, used: 0.3 };
const eth: Balance = { total: 10, free: 10, used: 0 };

/** Object-prototype member names: each is a currency like any other. */
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype'];

/** A record with those names as own keys (a literal `__proto__:` would set the prototype). */
function protoRecord<T>(value: (i: number) => T): Record<string, T> {
  const out: Record<string, T> = {};
  PROTO_NAMES.forEach((name, i) => {
    Object.defineProperty(out, name, { value: value(i), enumerable: true, writable: true });
  });
  return out;
}

describe('AccountCache: prototype names and wrong-type arguments', () => {
  const conn = useTestConnection();

  it('stores and lists currencies named like Object.prototype members', async () => {
    const accounts = new AccountCache(conn());
    const balances = protoRecord((i) => ({ total: i, free: i, used: 0 }));
    await accounts.setUserBalances(1, balances as Balances);
    const all = await accounts.getUserBalances(1);
    expect(Object.keys(all).sort()).toEqual([...PROTO_NAMES].sort());
    for (const [i, name] of PROTO_NAMES.entries()) {
      expect(await accounts.getUserBalance(1, name), name).toEqual({ total: i, free: i, used: 0 });
      expect(Object.getOwnPropertyDescriptor(all, name)?.value, name).toEqual({
        total: i,
        free: i,
        used: 0,
      });
    }
    const summary = await accounts.getPortfolioSummary(1);
    expect(Object.getOwnPropertyDescriptor(summary.totals, '__proto__')?.value).toBe(1);
    expect(Object.getOwnPropertyDescriptor(summary.totals, 'constructor')?.value).toBe(0);
  });

  it('lists accounts whose ids are Object.prototype member names', async () => {
    const accounts = new AccountCache(conn());
    for (const name of PROTO_NAMES) await accounts.updateUserBalance(name, 'BTC', btc);
    const all = await accounts.getAllAccounts();
    for (const name of PROTO_NAMES) {
      expect(Object.getOwnPropertyDescriptor(all, name)?.value, name).toEqual({ BTC: btc });
    }
  });

  it('refuses a Map, Set, Date, array, number, string or null as balances; writes nothing', async () => {
    const accounts = new AccountCache(conn());
    await accounts.setUserBalances(2, { BTC: btc, ETH: eth });
    const before = await snapshotKeyspace(conn());
    const hostile: unknown[] = [
      new Map([['BTC', btc]]),
      new Map(),
      new Set(),
      new Date(),
      [],
      [btc],
      5,
      'BTC',
      null,
      undefined,
    ];
    for (const value of hostile) {
      const error = await rejection(accounts.setUserBalances(2, value as Balances));
      expect(ValidationError.is(error) && error.field, String(value)).toBe('balances');
    }
    expect(await snapshotKeyspace(conn())).toEqual(before);
    expect(await accounts.getUserBalances(2)).toEqual({ BTC: btc, ETH: eth });
  });

  it('names options when they are null or not a plain object', async () => {
    expect(() => new AccountCache(conn(), null as unknown as object)).toThrow(ConfigurationError);
    for (const value of [null, 5, 'x', new Map(), new Date(), []]) {
      let error: unknown;
      try {
        new AccountCache(conn(), value as object);
      } catch (caught) {
        error = caught;
      }
      expect(ConfigurationError.is(error) && error.variable, String(value)).toBe('options');
      const accounts = new AccountCache(conn());
      const rejected = await rejection(
        accounts.getPortfolioSummary(1, value as unknown as PortfolioOptions),
      );
      expect(ValidationError.is(rejected) && rejected.field, String(value)).toBe('options');
    }
  });

  it('rejects bad arguments with a promise, never a synchronous throw', async () => {
    const accounts = new AccountCache(conn());
    const calls: (() => Promise<unknown>)[] = [
      () => accounts.setUserBalances(-1, {}),
      () => accounts.getUserBalances(-1),
      () => accounts.upsertPositions(-1, []),
      () => accounts.deletePosition(-1, 'x'),
      () => accounts.getPortfolioSummary(-1),
    ];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      expect(ValidationError.is(await rejection(promise ?? Promise.resolve()))).toBe(true);
    }
  });

  it('refuses a position time past the year 9999 (2**64, 1e308); writes nothing', async () => {
    const accounts = new AccountCache(conn());
    const before = await snapshotKeyspace(conn());
    for (const time of [2 ** 64, 1e308, 253_402_300_800_000]) {
      const position = { symbol: 'BTC/USDT', volume: 1, price: 1, time };
      const one = await rejection(accounts.setPosition(3, position));
      expect(ValidationError.is(one) && one.field, String(time)).toBe('position.time');
      const many = await rejection(accounts.upsertPositions(3, [position]));
      expect(ValidationError.is(many) && many.field, String(time)).toBe('positions[0].time');
    }
    expect(await snapshotKeyspace(conn())).toEqual(before);
  });
});
