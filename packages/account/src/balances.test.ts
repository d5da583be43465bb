import { DecodeError, ValidationError } from '@fullon/core';
import {
  corruptWatcher,
  rejection,
  snapshotKeyspace,
  testConnection,
  until,
  useTestConnection,
} from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { AccountCache } from './account-cache.js';
import { AccountKeys } from './keys.js';
import { BalanceLayout } from './layouts.js';
import type { Balance } from './schema.js';

const btc: Balance = { total: 1.5, free: 1.2, used: 0.3 };
const eth: Balance = { total: 10, free: 10, used: 0 };
const usdt: Balance = { total: 900.25, free: 400.25, used: 500 };

describe('AccountCache balances', () => {
  const conn = useTestConnection();

  it('replaces every balance of an account at once and reads them back', async () => {
    const accounts = new AccountCache(conn());
    await accounts.setUserBalances(1, { BTC: btc, ETH: eth });
    expect(await accounts.getUserBalances(1)).toEqual({ BTC: btc, ETH: eth });
    await accounts.setUserBalances('1', { USDT: usdt });
    expect(await accounts.getUserBalances(1)).toEqual({ USDT: usdt });
    expect(await accounts.getUserBalance(1, 'BTC')).toBeNull();
    expect(await accounts.getUserBalance(1, 'USDT')).toEqual(usdt);
    await accounts.setUserBalances(1, {});
    expect(await accounts.getUserBalances(1)).toEqual({});
    expect(await accounts.getUserBalances(999)).toEqual({});
    expect(await accounts.getUserBalance(999, 'BTC')).toBeNull();
  });

  it('updates one currency and tells whether it was new', async () => {
    const accounts = new AccountCache(conn());
    expect(await accounts.updateUserBalance(2, 'BTC', btc)).toBe(true);
    expect(await accounts.updateUserBalance(2, 'BTC', { ...btc, free: 1.5, used: 0 })).toBe(false);
    expect(await accounts.updateUserBalance(2, 'ETH', eth)).toBe(true);
    expect(await accounts.getUserBalances(2)).toEqual({
      BTC: { total: 1.5, free: 1.5, used: 0 },
      ETH: eth,
    });
  });

  it('keeps all 20 of 20 concurrent updates of different currencies (two connections)', async () => {
    const other = await testConnection({ prefix: conn().keys.prefix });
    try {
      const caches = [new AccountCache(conn()), new AccountCache(other)];
      const currencies = Array.from({ length: 20 }, (_, i) => `C${i}`);
      await Promise.all(
        currencies.map((c, i) =>
          caches[i % 2]?.updateUserBalance(3, c, { total: i, free: i, used: 0 }),
        ),
      );
      const stored = await caches[0]?.getUserBalances(3);
      expect(Object.keys(stored ?? {}).sort()).toEqual([...currencies].sort());
      expect(stored?.C7).toEqual({ total: 7, free: 7, used: 0 });
    } finally {
      await other.close();
    }
  });

  it('stores a currency named date (or any metadata-looking name) like any other', async () => {
    const accounts = new AccountCache(conn());
    await accounts.setUserBalances(4, { date: btc, timestamp: eth, __proto__x: usdt });
    await accounts.updateUserBalance(4, 'date', usdt);
    expect(await accounts.getUserBalance(4, 'date')).toEqual(usdt);
    expect(await accounts.getUserBalances(4)).toEqual({
      __proto__x: usdt,
      date: usdt,
      timestamp: eth,
    });
    await accounts.updateUserBalance(4, '__proto__', eth);
    const all = await accounts.getUserBalances(4);
    expect(Object.getOwnPropertyDescriptor(all, '__proto__')?.value).toEqual(eth);
  });

  it('lists every account with balances, and not emptied ones', async () => {
    const own = await testConnection();
    try {
      const accounts = new AccountCache(own);
      expect(await accounts.getAllAccounts()).toEqual({});
      await accounts.setUserBalances(10, { BTC: btc });
      await accounts.updateUserBalance('kraken-main', 'ETH', eth);
      await accounts.setUserBalances(11, { USDT: usdt });
      await accounts.setUserBalances(11, {});
      expect(await accounts.getAllAccounts()).toEqual({
        10: { BTC: btc },
        'kraken-main': { ETH: eth },
      });
    } finally {
      await own.clear();
      await own.close();
    }
  });

  it('gives balances the configured TTL, renewed by each write', async () => {
    const accounts = new AccountCache(conn(), { ttlMs: 5_000 });
    await accounts.updateUserBalance(5, 'BTC', btc);
    const key = new AccountKeys(conn().keys).balances('5');
    const ttl = await conn().send<number>(key, ['PTTL', key]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('drops an account from listings once its TTL passes', async () => {
    const own = await testConnection();
    try {
      const accounts = new AccountCache(own, { ttlMs: 50 });
      await accounts.setUserBalances(12, { BTC: btc });
      await until(async () => Object.keys(await accounts.getAllAccounts()).length === 0, {
        timeoutMs: 5_000,
        intervalMs: 20,
      });
      expect(await accounts.getAllAccounts()).toEqual({});
      expect(await accounts.getUserBalances(12)).toEqual({});
    } finally {
      await own.clear();
      await own.close();
    }
  });

  it('rejects invalid input naming the field, and writes nothing', async () => {
    const accounts = new AccountCache(conn());
    await accounts.setUserBalances(6, { BTC: btc });
    const before = await snapshotKeyspace(conn());
    const cases: [() => Promise<unknown>, string][] = [
      [() => accounts.updateUserBalance(6, 'BTC', { ...btc, free: Number.NaN }), 'balance.free'],
      [() => accounts.updateUserBalance(6, '', btc), 'currency'],
      [() => accounts.updateUserBalance(-1, 'BTC', btc), 'exId'],
      [() => accounts.updateUserBalance(6, 'BTC', { total: 1 } as Balance), 'balance.free'],
      [
        () =>
          accounts.setUserBalances(6, {
            ETH: eth,
            BTC: { ...btc, used: '0' } as unknown as Balance,
          }),
        'balances.BTC.used',
      ],
      [() => accounts.setUserBalances(6, null as unknown as Record<string, Balance>), 'balances'],
      [() => accounts.getUserBalance(6, 'x'.repeat(257)), 'currency'],
      [() => accounts.getUserBalances(1.5), 'exId'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call());
      expect(ValidationError.is(error), String(error)).toBe(true);
      expect((error as ValidationError).field).toBe(field);
      expect((error as ValidationError).message).toContain(field);
    }
    expect(await snapshotKeyspace(conn())).toEqual(before);
    expect(await accounts.getUserBalances(6)).toEqual({ BTC: btc });
  });

  it('throws DecodeError on a corrupt single read; a listing skips and reports it', async () => {
    const accounts = new AccountCache(conn());
    await accounts.setUserBalances(7, { BTC: btc, ETH: eth, USDT: usdt });
    const key = new AccountKeys(conn().keys).balances('7');
    await conn().send(key, ['HSET', key, 'BTC', Buffer.from([0xc1, 0x00])]);
    // ETH's bytes under USDT: a valid balance, but of another currency.
    const ethBytes = BalanceLayout.encode(conn().codec, { currency: 'ETH', ...eth, exId: '7' });
    await conn().send(key, ['HSET', key, 'USDT', ethBytes]);

    const corrupt = await rejection(accounts.getUserBalance(7, 'BTC'));
    expect(DecodeError.is(corrupt)).toBe(true);
    expect((corrupt as DecodeError).key).toBe(key);
    expect((corrupt as DecodeError).field).toBe('BTC');
    const foreign = await rejection(accounts.getUserBalance(7, 'USDT'));
    expect(DecodeError.is(foreign)).toBe(true);
    expect(String(foreign)).toContain('currency');

    const watcher = await corruptWatcher(conn());
    try {
      const listed = await new AccountCache(watcher.conn).getUserBalances(7);
      expect(listed).toEqual({ ETH: eth });
      expect(watcher.reports.map((r) => r.field).sort()).toEqual(['BTC', 'USDT']);
    } finally {
      await watcher.conn.close();
    }
  });

  it("refuses another account's balance of the same currency copied under an account", async () => {
    const accounts = new AccountCache(conn());
    await accounts.setUserBalances(9, { BTC: btc });
    await accounts.setUserBalances(10, { BTC: eth, ETH: eth });
    const keys = new AccountKeys(conn().keys);
    const from = keys.balances('10');
    const to = keys.balances('9');
    const bytes = await conn().send<Buffer>(from, ['HGET', from, 'BTC'], { buffers: true });
    await conn().send(to, ['HSET', to, 'BTC', bytes]);

    const foreign = await rejection(accounts.getUserBalance(9, 'BTC'));
    expect(DecodeError.is(foreign) && foreign.key).toBe(to);
    const watcher = await corruptWatcher(conn());
    try {
      const reader = new AccountCache(watcher.conn);
      expect(await reader.getUserBalances(9)).toEqual({});
      expect((await reader.getAllAccounts())['9']).toBeUndefined();
      // Other tests of this file leave corrupt accounts of their own: count this one's reports.
      expect(watcher.reports.filter((r) => r.key === to)).toHaveLength(2);
    } finally {
      await watcher.conn.close();
    }
  });

  it('refuses to write over a key of a foreign type, writing nothing', async () => {
    const accounts = new AccountCache(conn());
    const key = new AccountKeys(conn().keys).balances('8');
    await conn().send(key, ['SET', key, 'not a hash']);
    const before = await snapshotKeyspace(conn());
    const error = await rejection(accounts.updateUserBalance(8, 'BTC', btc));
    expect(DecodeError.is(error)).toBe(true);
    expect(await snapshotKeyspace(conn())).toEqual(before);
  });
});
