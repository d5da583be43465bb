import { type CacheConnection, ConnectionError, connect } from '@fullon/core';
import {
  type RedisServerHandle,
  rejection,
  startRedisServer,
  untilAnswering,
  untilBlocked,
} from '@fullon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeCache } from './exchange-cache.js';
import { ExchangeKeys } from './keys.js';

describe('popWsError across a server stall (own server)', () => {
  let server: RedisServerHandle;
  let conn: CacheConnection;
  let pusher: CacheConnection;
  beforeAll(async () => {
    server = await startRedisServer();
    conn = await connect({ url: server.url, prefix: 'stall', socketTimeoutMs: 2_000 });
    // The pusher never gives up on its own: its push is written during the stall and answered
    // once the server runs again, so the test knows when the message is stored.
    pusher = await connect({ url: server.url, prefix: 'stall', socketTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    server.resumeServer();
    await conn.close();
    await pusher.close();
    await server.stop();
  });

  it('a message pushed while an abandoned pop waits is delivered to a later pop (defect 3)', async () => {
    const errors = new ExchangeCache(conn);
    const key = new ExchangeKeys(conn.keys).wsErrors(7);
    // Load the push script, so the push during the stall is one command.
    await new ExchangeCache(pusher).pushWsError(7, 'warm');
    expect(await errors.popWsError(7, { timeoutMs: 0 })).toBe('warm');
    const pop = rejection(errors.popWsError(7, { timeoutMs: 8_000 }));
    await untilBlocked(pusher, key);
    server.pauseServer();
    let resumed = false;
    try {
      // Written while the server is stopped: it reaches the server before the pop's
      // connection is dropped, so the server sees the push first when it runs again.
      const pushed = new ExchangeCache(pusher).pushWsError(7, 'socket closed: 1006');
      const error = await pop;
      expect(ConnectionError.is(error), String(error)).toBe(true);
      expect((error as ConnectionError).outcome).toBe('unknown');
      server.resumeServer();
      resumed = true;
      expect(await pushed).toBe(1);
    } finally {
      if (!resumed) server.resumeServer();
    }
    await untilAnswering(conn, 20_000);
    expect(await errors.popWsError(7, { timeoutMs: 2_000 })).toBe('socket closed: 1006');
  });
});
