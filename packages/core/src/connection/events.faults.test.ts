import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, DecodeError } from '../errors.js';
import { type RedisServerHandle, rejection, startRedisServer } from '../testing/index.js';
import { connect } from './connect.js';
import type { CacheConnection } from './connection.js';
import type { ConnectionLogger, ReconnectAttempt } from './types.js';

/** Resolves at the next `event` (unlike `events.once`, an `error` meanwhile does not reject). */
function next(conn: CacheConnection, event: 'ready' | 'disconnected'): Promise<void> {
  return new Promise((resolve) => conn.events.once(event, () => resolve()));
}

/** A logger that keeps every line, as pino or console would receive it. */
function recordingLogger() {
  const lines: { level: keyof ConnectionLogger; message: string; details: object }[] = [];
  const at =
    (level: keyof ConnectionLogger) => (details: Record<string, unknown>, message: string) =>
      lines.push({ level, message, details });
  const logger: ConnectionLogger = { debug: at('debug'), warn: at('warn'), error: at('error') };
  return { logger, lines, messages: (level: string) => lines.filter((l) => l.level === level) };
}

/** Everything a connection emits, in order. */
function recordEvents(conn: CacheConnection) {
  const seen: string[] = [];
  const attempts: ReconnectAttempt[] = [];
  const errors: Error[] = [];
  conn.events.on('ready', () => seen.push('ready'));
  conn.events.on('disconnected', () => seen.push('disconnected'));
  conn.events.on('reconnecting', (attempt) => attempts.push(attempt));
  conn.events.on('error', (error) => errors.push(error));
  conn.events.on('end', () => seen.push('end'));
  return { seen, attempts, errors };
}

describe('connection events and logger', () => {
  let server: RedisServerHandle;

  beforeAll(async () => {
    server = await startRedisServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** Kills the server for `ms`, then restarts it and waits for the connection's `ready`. */
  async function outage(conn: CacheConnection, ms: number): Promise<void> {
    const lost = next(conn, 'disconnected');
    await server.killServer();
    await lost;
    await sleep(ms);
    const back = next(conn, 'ready');
    await server.restartServer();
    await back;
  }

  it('emits one disconnected per outage, reconnecting per attempt, ready when back, end on close', async () => {
    const { logger, messages } = recordingLogger();
    const conn = await connect({
      url: server.url,
      prefix: 'events',
      socketTimeoutMs: 1000,
      logger,
    });
    const { seen, attempts, errors } = recordEvents(conn);

    await outage(conn, 1500);
    // Every failed retry is an `error`, but the outage is one `disconnected`.
    expect(errors.length).toBeGreaterThan(1);
    expect(seen).toEqual(['disconnected', 'ready']);
    expect(attempts.length).toBeGreaterThan(1);
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
    for (const { delayMs } of attempts) expect(delayMs).toBeGreaterThan(0);
    await expect(conn.ping()).resolves.toBeGreaterThanOrEqual(0);

    await outage(conn, 300);
    expect(seen).toEqual(['disconnected', 'ready', 'disconnected', 'ready']);

    // The listeners attached before close() still hear its `end`.
    await conn.close();
    expect(seen.at(-1)).toBe('end');
    expect(seen.filter((event) => event === 'end')).toHaveLength(1);

    expect(messages('warn').map((l) => l.message)).toEqual([
      'Redis connection lost',
      'Redis connection lost',
    ]);
    expect(messages('debug').some((l) => l.message === 'reconnecting to Redis')).toBe(true);
    expect(messages('debug').filter((l) => l.message === 'Redis connection restored')).toHaveLength(
      2,
    );
  });

  it('emits end on destroy(), and nothing after it', async () => {
    const conn = await connect({ url: server.url, prefix: 'events' });
    const { seen } = recordEvents(conn);
    await conn.destroy();
    await conn.close();
    expect(seen).toEqual(['end']);
  });

  it('logs a call slower than slowCallMs, with its command', async () => {
    const { logger, messages } = recordingLogger();
    await using conn = await connect({
      url: server.url,
      prefix: 'events',
      logger,
      slowCallMs: 100,
    });
    const key = conn.keys.key('slow', 'empty');
    await conn.send(key, ['GET', key]);
    expect(messages('warn')).toEqual([]);
    // A blocking pop on the shared connection holds it for 300 ms: a slow call.
    await conn.send(key, ['BLPOP', key, '0.3']);
    const slow = messages('warn');
    expect(slow.map((l) => l.message)).toEqual(['slow Redis call']);
    expect(slow[0]?.details).toMatchObject({ command: 'BLPOP' });
  });

  it('sends corrupt values to the logger when no onCorrupt is given', async () => {
    const { logger, messages } = recordingLogger();
    await using conn = await connect({ url: server.url, prefix: 'events', logger });
    conn.reportCorrupt(new DecodeError('events:tick:x', 'v', 'bad tuple'));
    expect(messages('warn')).toMatchObject([
      { message: 'corrupt value skipped', details: { key: 'events:tick:x' } },
    ]);
  });

  it('logs a refused handshake during a reconnect as an error', async () => {
    const { logger, messages } = recordingLogger();
    await using admin = await connect({ url: server.url });
    await admin.send(undefined, ['CONFIG', 'SET', 'requirepass', 'before']);
    try {
      await using conn = await connect({ url: server.url, password: 'before', logger });
      const id = await conn.send<number>(undefined, ['CLIENT', 'ID']);
      // The password changes and the link drops: every reconnect is now refused.
      await admin.send(undefined, ['CONFIG', 'SET', 'requirepass', 'after']);
      await admin.send(undefined, ['CLIENT', 'KILL', 'ID', String(id)]);
      await expect
        .poll(() => messages('error').map((l) => l.message), { timeout: 10_000 })
        .toContain('Redis refused the connection');
      expect(messages('error')[0]?.details).toMatchObject({
        error: expect.stringContaining('WRONGPASS'),
      });
    } finally {
      await admin.send(undefined, ['CONFIG', 'SET', 'requirepass', '']);
    }
  });

  it('refuses a logger without debug, warn and error, and a slowCallMs out of range', async () => {
    const badLogger = await rejection(
      connect({ url: server.url, logger: { warn() {} } as unknown as ConnectionLogger }),
    );
    expect(badLogger).toBeInstanceOf(ConfigurationError);
    expect((badLogger as ConfigurationError).variable).toBe('logger');
    expect((badLogger as Error).message).toContain('debug, error');
    for (const slowCallMs of [0, 1.5, Number.NaN]) {
      const error = await rejection(connect({ url: server.url, slowCallMs }));
      expect((error as ConfigurationError).variable).toBe('slowCallMs');
    }
  });
});
