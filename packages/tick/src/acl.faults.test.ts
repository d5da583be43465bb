import { type CacheConnection, connect } from '@fullon/core';
import { type RedisServerHandle, rejection, startRedisServer } from '@fullon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import { makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

// A user that may read and write keys but publish on no channel: every write script fails at its
// PUBLISH, which comes before its first write, so nothing is stored (the rule of docs/keys.md).
describe('TickCache writes under an ACL user without channel rights', () => {
  let server: RedisServerHandle;
  let admin: CacheConnection;
  let restricted: CacheConnection;
  const prefix = 'acl';

  beforeAll(async () => {
    server = await startRedisServer();
    admin = await connect({ url: server.url, prefix });
    await admin.send(undefined, [
      'ACL',
      'SETUSER',
      'nopublish',
      'on',
      '>secret',
      `~${prefix}:*`,
      'resetchannels',
      '+@all',
    ]);
    const url = new URL(server.url);
    url.username = 'nopublish';
    url.password = 'secret';
    restricted = await connect({ url: url.toString(), prefix });
    // The restricted connection really is that user.
    expect(await restricted.send(undefined, ['ACL', 'WHOAMI'])).toBe('nopublish');
  });

  afterAll(async () => {
    await restricted?.close();
    await admin?.close();
    await server?.stop();
  });

  it('setTicker and setTickers fail and store nothing, not even an index entry', async () => {
    const ticks = new TickCache(restricted);
    const keys = new TickKeys(admin.keys);
    const tick = makeTick({ symbol: 'ACL/USDT', exchange: 'acl-ex' });
    expect(await rejection(ticks.setTicker(tick))).toMatchObject({ code: 'COMMAND' });
    expect(
      await rejection(
        ticks.setTickers([tick, makeTick({ symbol: 'ACL2/USDT', exchange: 'acl-ex' })]),
      ),
    ).toMatchObject({ code: 'COMMAND' });
    const ticker = keys.ticker('acl-ex', 'ACL/USDT');
    const index = keys.index('acl-ex');
    expect(await admin.send(ticker, ['EXISTS', ticker])).toBe(0);
    expect(await admin.send(index, ['EXISTS', index])).toBe(0);
    expect(await new TickCache(admin).getTicker('ACL/USDT', 'acl-ex')).toBeNull();
  });

  it('updateTicker fails and leaves the stored tick as it was', async () => {
    const stored = makeTick({ symbol: 'KEEP/USDT', exchange: 'acl-ex', price: 5 });
    await new TickCache(admin).setTicker(stored);
    const error = await rejection(
      new TickCache(restricted).updateTicker('KEEP/USDT', 'acl-ex', { price: 6 }),
    );
    expect(error).toMatchObject({ code: 'COMMAND' });
    expect(await new TickCache(admin).getTicker('KEEP/USDT', 'acl-ex')).toEqual(stored);
  });
});

// Redis 7 compares a PSUBSCRIBE pattern literally with the user's channel rules, so `&acl:*`
// alone does not allow the patterns of subscribe({}) or subscribe({ exchange }): the ACL must
// name each pattern (docs/operations.md gives the line).
describe('TickCache.subscribe under a least-privilege ACL user', () => {
  let server: RedisServerHandle;
  let admin: CacheConnection;
  const prefix = 'acl';
  const userConnection = async (user: string): Promise<CacheConnection> => {
    const url = new URL(server.url);
    url.username = user;
    url.password = 'secret';
    return connect({ url: url.toString(), prefix });
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = await connect({ url: server.url, prefix });
    const base = ['on', '>secret', `~${prefix}:*`, 'resetchannels', `&${prefix}:*`, '+@all'];
    await admin.send(undefined, ['ACL', 'SETUSER', 'prefix-only', ...base]);
    await admin.send(undefined, [
      'ACL',
      'SETUSER',
      'documented',
      ...base,
      `&${prefix}:ch:tick:*:*`,
      `&${prefix}:ch:tick:binance:*`,
    ]);
  });

  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  it('with only the prefix rule, pattern subscriptions are refused (PubSubError), a single ticker works', async () => {
    await using conn = await userConnection('prefix-only');
    const ticks = new TickCache(conn);
    const all = ticks.subscribe({});
    expect(await rejection(all.ready)).toMatchObject({ code: 'PUBSUB' });
    const one = ticks.subscribe({ symbol: 'BTC/USDT', exchange: 'binance' });
    await one.ready;
    await ticks.setTicker(makeTick({ symbol: 'BTC/USDT', exchange: 'binance', price: 1 }));
    expect((await one.next()).value).toMatchObject({ price: 1 });
    await one.close();
  });

  it('with the documented patterns, every-exchange and one-exchange subscriptions work', async () => {
    await using conn = await userConnection('documented');
    const ticks = new TickCache(conn);
    const all = ticks.subscribe({});
    const binance = ticks.subscribe({ exchange: 'binance' });
    await Promise.all([all.ready, binance.ready]);
    await ticks.setTicker(makeTick({ symbol: 'ETH/USDT', exchange: 'binance', price: 2 }));
    expect((await all.next()).value).toMatchObject({ symbol: 'ETH/USDT', price: 2 });
    expect((await binance.next()).value).toMatchObject({ symbol: 'ETH/USDT', price: 2 });
    await Promise.all([all.close(), binance.close()]);
  });
});
