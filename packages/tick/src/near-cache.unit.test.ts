import type { CacheConnectionLike, InvalidationHandlers } from '@fullon/core';
import { describe, expect, it } from 'vitest';
import { NearCache } from './near-cache.js';
import type { Tick } from './schema.js';

/** A near cache on a fake connection whose invalidation feed the test drives. */
function driven(maxEntries = 100) {
  let handlers: InvalidationHandlers | undefined;
  let closed = 0;
  const conn = {
    trackInvalidations: (_prefix: string, h: InvalidationHandlers) => {
      handlers = h;
      return {
        live: true,
        close: async () => {
          closed++;
        },
      };
    },
  } as unknown as CacheConnectionLike;
  const near = new NearCache(conn, 'p:tick:', maxEntries);
  const feed = () => {
    if (handlers === undefined) throw new TypeError('no feed');
    return handlers;
  };
  return { near, feed, closed: () => closed };
}

const tick = (price: number): Tick => ({ symbol: 'A/B', exchange: 'x', price, time: 1 });

/** Reads `key` through the near cache as TickCache does, with the value Redis answered. */
function read(near: NearCache, key: string, value: Tick | null) {
  const token = near.begin(key);
  return { finish: () => token !== undefined && near.settle(token, value) };
}

describe('NearCache', () => {
  it('serves nothing and keeps nothing until tracking is live', () => {
    const { near, feed } = driven();
    expect(near.live).toBe(false);
    expect(near.begin('k')).toBeUndefined();
    expect(near.lookup('k')).toBeUndefined();
    feed().onLive();
    read(near, 'k', tick(1)).finish();
    expect(near.lookup('k')).toEqual(tick(1));
    expect(Object.isFrozen(near.lookup('k'))).toBe(true);
    expect(near.stats()).toEqual({
      hits: 2,
      misses: 1,
      invalidations: 0,
      evictions: 0,
      flushes: 0,
    });
  });

  it('does not keep a value read before an invalidation of its key that arrived during the read', () => {
    const { near, feed } = driven();
    feed().onLive();
    const stale = read(near, 'k', tick(1));
    const fresh = read(near, 'other', tick(2));
    feed().onInvalidate(['k']);
    stale.finish();
    fresh.finish();
    expect(near.lookup('k')).toBeUndefined();
    expect(near.lookup('other')).toEqual(tick(2));
    // A read that starts after the invalidation is kept.
    read(near, 'k', tick(3)).finish();
    expect(near.lookup('k')).toEqual(tick(3));
  });

  it('does not keep a value read across a reset, even once live again', () => {
    const { near, feed } = driven();
    feed().onLive();
    read(near, 'held', tick(1)).finish();
    const across = read(near, 'k', tick(1));
    feed().onReset();
    expect(near.live).toBe(false);
    expect(near.size).toBe(0);
    expect(near.lookup('held')).toBeUndefined();
    feed().onLive();
    across.finish();
    expect(near.lookup('k')).toBeUndefined();
    expect(near.stats().flushes).toBe(1);
  });

  it('empties on a flush message (null) and stays live', () => {
    const { near, feed } = driven();
    feed().onLive();
    read(near, 'k', tick(1)).finish();
    const during = read(near, 'j', tick(1));
    feed().onInvalidate(null);
    during.finish();
    expect(near.size).toBe(0);
    expect(near.live).toBe(true);
    expect(near.stats().flushes).toBe(1);
  });

  it('drops the least recently used entry past maxEntries', () => {
    const { near, feed } = driven(4);
    feed().onLive();
    for (const key of ['a', 'b', 'c', 'd']) read(near, key, tick(1)).finish();
    // Reading `a` often keeps it: it moves to the recent end.
    for (let i = 0; i < 4; i++) near.lookup('a');
    read(near, 'e', tick(1)).finish();
    read(near, 'f', tick(1)).finish();
    expect(near.size).toBe(4);
    expect(near.lookup('a')).toEqual(tick(1));
    expect(near.lookup('b')).toBeUndefined();
    expect(near.lookup('c')).toBeUndefined();
    expect(near.stats().evictions).toBe(2);
  });

  it('closes its feed once, and serves nothing after', async () => {
    const { near, feed, closed } = driven();
    feed().onLive();
    read(near, 'k', tick(1)).finish();
    await near.close();
    await near.close();
    expect(closed()).toBe(1);
    expect(near.live).toBe(false);
    feed().onLive();
    expect(near.live).toBe(false);
    expect(near.lookup('k')).toBeUndefined();
    expect(await near.ready(10)).toBe(false);
  });
});
