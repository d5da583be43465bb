import { DecodeError, ValidationError } from '@fullon/core';
import {
  corruptWatcher,
  rejection,
  snapshotKeyspace,
  testConnection,
  useTestConnection,
} from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { AccountCache } from './account-cache.js';
import { AccountKeys } from './keys.js';
import { PositionLayout } from './layouts.js';
import type { PositionInput } from './schema.js';

const NOW = Date.now();
const btc: PositionInput = {
  symbol: 'BTC/USDT',
  volume: 0.5,
  price: 64_000,
  cost: 32_000,
  fee: 12.5,
  count: 3,
  time: NOW,
};
const eth: PositionInput = { symbol: 'ETH/USDT', volume: -2, price: 3_100 };

describe('AccountCache positions', () => {
  const conn = useTestConnection();

  it('stores one position and reads it back with its account', async () => {
    const accounts = new AccountCache(conn());
    expect(await accounts.setPosition(1, btc)).toBe(true);
    expect(await accounts.getPosition(1, 'BTC/USDT')).toEqual({ ...btc, exId: 1 });
    expect(await accounts.upsertPosition('1', { ...btc, volume: 0.75 })).toBe(false);
    expect(await accounts.getPosition(1, 'BTC/USDT')).toEqual({ ...btc, volume: 0.75, exId: '1' });
    expect(await accounts.setPosition(1, eth)).toBe(true);
    // Absent optional fields stay absent.
    expect(await accounts.getPosition(1, 'ETH/USDT')).toEqual({ ...eth, exId: 1 });
    expect(await accounts.getPosition(1, 'SOL/USDT')).toBeNull();
    expect(await accounts.getPosition(404, 'BTC/USDT')).toBeNull();
  });

  it('getPositions(1) returns account 1 only, never exchange 2', async () => {
    const accounts = new AccountCache(conn());
    await accounts.upsertPositions(21, [btc, eth]);
    await accounts.upsertPositions(22, [
      { ...btc, volume: 9 },
      { ...eth, symbol: 'SOL/USDT' },
    ]);
    const one = await accounts.getPositions(21);
    expect(one.map((p) => [p.exId, p.symbol])).toEqual([
      [21, 'BTC/USDT'],
      [21, 'ETH/USDT'],
    ]);
    const two = await accounts.getPositions('22');
    expect(two.every((p) => p.exId === 22)).toBe(true);
    expect(two.map((p) => p.symbol)).toEqual(['BTC/USDT', 'SOL/USDT']);
    expect(await accounts.getPositions(23)).toEqual([]);
  });

  it('round-trips a symbol named timestamp', async () => {
    const accounts = new AccountCache(conn());
    await accounts.setPosition(3, { ...eth, symbol: 'timestamp' });
    await accounts.setPosition(3, { ...btc, symbol: 'date' });
    expect(await accounts.getPosition(3, 'timestamp')).toEqual({
      ...eth,
      symbol: 'timestamp',
      exId: 3,
    });
    expect((await accounts.getPositions(3)).map((p) => p.symbol)).toEqual(['date', 'timestamp']);
  });

  it('upsertPositions replaces the account set atomically; [] clears it', async () => {
    const accounts = new AccountCache(conn());
    await accounts.upsertPositions(4, [btc, eth]);
    await accounts.upsertPositions(4, [{ ...eth, volume: -1 }]);
    expect(await accounts.getPositions(4)).toEqual([{ ...eth, volume: -1, exId: 4 }]);
    await accounts.upsertPositions(4, []);
    expect(await accounts.getPositions(4)).toEqual([]);
    const keys = new AccountKeys(conn().keys);
    expect(await conn().send<number>(keys.positions('4'), ['EXISTS', keys.positions('4')])).toBe(0);
  });

  it('a concurrent reader sees the old set or the new one, never a mix', async () => {
    const accounts = new AccountCache(conn());
    const setA = Array.from({ length: 50 }, (_, i) => ({ ...btc, symbol: `A${i}` }));
    const setB = Array.from({ length: 50 }, (_, i) => ({ ...btc, symbol: `B${i}` }));
    await accounts.upsertPositions(5, setA);
    const reads: string[][] = [];
    const writes: Promise<void>[] = [];
    for (let round = 0; round < 20; round++) {
      writes.push(accounts.upsertPositions(5, round % 2 ? setA : setB));
      reads.push((await accounts.getPositions(5)).map((p) => p.symbol[0] ?? ''));
    }
    await Promise.all(writes);
    for (const read of reads) {
      expect(read).toHaveLength(50);
      expect(new Set(read).size).toBe(1);
    }
  });

  it('deletes one position (boolean) and cleans every account (count)', async () => {
    const own = await testConnection();
    try {
      const accounts = new AccountCache(own);
      await accounts.upsertPositions(6, [btc, eth]);
      await accounts.setPosition(7, btc);
      await accounts.setUserBalances(7, { BTC: { total: 1, free: 1, used: 0 } });
      expect(await accounts.deletePosition(6, 'ETH/USDT')).toBe(true);
      expect(await accounts.deletePosition(6, 'ETH/USDT')).toBe(false);
      expect(await accounts.deletePosition(99, 'ETH/USDT')).toBe(false);
      expect((await accounts.getAllPositions()).map((p) => `${p.exId}:${p.symbol}`)).toEqual([
        '6:BTC/USDT',
        '7:BTC/USDT',
      ]);
      expect(await accounts.cleanPositions()).toBe(2);
      expect(await accounts.getAllPositions()).toEqual([]);
      expect(await accounts.cleanPositions()).toBe(0);
      // Balances stay; the account without balances left the index.
      expect(await accounts.getAllAccounts()).toEqual({
        7: { BTC: { total: 1, free: 1, used: 0 } },
      });
      const index = new AccountKeys(own.keys).index;
      expect(await own.send<string[]>(index, ['ZRANGE', index, '0', '-1'])).toEqual(['7']);
    } finally {
      await own.clear();
      await own.close();
    }
  });

  it('rejects invalid positions naming the field, and writes nothing', async () => {
    const accounts = new AccountCache(conn());
    await accounts.setPosition(8, btc);
    const before = await snapshotKeyspace(conn());
    const cases: [() => Promise<unknown>, string][] = [
      [
        () => accounts.setPosition(8, { ...btc, volume: Number.POSITIVE_INFINITY }),
        'position.volume',
      ],
      [() => accounts.setPosition(8, { ...btc, price: -1 }), 'position.price'],
      [() => accounts.setPosition(8, { ...btc, time: 1_700_000_000 }), 'position.time'],
      [() => accounts.setPosition(8, { ...btc, exId: 9 }), 'position.exId'],
      [() => accounts.setPosition(8, { ...btc, symbol: '' }), 'position.symbol'],
      [
        () => accounts.upsertPositions(8, [eth, { ...eth, price: Number.NaN }]),
        'positions[1].price',
      ],
      [() => accounts.upsertPositions(8, [eth, btc, eth]), 'positions[2].symbol'],
      [() => accounts.upsertPositions(8, 'BTC' as unknown as PositionInput[]), 'positions'],
      [() => accounts.deletePosition(8, '\uD800'), 'symbol'],
      [() => accounts.getPositions({} as unknown as number), 'exId'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call());
      expect(ValidationError.is(error), String(error)).toBe(true);
      expect((error as ValidationError).field).toBe(field);
    }
    expect(
      String(await rejection(accounts.setPosition(8, { ...btc, time: 1_700_000_000 }))),
    ).toMatch(/seconds/);
    expect(await snapshotKeyspace(conn())).toEqual(before);
  });

  it('throws DecodeError on a corrupt single read; listings skip and report', async () => {
    const accounts = new AccountCache(conn());
    await accounts.upsertPositions(10, [btc, eth]);
    await accounts.upsertPositions(11, [btc]);
    const keys = new AccountKeys(conn().keys);
    const key = keys.positions('10');
    await conn().send(key, ['HSET', key, 'BTC/USDT', Buffer.from('{"not":"a tuple"}')]);
    // Account 11's position copied into account 10: the right symbol, the wrong account.
    const foreign = PositionLayout.encode(conn().codec, { ...eth, exId: 11 });
    await conn().send(key, ['HSET', key, 'ETH/USDT', foreign]);

    const corrupt = await rejection(accounts.getPosition(10, 'BTC/USDT'));
    expect(DecodeError.is(corrupt)).toBe(true);
    expect((corrupt as DecodeError).key).toBe(key);
    const copied = await rejection(accounts.getPosition(10, 'ETH/USDT'));
    expect(DecodeError.is(copied)).toBe(true);
    expect(String(copied)).toContain('exId');

    const watcher = await corruptWatcher(conn());
    try {
      const cache = new AccountCache(watcher.conn);
      expect(await cache.getPositions(10)).toEqual([]);
      expect((await cache.getAllPositions()).filter((p) => p.exId === 11)).toEqual([
        { ...btc, exId: 11 },
      ]);
      expect(watcher.reports.length).toBeGreaterThanOrEqual(2);
      expect(watcher.reports.every((r) => r.key === key)).toBe(true);
    } finally {
      await watcher.conn.close();
    }
  });
});
