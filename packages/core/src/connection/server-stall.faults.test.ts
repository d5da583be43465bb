import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, FullonCacheError } from '../errors.js';
import { defineScript } from '../scripts/script.js';
import { type RedisServerHandle, startRedisServer, untilAnswering } from '../testing/index.js';
import { connect } from './connect.js';
import type { CacheConnection } from './connection.js';

const SOCKET_TIMEOUT_MS = 1000;
const MARGIN_MS = 1500;

/** Awaits `promise`, expects it to reject, and returns the reason with the time it took. */
async function timedRejection(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new FullonCacheError('expected a rejection, the promise resolved');
}

const counter = defineScript(
  'test.counter',
  "-- KEYS[1] counter; ARGV[1] increment\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])",
);

describe('faults, on a server the test owns', () => {
  let server: RedisServerHandle;
  let conn: CacheConnection;
  const events: string[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
    conn = await connect({ url: server.url, prefix: 'faults', socketTimeoutMs: SOCKET_TIMEOUT_MS });
    conn.events.on('disconnected', () => events.push('disconnected'));
    conn.events.on('ready', () => events.push('ready'));
  });
  afterAll(async () => {
    await conn.close();
    await server.stop();
  });

  it('fails every kind of call with ConnectionError within the socket timeout while the server is down', async () => {
    const key = conn.keys.tagged('k', 't', 'a');
    await conn.send(key, ['SET', key, 'v']);
    await server.killServer();

    const calls: [string, () => Promise<unknown>][] = [
      ['send', () => conn.send(key, ['GET', key])],
      ['ping', () => conn.ping()],
      ['runScript', () => conn.runScript(counter, [key], ['1'])],
      ['blocking', () => conn.blocking(key, ['BLPOP', key, '5'])],
      ['publish', () => conn.publish(conn.keys.channel('c'), 'm')],
      ['health', () => conn.health()],
      ['clear', () => conn.clear()],
      ['subscribe', () => conn.subscribe({ channels: [conn.keys.channel('down')] })],
    ];
    const results = await Promise.all(calls.map(([, call]) => timedRejection(call())));
    for (const [i, { error, ms }] of results.entries()) {
      const name = calls[i]?.[0];
      expect(ConnectionError.is(error), `${name}: ${String(error)}`).toBe(true);
      expect(ms, `${name} took ${ms} ms`).toBeLessThan(SOCKET_TIMEOUT_MS + MARGIN_MS);
    }
    expect(events).toContain('disconnected');
  });

  it('works again, on the same connection object, after restartServer()', async () => {
    await server.restartServer();
    await untilAnswering(conn, 20_000);
    expect(events.at(-1)).toBe('ready');

    const key = conn.keys.tagged('k', 't', 'b');
    // The restarted server is empty (nothing is persisted).
    expect(
      await conn.send(conn.keys.tagged('k', 't', 'a'), ['GET', conn.keys.tagged('k', 't', 'a')]),
    ).toBeNull();
    expect(await conn.send(key, ['SET', key, 'again'])).toBe('OK');
    expect(await conn.send(key, ['GET', key])).toBe('again');
    // Its script cache is empty too: NOSCRIPT, then EVAL.
    expect(await conn.runScript(counter, [`${key}:n`], ['5'])).toBe(5);
    const list = conn.keys.tagged('k', 't', 'list');
    await conn.send(list, ['RPUSH', list, 'x']);
    expect(await conn.blocking(list, ['BLPOP', list, '1'])).toStrictEqual([list, 'x']);
    expect((await conn.health()).ok).toBe(true);
  });

  it('rejects a pop that is blocked when the server dies, with ConnectionError', async () => {
    const list = conn.keys.tagged('k', 't', 'waiting');
    const pop = timedRejection(conn.blocking(list, ['BLPOP', list, '30']));
    // Let the BLPOP reach the server before killing it.
    await expect
      .poll(async () => {
        const clients = await conn.send<string>(undefined, ['CLIENT', 'LIST']);
        return clients.includes('cmd=blpop');
      })
      .toBe(true);
    await server.killServer();
    const { error, ms } = await pop;
    expect(ConnectionError.is(error), String(error)).toBe(true);
    expect(ms).toBeLessThan(30_000);
    await server.restartServer();
    await untilAnswering(conn, 20_000);
  });

  it('rejects a command in flight on the shared connection when the server dies', async () => {
    const list = conn.keys.tagged('k', 't', 'shared-wait');
    // A blocking command on the shared connection: in flight until the server dies.
    const pending = timedRejection(conn.send(list, ['BLPOP', list, '30']));
    await server.killServer();
    const { error } = await pending;
    expect(ConnectionError.is(error), String(error)).toBe(true);
    await server.restartServer();
    await untilAnswering(conn, 20_000);
  });

  it('runs a command issued during an outage once the server is back within the socket timeout', async () => {
    await using patient = await connect({
      url: server.url,
      prefix: 'faults',
      socketTimeoutMs: 5000,
    });
    const key = patient.keys.tagged('k', 't', 'late');
    const lost = once(patient.events, 'disconnected');
    await server.killServer();
    await lost;
    const write = patient.send(key, ['SET', key, 'late']);
    await server.restartServer();
    expect(await write).toBe('OK');
    expect(await patient.send(key, ['GET', key])).toBe('late');
    await untilAnswering(conn, 20_000);
  });

  it('close() completes while the server is down, with a pooled connection still opening', async () => {
    const other = await connect({
      url: server.url,
      prefix: 'faults',
      socketTimeoutMs: SOCKET_TIMEOUT_MS,
    });
    const channel = other.keys.channel('down');
    await using _sub = await other.subscribe({ channels: [channel] });
    await server.killServer();
    const list = other.keys.tagged('k', 't', 'down');
    const { error } = await timedRejection(other.blocking(list, ['BLPOP', list, '5']));
    expect(ConnectionError.is(error), String(error)).toBe(true);
    await other.close();
    expect(ConnectionError.is((await timedRejection(other.ping())).error)).toBe(true);
    await server.restartServer();
    await untilAnswering(conn, 20_000);
  });
});

describe('blocking connections are bounded by maxConnections', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('fails a pop with ConnectionError when every dedicated connection stays busy, and keeps the others working', async () => {
    await using conn = await connect({
      url: server.url,
      prefix: 'bounded',
      socketTimeoutMs: SOCKET_TIMEOUT_MS,
      maxConnections: 1,
    });
    const busy = conn.keys.tagged('q', 'busy');
    const waiting = conn.blocking<[string, string]>(busy, ['BLPOP', busy, '10']);
    await expect
      .poll(async () =>
        (await conn.send<string>(undefined, ['CLIENT', 'LIST'])).includes('cmd=blpop'),
      )
      .toBe(true);
    const other = conn.keys.tagged('q', 'other');
    const { error, ms } = await timedRejection(conn.blocking(other, ['BLPOP', other, '1']));
    expect(ConnectionError.is(error), String(error)).toBe(true);
    expect((error as ConnectionError).message).toContain('1 in use');
    expect(ms).toBeLessThan(SOCKET_TIMEOUT_MS + MARGIN_MS);
    await conn.send(busy, ['RPUSH', busy, 'x']);
    expect(await waiting).toStrictEqual([busy, 'x']);
    // The connection is free again.
    await conn.send(other, ['RPUSH', other, 'y']);
    expect(await conn.blocking(other, ['BLPOP', other, '1'])).toStrictEqual([other, 'y']);
  });
});

describe('a server that stops answering, on a server the test owns', () => {
  let server: RedisServerHandle;
  let conn: CacheConnection;
  beforeAll(async () => {
    server = await startRedisServer();
    conn = await connect({ url: server.url, prefix: 'stall', socketTimeoutMs: SOCKET_TIMEOUT_MS });
  });
  afterAll(async () => {
    server.resumeServer();
    await conn.close();
    await server.stop();
  });

  it('fails calls with ConnectionError when the server stops answering but keeps the socket open, and recovers', async () => {
    const key = conn.keys.key('stall');
    await conn.send(key, ['SET', key, 'before']);
    server.pauseServer();
    try {
      const { error } = await timedRejection(conn.send(key, ['GET', key]));
      expect(ConnectionError.is(error), String(error)).toBe(true);
    } finally {
      server.resumeServer();
    }
    await untilAnswering(conn, 20_000);
    expect(await conn.send(key, ['GET', key])).toBe('before');
  });

  it('settles every kind of call (plain, script, pop, publish, subscribe, health) by its deadline plus a margin while the server is paused', async () => {
    const key = conn.keys.key('paused');
    const list = conn.keys.key('paused-list');
    // Warm the pooled and subscriber connections, so calls are written before the pause.
    expect(await conn.blocking(list, ['BLPOP', list, '0.01'])).toBeNull();
    const warm = await conn.subscribe({ channels: [conn.keys.channel('warm')] });
    await warm.close();
    server.pauseServer();
    // Resumed once every call settled, or after 5 s at the latest (a hanging call fails its bound).
    const resume = setTimeout(() => server.resumeServer(), 5000);
    try {
      const calls: [string, number, () => Promise<unknown>][] = [
        ['send', 0, () => conn.send(key, ['GET', key])],
        ['runScript', 0, () => conn.runScript(counter, [key], ['1'])],
        ['blocking', 1000, () => conn.blocking(list, ['BLPOP', list, '1'])],
        ['publish', 0, () => conn.publish(conn.keys.channel('c'), 'm')],
        ['subscribe', 0, () => conn.subscribe({ channels: [conn.keys.channel('paused')] })],
        ['ping', 0, () => conn.ping()],
        ['health', 0, () => conn.health()],
      ];
      const results = await Promise.all(calls.map(([, , call]) => timedRejection(call())));
      for (const [i, { error, ms }] of results.entries()) {
        const [name, deadlineMs] = calls[i] ?? ['?', 0];
        expect(ConnectionError.is(error), `${name}: ${String(error)}`).toBe(true);
        // The socket timeout is the deadline of a plain call; a pop's own timeout comes first.
        expect(ms, `${name} took ${ms} ms`).toBeLessThan(
          deadlineMs + 1.5 * SOCKET_TIMEOUT_MS + 1000,
        );
      }
    } finally {
      clearTimeout(resume);
      server.resumeServer();
    }
    await untilAnswering(conn, 20_000);
  });
});
