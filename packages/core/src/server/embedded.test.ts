import { describe, expect, it } from 'vitest';
import { connect } from '../connection/connect.js';
import { ConnectionError } from '../errors.js';
import { redisTarget, rejection } from '../testing/index.js';
import { ensureRedis } from './embedded.js';
import { findFreePort, probeRedis } from './redis-server.js';

describe('ensureRedis', () => {
  it('starts a throwaway redis-server when nothing is configured and nothing answers', async () => {
    const probePort = await findFreePort();
    const lines: string[] = [];
    const ensured = await ensureRedis({
      env: {},
      probe: { host: '127.0.0.1', port: probePort },
      log: (line) => lines.push(line),
    });
    try {
      expect(ensured.embedded).toBe(true);
      expect(lines.join('\n')).toContain('redis-server');
      const url = new URL(ensured.options.url ?? '');
      const port = Number(url.port);
      expect(port).not.toBe(probePort);
      expect(await probeRedis('127.0.0.1', port)).toBe(true);
      {
        await using conn = await connect({ ...ensured.options, prefix: 'embedded' });
        expect(await conn.ping()).toBeGreaterThanOrEqual(0);
        const key = conn.keys.key('k');
        await conn.send(key, ['SET', key, 'v']);
        expect(await conn.send(key, ['GET', key])).toBe('v');
      }
      await ensured.stop();
      expect(await probeRedis('127.0.0.1', port)).toBe(false);
      // Stopping twice is harmless.
      await ensured.stop();
    } finally {
      await ensured.stop();
    }
  });

  it('uses a configured address as it is, without starting anything, even when unreachable', async () => {
    const port = await findFreePort();
    const lines: string[] = [];
    const ensured = await ensureRedis({
      env: { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port) },
      probe: { host: '127.0.0.1', port: await findFreePort() },
      log: (line) => lines.push(line),
    });
    expect(ensured.embedded).toBe(false);
    expect(lines).toStrictEqual([]);
    expect(ensured.options.host).toBe('127.0.0.1');
    expect(ensured.options.port).toBe(port);
    const error = await rejection(connect(ensured.options));
    expect(ConnectionError.is(error), String(error)).toBe(true);
    expect((error as ConnectionError).message).toContain(`127.0.0.1:${port}`);
    expect(await probeRedis('127.0.0.1', port)).toBe(false);
    await ensured.stop();
  });

  it('uses a Redis that answers on the probe address', async () => {
    const target = redisTarget();
    const address =
      target.mode === 'standalone'
        ? { host: new URL(target.url).hostname, port: Number(new URL(target.url).port) }
        : { host: target.nodes[0]?.host ?? '', port: target.nodes[0]?.port ?? 0 };
    const ensured = await ensureRedis({ env: {}, probe: address, log: () => undefined });
    expect(ensured.embedded).toBe(false);
    expect(ensured.options).toMatchObject(address);
    await using conn = await connect({ ...ensured.options, prefix: 'probed' });
    expect(await conn.ping()).toBeGreaterThanOrEqual(0);
    await ensured.stop();
    // Not ours: stop() leaves it running.
    expect(await probeRedis(address.host, address.port)).toBe(true);
  });
});
