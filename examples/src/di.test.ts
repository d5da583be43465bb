import { type CacheConnection, connect } from '@fullon/core';
import { type RedisServerHandle, startRedisServer } from '@fullon/core/server';
import { sleep } from '@fullon/core/testing';
import { TickCache } from '@fullon/tick';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONNECTION,
  clientGone,
  clientId,
  connectedClients,
  createAwilixContainer,
  createTsyringeContainer,
} from './di.js';
import { spawnExample } from './lib/spawn-example.js';

// A server of this file's own: its client count moves only with what the test does.
let server: RedisServerHandle;
let probe: CacheConnection;
let config: { url: string; prefix: string };

beforeAll(async () => {
  server = await startRedisServer();
  config = { url: server.url, prefix: 'di-test' };
  probe = await connect(config);
});

afterAll(async () => {
  await probe?.close();
  await server?.stop();
});

/** Waits (bounded) until the server counts `expected` clients; returns the last count. */
async function clientsSettleAt(expected: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  let count = await connectedClients(probe);
  while (count !== expected && Date.now() < deadline) {
    await sleep(20);
    count = await connectedClients(probe);
  }
  return count;
}

describe('awilix (default PROXY injection mode)', () => {
  it('opens one connection on first use, shares it between resolutions, and dispose() closes it (the client count drops back)', async () => {
    const before = await connectedClients(probe);
    const container = createAwilixContainer(config);
    expect(await connectedClients(probe)).toBe(before); // nothing connects until resolved

    const ticks = await container.cradle.ticks;
    expect(await container.cradle.ticks).toBe(ticks);
    expect(ticks.connection).toBe(await container.cradle.connection);
    await ticks.setTicker({ symbol: 'BTC/USDT', exchange: 'di', price: 1, time: Date.now() });
    expect(await ticks.getPrice('BTC/USDT', 'di')).toBe(1);
    // A subscriber socket too, so dispose has more than the command socket to close.
    const abort = new AbortController();
    const stream = ticks.subscribe({ exchange: 'di', signal: abort.signal });
    const waiting = stream[Symbol.asyncIterator]().next();
    await stream.ready; // the subscriber socket is open and subscribed
    const id = await clientId(await container.cradle.connection);
    expect(await clientGone(probe, id, 0)).toBe(false);
    expect(await connectedClients(probe)).toBeGreaterThan(before);

    await container.dispose();
    abort.abort();
    await waiting.catch(() => undefined);
    expect(await clientsSettleAt(before)).toBe(before);
    expect(await clientGone(probe, id, 0)).toBe(true);
  });

  it('dispose() of a container whose connection was never resolved opens and closes nothing', async () => {
    const before = await connectedClients(probe);
    const container = createAwilixContainer(config);
    await container.dispose();
    expect(await connectedClients(probe)).toBe(before);
  });

  it('dispose() after a failed connect settles (nothing to close)', async () => {
    const container = createAwilixContainer({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 500 });
    await expect(container.cradle.ticks).rejects.toThrow();
    await expect(container.dispose()).resolves.toBeUndefined();
  });
});

describe('tsyringe (factories, no decorators)', () => {
  it('resolves one TickCache on the container connection, and container.dispose() closes the connection (the client count drops back)', async () => {
    const before = await connectedClients(probe);
    const container = await createTsyringeContainer(config);
    const ticks = container.resolve(TickCache);
    expect(container.resolve(TickCache)).toBe(ticks);
    const conn = container.resolve<CacheConnection>(CONNECTION);
    expect(ticks.connection).toBe(conn);
    await ticks.setTicker({ symbol: 'ETH/USDT', exchange: 'di', price: 2, time: Date.now() });
    expect(await ticks.getPrice('ETH/USDT', 'di')).toBe(2);
    const id = await clientId(conn);
    expect(await connectedClients(probe)).toBeGreaterThan(before);

    await container.dispose();
    expect(await clientsSettleAt(before)).toBe(before);
    expect(await clientGone(probe, id, 0)).toBe(true);
  });
});

describe('the di program', () => {
  it('runs both recipes against this server and reports ok', () => {
    const result = spawnExample('di', { env: { ...process.env, REDIS_URL: server.url } });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('== di: ok');
  });
});
