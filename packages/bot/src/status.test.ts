import { ConfigurationError, DecodeError, ValidationError } from '@fullon/core';
import { MIN_EPOCH_MS } from '@fullon/core/author';
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
import { BotKeys } from './keys.js';
import { StatusEntryLayout } from './layouts.js';
import type { JsonValue } from './schema.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe('BotCache status records', () => {
  const conn = useTestConnection();

  it('merges updates atomically and never changes the caller object', async () => {
    const bots = new BotCache(conn());
    const feeds = deepFreeze({
      feed1: { status: 'running', symbols: ['BTC/USDT', 'ETH/USDT'], pnl: -1.5 },
      feed2: 'idle',
    });
    const copy = structuredClone(feeds);
    const first = await bots.updateBot('bot-1', feeds);
    expect(feeds).toEqual(copy);
    expect(first).toBeGreaterThan(MIN_EPOCH_MS);
    const second = await bots.updateBot('bot-1', { feed2: { status: 'stopped' }, feed3: null });
    expect(second).toBeGreaterThanOrEqual(first);
    expect(await bots.getBot('bot-1')).toEqual({
      botId: 'bot-1',
      updatedAt: second,
      data: { feed1: copy.feed1, feed2: { status: 'stopped' }, feed3: null },
    });
    // The stored record is a copy: changing what getBot returned changes nothing.
    const read = await bots.getBot('bot-1');
    if (read === null) return expect.unreachable('no record');
    (read.data.feed1 as { status: string }).status = 'changed';
    const again = await bots.getBot('bot-1');
    expect(again?.data.feed1).toEqual(copy.feed1);
  });

  it('replaces the whole record on request', async () => {
    const bots = new BotCache(conn());
    await bots.updateBot(2, { a: 1, b: 2 });
    await bots.updateBot('2', { c: 3 }, { replace: true });
    expect((await bots.getBot(2))?.data).toEqual({ c: 3 });
  });

  it('keeps all of 20 concurrent updates of different feeds', async () => {
    const other = await testConnection({ prefix: conn().keys.prefix });
    try {
      const caches = [new BotCache(conn()), new BotCache(other)];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          caches[i % 2]?.updateBot('bot-3', { [`feed${i}`]: { n: i } }),
        ),
      );
      const data = (await caches[0]?.getBot('bot-3'))?.data ?? {};
      expect(Object.keys(data)).toHaveLength(20);
      expect(data.feed13).toEqual({ n: 13 });
    } finally {
      await other.close();
    }
  });

  it('lists, deletes one (boolean) and deletes all (count)', async () => {
    const own = await testConnection();
    try {
      const bots = new BotCache(own);
      expect(await bots.getBots()).toEqual({});
      expect(await bots.getBot('none')).toBeNull();
      await bots.updateBot('a', { feed: 1 });
      await bots.updateBot(7, { feed: 2 });
      await bots.updateBot('b', { feed: 3 });
      const all = await bots.getBots();
      expect(Object.keys(all).sort()).toEqual(['7', 'a', 'b']);
      expect(all['7']?.data).toEqual({ feed: 2 });
      expect(await bots.deleteBot('a')).toBe(true);
      expect(await bots.deleteBot('a')).toBe(false);
      expect(await bots.deleteBots()).toBe(2);
      expect(await bots.deleteBots()).toBe(0);
      expect(await bots.getBots()).toEqual({});
      // Leases are not status records: deleteBots leaves them.
      await bots.blockExchange(1, 'BTC/USDT', 'a');
      await bots.deleteBots();
      expect(await bots.isBlocked(1, 'BTC/USDT')).toBe('a');
    } finally {
      await own.clear();
      await own.close();
    }
  });

  it('expires a record ttlMs after its last update', async () => {
    const own = await testConnection();
    try {
      const bots = new BotCache(own, { ttlMs: 50 });
      await bots.updateBot('short', { feed: 1 });
      await until(async () => (await bots.getBot('short')) === null, {
        timeoutMs: 5_000,
        intervalMs: 20,
      });
      expect(await bots.getBot('short')).toBeNull();
      expect(await bots.getBots()).toEqual({});
    } finally {
      await own.clear();
      await own.close();
    }
  });

  it('rejects data that is not plain, naming the path, and writes nothing', async () => {
    const bots = new BotCache(conn());
    await bots.updateBot('bot-4', { feed: 1 });
    const before = await snapshotKeyspace(conn());
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: [() => Promise<unknown>, string][] = [
      [() => bots.updateBot('bot-4', { feed: { price: Number.NaN } }), 'data.feed.price'],
      [() => bots.updateBot('bot-4', { feed: [1, new Date()] } as never), 'data.feed[1]'],
      [() => bots.updateBot('bot-4', { feed: () => 1 } as never), 'data.feed'],
      [() => bots.updateBot('bot-4', { feed: cyclic } as never), 'data.feed'],
      [() => bots.updateBot('bot-4', { '': 1 }), 'data.""'],
      [() => bots.updateBot('bot-4', [] as never), 'data'],
      // A lone surrogate has no UTF-8 form: it would be stored as U+FFFD, a changed value.
      [() => bots.updateBot('bot-4', { feed: ['ok', 'a\uD800'] }), 'data.feed[1]'],
      [() => bots.updateBot('bot-4', { feed: { 'k\uDC00': 1 } }), 'data.feed'],
      [() => bots.updateBot('', { feed: 1 }), 'botId'],
      [() => bots.updateBot('bot-4', { feed: 1 }, { replace: 1 as never }), 'replace'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call());
      expect(ValidationError.is(error), String(error)).toBe(true);
      expect((error as ValidationError).field.startsWith(field), String(error)).toBe(true);
    }
    expect(await snapshotKeyspace(conn())).toEqual(before);
  });

  it('a corrupt entry fails getBot; getBots skips that bot and reports it', async () => {
    const bots = new BotCache(conn());
    await bots.updateBot('good', { feed: 1 });
    await bots.updateBot('bad', { feed: 1, other: 2 });
    const key = new BotKeys(conn().keys).status('bad');
    const foreign = StatusEntryLayout.encode(conn().codec, {
      key: 'other',
      botId: 'bad',
      value: 5 as JsonValue,
    });
    await conn().send(key, ['HSET', key, 'feed', foreign]);
    const error = await rejection(bots.getBot('bad'));
    expect(DecodeError.is(error)).toBe(true);
    expect((error as DecodeError).field).toBe('feed');

    const watcher = await corruptWatcher(conn());
    try {
      const all = await new BotCache(watcher.conn).getBots();
      expect(Object.keys(all)).toContain('good');
      expect(Object.keys(all)).not.toContain('bad');
      expect(watcher.reports.map((r) => r.key)).toEqual([key]);
    } finally {
      await watcher.conn.close();
    }
  });

  it("refuses another bot's entry of the same feed copied into a bot's record", async () => {
    const bots = new BotCache(conn());
    await bots.updateBot('copy-to', { feed: 'mine' });
    await bots.updateBot('copy-from', { feed: 'theirs' });
    const keys = new BotKeys(conn().keys);
    const from = keys.status('copy-from');
    const to = keys.status('copy-to');
    const bytes = await conn().send<Buffer>(from, ['HGET', from, 'feed'], { buffers: true });
    await conn().send(to, ['HSET', to, 'feed', bytes]);

    const error = await rejection(bots.getBot('copy-to'));
    expect(DecodeError.is(error) && error.key).toBe(to);
    const watcher = await corruptWatcher(conn());
    try {
      const all = await new BotCache(watcher.conn).getBots();
      expect(Object.keys(all)).not.toContain('copy-to');
      expect(all['copy-from']?.data).toEqual({ feed: 'theirs' });
      expect(watcher.reports.filter((r) => r.key === to)).toHaveLength(1);
    } finally {
      await watcher.conn.close();
    }
  });

  it('refuses a wrong connection argument and validates ttlMs', () => {
    expect(() => new BotCache({} as never)).toThrow(/BotCache/);
    try {
      new BotCache(undefined as never);
    } catch (error) {
      expect(ConfigurationError.is(error)).toBe(true);
    }
    expect(() => new BotCache(conn(), { ttlMs: 0 })).toThrow(/ttlMs/);
  });
});
