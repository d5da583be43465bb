import { DecodeError } from '@fullon/core';
import {
  corruptWatcher,
  rejection,
  snapshotKeyspace,
  useTestConnection,
} from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { BotCache } from './bot-cache.js';
import { BotKeys } from './keys.js';

describe('BotCache lease identity', () => {
  const conn = useTestConnection();

  /** Replaces `key`'s hash with `from`'s whole hash, keeping `key`'s TTL. */
  async function copyHash(from: string, key: string): Promise<void> {
    const fields = await conn().send<string[]>(from, ['HGETALL', from]);
    const ttl = await conn().send<number>(key, ['PTTL', key]);
    await conn().send(key, ['DEL', key]);
    await conn().send(key, ['HSET', key, ...fields]);
    await conn().send(key, ['PEXPIRE', key, String(ttl)]);
  }

  it("another lease's whole hash on a lease key is a DecodeError naming it; nothing written", async () => {
    const bots = new BotCache(conn());
    const keys = new BotKeys(conn().keys);
    await bots.blockExchange(10, 'A/USDT', 'bot-a');
    await bots.blockExchange(10, 'B/USDT', 'bot-b');
    await bots.markOpeningPosition(10, 'B/USDT', 'bot-c');
    const block = keys.block.lease('10', 'A/USDT');
    const opening = keys.opening.lease('10', 'B/USDT');
    // Another symbol's block onto this block; the block of the same symbol onto its marker.
    await copyHash(keys.block.lease('10', 'B/USDT'), block);
    await copyHash(keys.block.lease('10', 'B/USDT'), opening);
    const before = await snapshotKeyspace(conn());
    const calls: [string, () => Promise<unknown>][] = [
      [block, () => bots.isBlocked(10, 'A/USDT')],
      [block, () => bots.blockExchange(10, 'A/USDT', 'bot-b')],
      [block, () => bots.blockExchange(10, 'A/USDT', 'bot-x')],
      [block, () => bots.renewBlock(10, 'A/USDT', 'bot-b')],
      [block, () => bots.unblockExchange(10, 'A/USDT', 'bot-b')],
      [block, () => bots.holdBlock(10, 'A/USDT', 'bot-b')],
      [opening, () => bots.isOpeningPosition(10, 'B/USDT')],
      [opening, () => bots.markOpeningPosition(10, 'B/USDT', 'bot-b')],
      [opening, () => bots.unmarkOpeningPosition(10, 'B/USDT', 'bot-b')],
    ];
    for (const [key, call] of calls) {
      const error = await rejection(call());
      expect(DecodeError.is(error), String(error)).toBe(true);
      expect((error as DecodeError).key).toBe(key);
    }
    expect(await snapshotKeyspace(conn())).toEqual(before);

    const watcher = await corruptWatcher(conn());
    try {
      const other = new BotCache(watcher.conn);
      expect((await other.getBlocks()).filter((b) => b.exId === '10').map((b) => b.symbol)).toEqual(
        ['B/USDT'],
      );
      expect((await other.getOpeningPositions()).filter((b) => b.exId === '10')).toEqual([]);
      expect(watcher.reports.map((r) => r.key).sort()).toEqual([block, opening].sort());
    } finally {
      await watcher.conn.close();
    }
    // force replaces it with a lease of its own.
    expect((await bots.blockExchange(10, 'A/USDT', 'bot-x', { force: true })).acquired).toBe(true);
    expect(await bots.isBlocked(10, 'A/USDT')).toBe('bot-x');
    expect(await bots.unmarkOpeningPosition(10, 'B/USDT', { force: true })).toBe(true);
    for (const symbol of ['A/USDT', 'B/USDT']) {
      await bots.unblockExchange(10, symbol, { force: true });
    }
  });

  it('a lease written before leases carried their identity still reads as its own', async () => {
    const bots = new BotCache(conn());
    const key = new BotKeys(conn().keys).block.lease('11', 'A/USDT');
    const held = await bots.blockExchange(11, 'A/USDT', 'bot-a');
    expect(await conn().send<string | null>(key, ['HGET', key, 'k'])).toBe(key);
    await conn().send(key, ['HDEL', key, 'k']);
    expect(await bots.isBlocked(11, 'A/USDT')).toBe('bot-a');
    expect((await bots.getBlocks()).filter((b) => b.exId === '11')).toEqual([
      expect.objectContaining({ botId: 'bot-a', token: held.token }),
    ]);
    expect((await bots.blockExchange(11, 'A/USDT', 'bot-b')).acquired).toBe(false);
    // Its holder's renewal stamps the identity in.
    expect(await bots.renewBlock(11, 'A/USDT', 'bot-a')).toBe(true);
    expect(await conn().send<string | null>(key, ['HGET', key, 'k'])).toBe(key);
    expect(await bots.unblockExchange(11, 'A/USDT', 'bot-a')).toBe(true);
  });
});
