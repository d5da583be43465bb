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
import { BotCache } from './bot-cache.js';
import { BotKeys, leaseMember } from './keys.js';

describe('BotCache blocks', () => {
  const conn = useTestConnection();

  it('a second bot cannot take a held block', async () => {
    const bots = new BotCache(conn());
    expect(await bots.isBlocked(1, 'BTC/USDT')).toBeNull();
    const first = await bots.blockExchange(1, 'BTC/USDT', 'bot-a');
    expect(first).toMatchObject({ acquired: true, holder: 'bot-a' });
    const second = await bots.blockExchange(1, 'BTC/USDT', 'bot-b');
    expect(second).toEqual({
      acquired: false,
      holder: 'bot-a',
      token: null,
      expiresAt: first.expiresAt,
    });
    expect(await bots.isBlocked(1, 'BTC/USDT')).toBe('bot-a');
    expect(await bots.isBlocked('1', 'BTC/USDT')).toBe('bot-a');
    // Another symbol, or another account, is another block.
    expect((await bots.blockExchange(1, 'ETH/USDT', 'bot-b')).acquired).toBe(true);
    expect((await bots.blockExchange(2, 'BTC/USDT', 'bot-b')).acquired).toBe(true);
  });

  it('the holder renews: blocking again keeps the token and moves the expiry', async () => {
    const bots = new BotCache(conn());
    const first = await bots.blockExchange(3, 'BTC/USDT', 7, { ttlMs: 2_000 });
    if (!first.acquired) return expect.unreachable('not acquired');
    const again = await bots.blockExchange(3, 'BTC/USDT', '7', { ttlMs: 60_000 });
    expect(again.acquired).toBe(true);
    expect(again.token).toBe(first.token);
    expect(again.holder).toBe('7');
    expect(again.expiresAt).toBeGreaterThan(first.expiresAt);
    const key = new BotKeys(conn().keys).block.lease('3', 'BTC/USDT');
    expect(await conn().send<number>(key, ['PTTL', key])).toBeGreaterThan(2_000);

    expect(await bots.renewBlock(3, 'BTC/USDT', 7, { ttlMs: 1_000, token: first.token })).toBe(
      true,
    );
    expect(await conn().send<number>(key, ['PTTL', key])).toBeLessThanOrEqual(1_000);
    expect(await bots.renewBlock(3, 'BTC/USDT', 8)).toBe(false);
    expect(await bots.renewBlock(3, 'BTC/USDT', 7, { token: first.token + 1 })).toBe(false);
    expect(await bots.renewBlock(3, 'NONE/USDT', 7)).toBe(false);
    expect(await bots.isBlocked(3, 'BTC/USDT')).toBe('7');
    // Released, not left to expire: a key expiring mid-test would change the snapshots other
    // tests of this file compare (the prefix is shared).
    expect(await bots.unblockExchange(3, 'BTC/USDT', 7)).toBe(true);
  });

  it('after the TTL another bot takes it, with a larger token', async () => {
    const bots = new BotCache(conn());
    const first = await bots.blockExchange(4, 'BTC/USDT', 'bot-a', { ttlMs: 100 });
    if (!first.acquired) return expect.unreachable('not acquired');
    expect((await bots.blockExchange(4, 'BTC/USDT', 'bot-b')).acquired).toBe(false);
    await until(async () => (await bots.isBlocked(4, 'BTC/USDT')) === null, 5_000);
    const second = await bots.blockExchange(4, 'BTC/USDT', 'bot-b');
    expect(second.acquired).toBe(true);
    expect(second.token ?? 0).toBeGreaterThan(first.token);
    // The expired holder can neither renew nor release the new lease.
    expect(await bots.renewBlock(4, 'BTC/USDT', 'bot-a')).toBe(false);
    expect(await bots.unblockExchange(4, 'BTC/USDT', 'bot-a')).toBe(false);
    expect(await bots.isBlocked(4, 'BTC/USDT')).toBe('bot-b');
  });

  it('only the holder releases; no botId needs force', async () => {
    const bots = new BotCache(conn());
    const held = await bots.blockExchange(5, 'BTC/USDT', 'bot-a');
    expect(await bots.unblockExchange(5, 'BTC/USDT', 'bot-b')).toBe(false);
    expect(
      await bots.unblockExchange(5, 'BTC/USDT', 'bot-a', { token: (held.token ?? 0) + 1 }),
    ).toBe(false);
    expect(await bots.isBlocked(5, 'BTC/USDT')).toBe('bot-a');
    const before = await snapshotKeyspace(conn());
    for (const call of [
      () => bots.unblockExchange(5, 'BTC/USDT', {}),
      () => bots.unblockExchange(5, 'BTC/USDT'),
    ]) {
      const error = await rejection(call());
      expect(ValidationError.is(error)).toBe(true);
      expect((error as ValidationError).field).toBe('botId');
      expect(String(error)).toContain('force');
    }
    expect(await snapshotKeyspace(conn())).toEqual(before);
    expect(await bots.unblockExchange(5, 'BTC/USDT', 'bot-a', { token: held.token ?? 0 })).toBe(
      true,
    );
    expect(await bots.isBlocked(5, 'BTC/USDT')).toBeNull();
    expect(await bots.unblockExchange(5, 'BTC/USDT', 'bot-a')).toBe(false);

    await bots.blockExchange(5, 'ETH/USDT', 'bot-a');
    expect(await bots.unblockExchange(5, 'ETH/USDT', { force: true })).toBe(true);
    expect(await bots.unblockExchange(5, 'ETH/USDT', { force: true })).toBe(false);
    expect(await bots.isBlocked(5, 'ETH/USDT')).toBeNull();
  });

  it('force overrides the holder and bumps the token', async () => {
    const bots = new BotCache(conn());
    const first = await bots.blockExchange(6, 'BTC/USDT', 'bot-a');
    const forced = await bots.blockExchange(6, 'BTC/USDT', 'bot-b', { force: true });
    expect(forced.acquired).toBe(true);
    expect(forced.token ?? 0).toBeGreaterThan(first.token ?? Number.POSITIVE_INFINITY);
    expect(await bots.isBlocked(6, 'BTC/USDT')).toBe('bot-b');
    expect(await bots.renewBlock(6, 'BTC/USDT', 'bot-a')).toBe(false);
    // Forcing one's own lease is a new acquisition too.
    const again = await bots.blockExchange(6, 'BTC/USDT', 'bot-b', { force: true });
    expect(again.token ?? 0).toBeGreaterThan(forced.token ?? Number.POSITIVE_INFINITY);
    expect(await bots.renewBlock(6, 'BTC/USDT', 'bot-b', { token: forced.token ?? 0 })).toBe(false);
  });

  it('hands out strictly increasing tokens, even after the counter is lost', async () => {
    const bots = new BotCache(conn());
    const tokens: number[] = [];
    for (let i = 0; i < 20; i++) {
      const symbol = `S${i % 3}`;
      const lease = await bots.blockExchange(7, symbol, `bot-${i}`, { force: true });
      tokens.push(lease.token ?? 0);
    }
    for (let i = 1; i < tokens.length; i++) {
      expect(tokens[i] ?? 0).toBeGreaterThan(tokens[i - 1] ?? 0);
    }
    // A restart without persistence, or a failover to a replica that missed the last
    // increments, loses the counter: the next token still exceeds every earlier one.
    const fence = new BotKeys(conn().keys).block.fence;
    await conn().send(fence, ['DEL', fence]);
    const after = await bots.blockExchange(7, 'S0', 'bot-x', { force: true });
    expect(after.token ?? 0).toBeGreaterThan(tokens.at(-1) ?? 0);
  });

  it('lists live blocks with holder, expiry and token; expired ones are pruned', async () => {
    const own = await testConnection();
    try {
      const bots = new BotCache(own);
      expect(await bots.getBlocks()).toEqual([]);
      const a = await bots.blockExchange(1, 'ETH/USDT', 'bot-a');
      const b = await bots.blockExchange('kraken:main', 'BTC/USD', 9);
      await bots.blockExchange(1, 'SHORT/USDT', 'bot-c', { ttlMs: 50 });
      await bots.markOpeningPosition(1, 'ETH/USDT', 'bot-a');
      await until(async () => (await bots.getBlocks()).length === 2, 5_000);
      expect(await bots.getBlocks()).toEqual([
        { exId: '1', symbol: 'ETH/USDT', botId: 'bot-a', expiresAt: a.expiresAt, token: a.token },
        {
          exId: 'kraken:main',
          symbol: 'BTC/USD',
          botId: '9',
          expiresAt: b.expiresAt,
          token: b.token,
        },
      ]);
      const index = new BotKeys(own.keys).block.index;
      expect(await own.send<string[]>(index, ['ZRANGE', index, '0', '-1'])).not.toContain(
        leaseMember('1', 'SHORT/USDT'),
      );
      await bots.unblockExchange(1, 'ETH/USDT', 'bot-a');
      expect((await bots.getBlocks()).map((x) => x.symbol)).toEqual(['BTC/USD']);
    } finally {
      await own.clear();
      await own.close();
    }
  });

  it('rejects invalid arguments naming them, and writes nothing', async () => {
    const bots = new BotCache(conn());
    await bots.blockExchange(8, 'BTC/USDT', 'bot-a');
    const before = await snapshotKeyspace(conn());
    const cases: [() => Promise<unknown>, string][] = [
      [() => bots.blockExchange(-1, 'BTC/USDT', 'bot-a'), 'exId'],
      [() => bots.blockExchange(8, '', 'bot-a'), 'symbol'],
      [() => bots.blockExchange(8, 'BTC/USDT', 1.5), 'botId'],
      [() => bots.blockExchange(8, 'BTC/USDT', 'bot-b', { ttlMs: 0 }), 'ttlMs'],
      [() => bots.blockExchange(8, 'BTC/USDT', 'bot-b', { ttlMs: 1e13 }), 'ttlMs'],
      [
        () => bots.blockExchange(8, 'BTC/USDT', 'bot-b', { force: 'yes' as unknown as boolean }),
        'force',
      ],
      [() => bots.renewBlock(8, 'BTC/USDT', 'bot-a', { token: -3 }), 'token'],
      [() => bots.unblockExchange(8, 'BTC/USDT', 'bot-a', { token: 0.5 }), 'token'],
      [() => bots.markOpeningPosition(8, 'x'.repeat(257), 'bot-a'), 'symbol'],
      [() => bots.isBlocked(8, '\uDC00'), 'symbol'],
      [() => bots.holdBlock(8, 'BTC/USDT', 'bot-a', { ttlMs: -1 }), 'ttlMs'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call());
      expect(ValidationError.is(error), String(error)).toBe(true);
      expect((error as ValidationError).field).toBe(field);
    }
    expect(await snapshotKeyspace(conn())).toEqual(before);
  });

  it('a malformed block is a DecodeError; a listing skips and reports it; force replaces it', async () => {
    const bots = new BotCache(conn());
    const keys = new BotKeys(conn().keys);
    await bots.blockExchange(9, 'OK/USDT', 'bot-a');
    await bots.blockExchange(9, 'BAD/USDT', 'bot-a');
    const bad = keys.block.lease('9', 'BAD/USDT');
    await conn().send(bad, ['HDEL', bad, 't']);

    for (const call of [
      bots.isBlocked(9, 'BAD/USDT'),
      bots.blockExchange(9, 'BAD/USDT', 'bot-b'),
    ]) {
      const error = await rejection(call);
      expect(DecodeError.is(error)).toBe(true);
      expect((error as DecodeError).key).toBe(bad);
    }
    const watcher = await corruptWatcher(conn());
    try {
      const listed = await new BotCache(watcher.conn).getBlocks();
      expect(listed.filter((b) => b.exId === '9').map((b) => b.symbol)).toEqual(['OK/USDT']);
      expect(watcher.reports.map((r) => r.key)).toContain(bad);
    } finally {
      await watcher.conn.close();
    }
    const forced = await bots.blockExchange(9, 'BAD/USDT', 'bot-b', { force: true });
    expect(forced.acquired).toBe(true);
    expect(await bots.isBlocked(9, 'BAD/USDT')).toBe('bot-b');
  });
});

describe('BotCache opening-position markers', () => {
  const conn = useTestConnection();

  it('follow the lease rules, apart from blocks', async () => {
    const bots = new BotCache(conn());
    expect(await bots.isOpeningPosition(1, 'BTC/USDT')).toBeNull();
    // Long enough that a busy machine cannot let it expire before the checks below (it did at
    // 100 ms), short enough to wait out.
    const mark = await bots.markOpeningPosition(1, 'BTC/USDT', 'bot-a', { ttlMs: 1_000 });
    expect(mark.acquired).toBe(true);
    expect(await bots.isOpeningPosition(1, 'BTC/USDT')).toBe('bot-a');
    expect(await bots.isBlocked(1, 'BTC/USDT')).toBeNull();
    expect((await bots.markOpeningPosition(1, 'BTC/USDT', 'bot-b')).acquired).toBe(false);
    expect(await bots.unmarkOpeningPosition(1, 'BTC/USDT', 'bot-b')).toBe(false);
    expect((await bots.getOpeningPositions()).map((m) => m.botId)).toEqual(['bot-a']);
    await until(async () => (await bots.isOpeningPosition(1, 'BTC/USDT')) === null, 5_000);
    const next = await bots.markOpeningPosition(1, 'BTC/USDT', 'bot-b');
    expect(next.token ?? 0).toBeGreaterThan(mark.token ?? Number.POSITIVE_INFINITY);
    expect(await bots.unmarkOpeningPosition(1, 'BTC/USDT', 'bot-b')).toBe(true);
    await bots.markOpeningPosition(1, 'ETH/USDT', 'bot-c');
    expect(await bots.unmarkOpeningPosition(1, 'ETH/USDT', { force: true })).toBe(true);
    expect(await bots.getOpeningPositions()).toEqual([]);
  });
});
