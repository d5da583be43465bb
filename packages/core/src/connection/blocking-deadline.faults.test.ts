import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../errors.js';
import {
  type RedisServerHandle,
  rejection,
  startRedisServer,
  untilAnswering,
} from '../testing/index.js';
import { connect } from './connect.js';
import type { CacheConnection } from './connection.js';
import { blockingTimeoutMs } from './isolated.js';

const SOCKET_TIMEOUT_MS = 1000;
const MARGIN_MS = 1000;
/** The longest the server stays paused: beyond every bound under test. */
const PAUSE_MS = 3500;

describe('blocking pops settle by their own deadline when the server stalls (defect 4)', () => {
  let server: RedisServerHandle;
  let conn: CacheConnection;
  beforeAll(async () => {
    server = await startRedisServer();
    conn = await connect({
      url: server.url,
      prefix: 'stalled',
      socketTimeoutMs: SOCKET_TIMEOUT_MS,
    });
  });
  afterAll(async () => {
    server.resumeServer();
    await conn.close();
    await server.stop();
  });

  /**
   * Runs `call` with the server paused: resumed as soon as the call settles, or after
   * `PAUSE_MS` at the latest (so a call that hangs fails its bound instead of the test).
   */
  async function settlePaused(
    call: () => Promise<unknown>,
  ): Promise<{ error: unknown; ms: number }> {
    server.pauseServer();
    const resume = setTimeout(() => server.resumeServer(), PAUSE_MS);
    const started = performance.now();
    try {
      const error = await rejection(call());
      return { error, ms: performance.now() - started };
    } finally {
      clearTimeout(resume);
      server.resumeServer();
    }
  }

  it('a 1 s BLPOP on a paused server throws ConnectionError by 1 s + margin, and the next pop works', async () => {
    const list = conn.keys.key('q1');
    // Warm a pooled connection, so the pop is written before the pause.
    expect(await conn.blocking(list, ['BLPOP', list, '0.01'])).toBeNull();
    const { error, ms } = await settlePaused(() => conn.blocking(list, ['BLPOP', list, '1']));
    expect(ConnectionError.is(error), String(error)).toBe(true);
    expect((error as { outcome?: unknown }).outcome).toBe('unknown');
    expect(ms).toBeLessThan(1000 + SOCKET_TIMEOUT_MS + MARGIN_MS);
    await untilAnswering(conn, 10_000);
    await conn.send(list, ['RPUSH', list, 'x']);
    expect(await conn.blocking(list, ['BLPOP', list, '1'])).toStrictEqual([list, 'x']);
  });

  it('a BLPOP without timeout (0) on a paused server throws once the watchdog sees the stall', async () => {
    const list = conn.keys.key('q0');
    expect(await conn.blocking(list, ['BLPOP', list, '0.01'])).toBeNull();
    const { error, ms } = await settlePaused(() => conn.blocking(list, ['BLPOP', list, '0']));
    expect(ConnectionError.is(error), String(error)).toBe(true);
    expect(ms).toBeLessThan(2 * SOCKET_TIMEOUT_MS + MARGIN_MS);
  });
});

describe('blockingTimeoutMs', () => {
  it('reads the server-side timeout of each blocking command', () => {
    expect(blockingTimeoutMs(['BLPOP', 'a', 'b', '1.5'])).toBe(1500);
    expect(blockingTimeoutMs(['blmove', 'a', 'b', 'LEFT', 'RIGHT', '2'])).toBe(2000);
    expect(blockingTimeoutMs(['BLMPOP', '3', '1', 'a', 'LEFT'])).toBe(3000);
    expect(blockingTimeoutMs(['XREAD', 'BLOCK', '250', 'STREAMS', 's', '$'])).toBe(250);
    expect(blockingTimeoutMs(['BLPOP', 'a', '0'])).toBeUndefined();
    expect(blockingTimeoutMs(['GET', 'a'])).toBeUndefined();
  });
});
