import { type CacheConnection, connect } from '@fullon/core';
import { type RedisServerHandle, startRedisServer } from '@fullon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaches } from './index.js';
import { exerciseEveryCache } from './test-helpers.js';

// Every cache end to end as an ACL user limited to the prefix, with the line docs/operations.md
// gives (keys and channels of the prefix, the tick patterns named, dangerous commands removed).
describe('every cache under a least-privilege ACL user', () => {
  let server: RedisServerHandle;
  let admin: CacheConnection;
  const prefix = 'least';

  beforeAll(async () => {
    server = await startRedisServer();
    admin = await connect({ url: server.url, prefix });
    await admin.send(undefined, [
      'ACL',
      'SETUSER',
      'app',
      'on',
      '>secret',
      `~${prefix}:*`,
      'resetchannels',
      `&${prefix}:*`,
      `&${prefix}:ch:tick:*:*`,
      '+@all',
      '-@dangerous',
    ]);
  });

  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  it('writes, reads, pops, claims, drains, subscribes and reports health', async () => {
    const url = new URL(server.url);
    url.username = 'app';
    url.password = 'secret';
    await using conn = await connect({ url: url.toString(), prefix });
    expect(await conn.send(undefined, ['ACL', 'WHOAMI'])).toBe('app');
    const c = createCaches(conn);
    const ticks = c.ticks.subscribe({});
    await ticks.ready;
    await exerciseEveryCache(c);
    expect((await ticks.next()).value).toMatchObject({ symbol: 'BTC/USDT', price: 64_000 });
    await ticks.close();
    const health = await conn.health();
    expect(health.ok).toBe(true);
    // Nothing was written outside the prefix.
    const [, sample] = await admin.send<[string, string[]]>(undefined, [
      'SCAN',
      '0',
      'COUNT',
      '1000',
    ]);
    expect(sample.length).toBeGreaterThan(0);
    expect(sample.filter((key) => !key.startsWith(`${prefix}:`))).toEqual([]);
  });
});
