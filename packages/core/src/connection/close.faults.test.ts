import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../errors.js';
import { type RedisServerHandle, rejection, startRedisServer } from '../testing/index.js';
import { connect } from './connect.js';

describe('close() drains, destroy() does not (defect 5)', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('lets 1 000 writes in flight finish, then refuses new calls as not sent', async () => {
    const conn = await connect({ url: server.url, prefix: 'drain', socketTimeoutMs: 1000 });
    const key = conn.keys.key('counter');
    const writes = Array.from({ length: 1000 }, () => conn.send<number>(key, ['INCR', key]));
    const closing = conn.close();
    const late = rejection(conn.send(key, ['INCR', key]));
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === 'rejected')).toStrictEqual([]);
    await closing;
    const refused = await late;
    expect(ConnectionError.is(refused)).toBe(true);
    expect((refused as { outcome?: unknown }).outcome).toBe('not-sent');
    await using check = await connect({ url: server.url, prefix: 'drain' });
    expect(await check.send(key, ['GET', key])).toBe('1000');
  });

  it('lets a blocking pop in flight finish', async () => {
    const conn = await connect({ url: server.url, prefix: 'drain', socketTimeoutMs: 1000 });
    const list = conn.keys.key('list');
    const pop = conn.blocking(list, ['BLPOP', list, '0.3']);
    await expect
      .poll(async () => (await conn.send<string>(undefined, ['CLIENT', 'LIST'])).includes('blpop'))
      .toBe(true);
    await conn.close();
    expect(await pop).toBeNull();
  });

  it('destroy() rejects calls in flight at once, outcome unknown', async () => {
    const conn = await connect({ url: server.url, prefix: 'drain', socketTimeoutMs: 1000 });
    const list = conn.keys.key('never');
    const pending = rejection(conn.send(list, ['BLPOP', list, '30']));
    await expect
      .poll(async () => {
        await using observer = await connect({ url: server.url, prefix: 'drain' });
        return (await observer.send<string>(undefined, ['CLIENT', 'LIST'])).includes('blpop');
      })
      .toBe(true);
    await conn.destroy();
    const error = await pending;
    expect(ConnectionError.is(error)).toBe(true);
    expect((error as { outcome?: unknown }).outcome).toBe('unknown');
  });
});
