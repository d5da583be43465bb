import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectOptions, loadConfig } from '../config/config.js';
import { ConnectionError } from '../errors.js';
import {
  createTestCertificates,
  type RedisClusterHandle,
  type RedisServerHandle,
  rejection,
  startRedisCluster,
  startRedisServer,
  type TestCertificates,
} from '../testing/index.js';
import { connect } from './connect.js';
import type { CacheConnection } from './connection.js';

// Every TLS server here listens on its TLS port only (`--port 0`): a call that works went over
// TLS, on whichever connection it used (shared, pooled blocking, subscriber, tracking).

/** Expects a ConnectionError for the first connect, and returns its message. */
async function connectFailure(options: ConnectOptions): Promise<string> {
  const error = await rejection(connect({ prefix: 'tls', connectTimeoutMs: 2000, ...options }));
  expect(ConnectionError.is(error)).toBe(true);
  expect(error).toMatchObject({ outcome: 'not-sent' });
  return (error as ConnectionError).message;
}

/**
 * A blocking pop and a subscription, each on a dedicated connection of its own, work over
 * the connection's transport (TLS must reach the pooled and the subscriber connections too).
 */
async function expectPopAndMessage(conn: CacheConnection): Promise<void> {
  const queue = conn.keys.tagged('queue', 'q');
  const pop = conn.blocking<[string, string]>(queue, ['BLPOP', queue, '5']);
  const channel = conn.keys.channel('news');
  await using subscription = await conn.subscribe({ channels: [channel] });
  const received = subscription[Symbol.asyncIterator]().next();
  await conn.send(queue, ['RPUSH', queue, 'job']);
  await conn.publish(channel, 'hello');
  expect(await pop).toStrictEqual([queue, 'job']);
  expect((await received).value?.message.toString()).toBe('hello');
}

describe('TLS', () => {
  let certs: TestCertificates;
  let server: RedisServerHandle;
  let mutual: RedisServerHandle;
  let plain: RedisServerHandle;
  let ca: string;

  beforeAll(async () => {
    certs = await createTestCertificates();
    const files = {
      certFile: certs.serverCertFile,
      keyFile: certs.serverKeyFile,
      caFile: certs.caFile,
    };
    [server, mutual, plain] = await Promise.all([
      startRedisServer({ tls: files }),
      startRedisServer({ tls: { ...files, authClients: 'yes' } }),
      startRedisServer(),
    ]);
    ca = readFileSync(certs.caFile, 'utf8');
  });

  afterAll(async () => {
    await Promise.all([server?.stop(), mutual?.stop(), plain?.stop()]);
    certs?.remove();
  });

  it('with the right CA: commands, a blocking pop, a subscription and invalidation tracking work', async () => {
    expect(server.url).toMatch(/^rediss:\/\//);
    await using conn = await connect({ url: server.url, tls: { ca }, prefix: 'tls' });
    expect(await conn.ping()).toBeGreaterThanOrEqual(0);
    const key = conn.keys.key('k');
    await conn.send(key, ['SET', key, 'v']);
    expect(await conn.send(key, ['GET', key])).toBe('v');

    await expectPopAndMessage(conn);

    const invalidated: (readonly string[] | null)[] = [];
    const tracking = conn.trackInvalidations(`${conn.keys.key('inv')}:`, {
      onInvalidate: (keys) => invalidated.push(keys),
      onLive: () => undefined,
      onReset: () => undefined,
    });
    await expect.poll(() => tracking.live).toBe(true);
    const watched = conn.keys.key('inv', 'a');
    await conn.send(watched, ['SET', watched, '1']);
    await expect.poll(() => invalidated.flat()).toContain(watched);
    await tracking.close();
  });

  it('rediss:// with REDIS_TLS_CA_FILE, through loadConfig', async () => {
    const config = loadConfig({
      REDIS_URL: server.url,
      REDIS_TLS_CA_FILE: certs.caFile,
      FULLON_CACHE_PREFIX: 'tls',
    });
    await using conn = await connect(config);
    expect(await conn.ping()).toBeGreaterThanOrEqual(0);
  });

  it('host and port with a tls object (no URL) connect over TLS too', async () => {
    await using conn = await connect({
      host: '127.0.0.1',
      port: server.port,
      tls: { ca },
      prefix: 'tls',
    });
    expect(await conn.ping()).toBeGreaterThanOrEqual(0);
  });

  it('refuses a server whose certificate does not chain to the trusted CA', async () => {
    const message = await connectFailure({
      url: server.url,
      tls: { ca: readFileSync(certs.otherCaFile) },
    });
    expect(message).toMatch(
      new RegExp(
        `^cannot connect to Redis at 127\\.0\\.0\\.1:${server.port}: TLS certificate verification failed: .*tls\\.ca or REDIS_TLS_CA_FILE`,
      ),
    );
    // Refused by the handshake, not by the connect timeout.
    expect(message).not.toMatch(/no answer within/);
  });

  it('refuses a certificate that does not carry the expected name', async () => {
    const message = await connectFailure({
      url: server.url,
      tls: { ca, servername: 'cache.example.com' },
    });
    expect(message).toMatch(
      /TLS certificate verification failed: .*cache\.example\.com.*tls\.servername/,
    );
  });

  it('tls: true against a plaintext port fails with a ConnectionError, bounded by connectTimeoutMs', async () => {
    const message = await connectFailure({ url: plain.url, tls: true, connectTimeoutMs: 1000 });
    expect(message).toMatch(`cannot connect to Redis at 127.0.0.1:${plain.port}`);
    expect(message).toMatch(/TLS is on/);
  });

  it('a plaintext client against the TLS port fails with a ConnectionError', async () => {
    const message = await connectFailure({ host: '127.0.0.1', port: server.port, tls: false });
    expect(message).toMatch(`cannot connect to Redis at 127.0.0.1:${server.port}`);
  });

  it('mutual TLS: a client certificate signed by the CA is let in; none is refused', async () => {
    await using conn = await connect({
      url: mutual.url,
      tls: { ca, cert: readFileSync(certs.clientCertFile), key: readFileSync(certs.clientKeyFile) },
      prefix: 'tls',
    });
    expect(await conn.ping()).toBeGreaterThanOrEqual(0);
    const message = await connectFailure({ url: mutual.url, tls: { ca } });
    expect(message).toMatch(/client certificate .*tls\.cert and tls\.key/);
  });
});

describe('TLS on a cluster', () => {
  let certs: TestCertificates;
  let cluster: RedisClusterHandle;
  let ca: string;

  beforeAll(async () => {
    certs = await createTestCertificates();
    cluster = await startRedisCluster(3, {
      tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, caFile: certs.caFile },
    });
    ca = readFileSync(certs.caFile, 'utf8');
  });

  afterAll(async () => {
    await cluster?.stop();
    certs?.remove();
  });

  it('reaches every master over TLS: commands on many slots, a blocking pop, a subscription', async () => {
    await using conn = await connect({ clusterNodes: cluster.nodes, tls: { ca }, prefix: 'tls' });
    expect((await conn.health()).nodes).toBe(3);
    const keys = Array.from({ length: 30 }, (_, i) => conn.keys.key('k', String(i)));
    await Promise.all(keys.map((k, i) => conn.send(k, ['SET', k, String(i)])));
    expect(await Promise.all(keys.map((k) => conn.send(k, ['GET', k])))).toStrictEqual(
      keys.map((_, i) => String(i)),
    );
    await expectPopAndMessage(conn);
  });

  it('refuses the cluster with a wrong CA, saying why', async () => {
    const error = await rejection(
      connect({
        clusterNodes: cluster.nodes,
        tls: { ca: readFileSync(certs.otherCaFile) },
        prefix: 'tls',
      }),
    );
    expect(ConnectionError.is(error)).toBe(true);
    expect((error as ConnectionError).message).toMatch(
      /^cannot connect to Redis at cluster 127\.0\.0\.1:\d+.*: TLS certificate verification failed/,
    );
  });
});
