import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type CacheConnection, ConnectionError, connect } from '@fullon/core';
import {
  type RedisServerHandle,
  rejection,
  startRedisServer,
  untilAnswering,
  untilBlocked,
} from '@fullon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradeKeys } from './keys.js';
import { encodeTrade } from './layouts.js';
import { makeTrade } from './test-helpers.js';
import { TradesCache } from './trades-cache.js';

const SOCKET_TIMEOUT_MS = 2_000;
const CHILD = fileURLToPath(new URL('../test/close-after-stall.ts', import.meta.url));

describe('popUserTrade across a server stall (own server)', () => {
  let server: RedisServerHandle;
  let conn: CacheConnection;
  let pusher: CacheConnection;
  beforeAll(async () => {
    server = await startRedisServer();
    conn = await connect({ url: server.url, prefix: 'stall', socketTimeoutMs: SOCKET_TIMEOUT_MS });
    // The pusher never gives up on its own: its push is written during the stall and answered
    // once the server runs again, so the test knows when the trade is stored.
    pusher = await connect({ url: server.url, prefix: 'stall', socketTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    server.resumeServer();
    await conn.close();
    await pusher.close();
    await server.stop();
  });

  it('a trade pushed while an abandoned pop waits is delivered to a later pop (defect 3)', async () => {
    const trades = new TradesCache(conn);
    const key = new TradeKeys(conn.keys).userTrades('binance', '1');
    const pop = rejection(trades.popUserTrade(1, 'binance', { timeoutMs: 8_000 }));
    await untilBlocked(pusher, key);
    server.pauseServer();
    let resumed = false;
    try {
      // Written while the server is stopped: it reaches the server before the pop's
      // connection is dropped, so the server sees the push first when it runs again.
      const bytes = encodeTrade(pusher.codec, makeTrade({ tradeId: 99 }));
      const pushed = pusher.send(key, ['RPUSH', key, bytes]);
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
    expect(await trades.popUserTrade(1, 'binance', { timeoutMs: 2_000 })).toMatchObject({
      tradeId: 99,
    });
  });

  it('close() after a stalled pop leaves no socket open: the process exits by itself (defect 18)', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@fullon/source', CHILD],
      {
        env: { ...process.env, TRADES_TEST_URL: server.url },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const exited = once(child, 'exit');
    const lines: string[] = [];
    let waiting: { prefix: string; resolve: (line: string) => void } | undefined;
    let rest = '';
    child.stdout.on('data', (chunk: Buffer) => {
      rest += chunk.toString();
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (waiting !== undefined && line.startsWith(waiting.prefix)) waiting.resolve(line);
      }
    });
    const line = (prefix: string) =>
      new Promise<string>((resolve) => {
        const seen = lines.find((l) => l.startsWith(prefix));
        if (seen !== undefined) resolve(seen);
        else waiting = { prefix, resolve };
      });
    try {
      await line('ready');
      await untilBlocked(pusher, new TradeKeys(pusher.keys).userTrades('binance', '1'));
      server.pauseServer();
      expect(await line('rejected')).toBe('rejected unknown');
      server.resumeServer();
      child.stdin.write('go\n');
      await line('closed');
      const bound = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const [code, signal] = await exited;
      clearTimeout(bound);
      expect({ code, signal }).toStrictEqual({ code: 0, signal: null });
    } finally {
      server.resumeServer();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
