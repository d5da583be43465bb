import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../errors.js';
import { findFreePort } from '../server/redis-server.js';
import {
  type RedisServerHandle,
  rejection,
  startRedisServer,
  untilAnswering,
} from '../testing/index.js';
import { connect } from './connect.js';
import type { CacheConnection } from './connection.js';

const MARGIN_MS = 1500;

/** The `outcome` a ConnectionError carries. */
function outcome(error: unknown): unknown {
  return (error as { outcome?: unknown }).outcome;
}

/** Awaits a rejection and how long it took. */
async function timed(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await rejection(promise);
  return { error, ms: performance.now() - started };
}

describe('the first connect is bounded by connectTimeoutMs (defect 3)', () => {
  it('fails with ConnectionError naming host:port when the server is paused (SIGSTOP)', async () => {
    const server = await startRedisServer();
    server.pauseServer();
    try {
      const { error, ms } = await timed(
        connect({ url: server.url, connectTimeoutMs: 500, socketTimeoutMs: 500, prefix: 'p' }),
      );
      expect(ConnectionError.is(error), String(error)).toBe(true);
      expect((error as Error).message).toContain(`127.0.0.1:${server.port}`);
      expect(ms).toBeLessThan(500 + MARGIN_MS);
    } finally {
      server.resumeServer();
      await server.stop();
    }
  });

  it('fails with ConnectionError naming host:port against a listener that never replies', async () => {
    const sockets = new Set<Socket>();
    const listener = createServer((socket) => {
      sockets.add(socket); // accepts, reads, never answers
    });
    const port = await findFreePort();
    await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
    try {
      const { error, ms } = await timed(
        connect({ host: '127.0.0.1', port, connectTimeoutMs: 500, prefix: 'p' }),
      );
      expect(ConnectionError.is(error), String(error)).toBe(true);
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
      expect(ms).toBeLessThan(500 + MARGIN_MS);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});

describe('a ConnectionError says whether the command may have run (defect 6)', () => {
  let server: RedisServerHandle;
  let conn: CacheConnection;
  beforeAll(async () => {
    server = await startRedisServer();
    conn = await connect({ url: server.url, prefix: 'outcome', socketTimeoutMs: 500 });
  });
  afterAll(async () => {
    server.resumeServer();
    await conn.close();
    await server.stop();
  });

  it('is "unknown" for a write in flight when the server stops answering', async () => {
    const key = conn.keys.key('counter');
    await conn.send(key, ['SET', key, '0']);
    server.pauseServer();
    try {
      const { error, ms } = await timed(conn.send(key, ['INCR', key]));
      expect(ConnectionError.is(error), String(error)).toBe(true);
      expect(outcome(error)).toBe('unknown');
      expect(ms).toBeLessThan(500 + MARGIN_MS);
    } finally {
      server.resumeServer();
    }
  });

  it('is "not-sent" for a call made while the server is down, and after close()', async () => {
    const key = conn.keys.key('down');
    await untilAnswering(conn, 1000);
    const lost = once(conn.events, 'disconnected');
    await server.killServer();
    await lost;
    try {
      const { error } = await timed(conn.send(key, ['INCR', key]));
      expect(ConnectionError.is(error), String(error)).toBe(true);
      expect(outcome(error)).toBe('not-sent');
    } finally {
      await server.restartServer();
    }
    const other = await connect({ url: server.url, prefix: 'outcome' });
    await other.close();
    const closed = await rejection(other.send(key, ['INCR', key]));
    expect(ConnectionError.is(closed)).toBe(true);
    expect(outcome(closed)).toBe('not-sent');
  });
});

describe('transient refusals are retriable ConnectionErrors, not COMMAND (defect 2)', () => {
  const servers: RedisServerHandle[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  async function refusalOf(args: readonly string[], command: string[]): Promise<unknown> {
    const server = await startRedisServer({ args });
    servers.push(server);
    await using conn = await connect({ url: server.url, prefix: 'refused' });
    return await rejection(conn.send(command[1], command));
  }

  it('maps CLUSTERDOWN (a cluster node serving no slot) to ConnectionError, not-sent', async () => {
    const error = await refusalOf(['--cluster-enabled', 'yes'], ['GET', 'k']);
    expect(ConnectionError.is(error), String(error)).toBe(true);
    expect(outcome(error)).toBe('not-sent');
    expect((error as Error).message).toContain('CLUSTERDOWN');
  });

  it('maps READONLY (a write sent to a replica) to ConnectionError, not-sent', async () => {
    const dead = await findFreePort();
    const error = await refusalOf(['--replicaof', '127.0.0.1', String(dead)], ['SET', 'k', 'v']);
    expect(ConnectionError.is(error), String(error)).toBe(true);
    expect(outcome(error)).toBe('not-sent');
    expect((error as Error).message).toContain('READONLY');
  });
});
