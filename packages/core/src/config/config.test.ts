import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { connect } from '../connection/connect.js';
import { ConfigurationError } from '../errors.js';
import { redisTarget, uniquePrefix } from '../testing/index.js';
import { type CacheConfig, loadConfig, resolveConfig } from './config.js';

/** Runs `fn`, expects a ConfigurationError, and returns it. */
function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(ConfigurationError.is(error)).toBe(true);
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new ConfigurationError('test', 'expected a ConfigurationError, nothing was thrown');
}

/** A URL reaching the suite's Redis as a plain (non-cluster) client. */
function plainUrl(): string {
  const target = redisTarget();
  if (target.mode === 'standalone') return target.url;
  const [first] = target.nodes;
  if (first === undefined) throw new ConfigurationError('test', 'cluster target lists no node');
  return `redis://${first.host}:${first.port}`;
}

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    const expected: CacheConfig = {
      host: 'localhost',
      port: 6379,
      db: 0,
      tls: false,
      maxConnections: 50,
      socketTimeoutMs: 5000,
      connectTimeoutMs: 5000,
      prefix: 'fullon',
    };
    expect(loadConfig({})).toStrictEqual(expected);
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({
      REDIS_HOST: '  ',
      REDIS_PORT: '',
      FULLON_CACHE_PREFIX: ' ',
      REDIS_URL: '',
    });
    expect(config.host).toBe('localhost');
    expect(config.port).toBe(6379);
    expect(config.prefix).toBe('fullon');
    expect('url' in config).toBe(false);
  });

  const reads: [string, string, Partial<CacheConfig>][] = [
    [
      'REDIS_URL',
      'rediss://user:pw@cache.example:6380/2',
      { url: 'rediss://user:pw@cache.example:6380/2' },
    ],
    ['REDIS_HOST', 'redis.internal', { host: 'redis.internal' }],
    ['REDIS_PORT', '6380', { port: 6380 }],
    ['REDIS_DB', '15', { db: 15 }],
    ['REDIS_USERNAME', 'trader', { username: 'trader' }],
    ['REDIS_PASSWORD', 's3cret:with:colons', { password: 's3cret:with:colons' }],
    ['REDIS_TLS', 'true', { tls: true }],
    ['REDIS_TLS', '1', { tls: true }],
    ['REDIS_TLS', 'off', { tls: false }],
    [
      'REDIS_CLUSTER_NODES',
      '10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002',
      {
        clusterNodes: [
          { host: '10.0.0.1', port: 7000 },
          { host: '10.0.0.2', port: 7001 },
          { host: '::1', port: 7002 },
        ],
      },
    ],
    ['REDIS_MAX_CONNECTIONS', '7', { maxConnections: 7 }],
    ['REDIS_SOCKET_TIMEOUT', '2.5', { socketTimeoutMs: 2500 }],
    ['REDIS_SOCKET_TIMEOUT', '30', { socketTimeoutMs: 30_000 }],
    ['REDIS_CONNECT_TIMEOUT', '0.25', { connectTimeoutMs: 250 }],
    ['REDIS_CONNECT_TIMEOUT', '12', { connectTimeoutMs: 12_000 }],
    ['FULLON_CACHE_PREFIX', 'my-app_v2.prod', { prefix: 'my-app_v2.prod' }],
  ];
  it.each(reads)('reads %s=%j', (variable, value, expected) => {
    const config = loadConfig({ [variable]: value });
    expect(config).toStrictEqual({ ...loadConfig({}), ...expected });
  });

  const malformed: [string, string][] = [
    ['REDIS_URL', 'not a url'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['REDIS_URL', 'redis://'],
    ['REDIS_URL', 'redis://localhost:6379/99'],
    ['REDIS_URL', 'redis://localhost:6379/16'],
    ['REDIS_URL', 'redis://localhost:6379/one'],
    ['REDIS_URL', 'localhost:6379'],
    ['REDIS_PORT', 'abc'],
    ['REDIS_PORT', '0'],
    ['REDIS_PORT', '65536'],
    ['REDIS_PORT', '-1'],
    ['REDIS_PORT', '63.5'],
    ['REDIS_DB', '16'],
    ['REDIS_DB', 'x'],
    ['REDIS_DB', '-1'],
    ['REDIS_TLS', 'maybe'],
    ['REDIS_CLUSTER_NODES', 'localhost'],
    ['REDIS_CLUSTER_NODES', 'a:1,b'],
    ['REDIS_CLUSTER_NODES', 'a:0'],
    ['REDIS_CLUSTER_NODES', 'a:70000'],
    ['REDIS_CLUSTER_NODES', ' , '],
    ['REDIS_MAX_CONNECTIONS', '0'],
    ['REDIS_MAX_CONNECTIONS', 'many'],
    ['REDIS_MAX_CONNECTIONS', '10001'],
    ['REDIS_SOCKET_TIMEOUT', '0'],
    ['REDIS_SOCKET_TIMEOUT', '-5'],
    ['REDIS_SOCKET_TIMEOUT', 'five'],
    ['REDIS_SOCKET_TIMEOUT', '3601'],
    ['REDIS_SOCKET_TIMEOUT', '1e3'],
    ['REDIS_CONNECT_TIMEOUT', '0'],
    ['REDIS_CONNECT_TIMEOUT', '5s'],
    ['REDIS_CONNECT_TIMEOUT', '4000.5'],
    ['FULLON_CACHE_PREFIX', 'a{b}'],
    ['FULLON_CACHE_PREFIX', 'a:b'],
    ['FULLON_CACHE_PREFIX', 'a*'],
    ['FULLON_CACHE_PREFIX', 'has space'],
    ['FULLON_CACHE_PREFIX', 'x'.repeat(65)],
  ];
  it.each(malformed)('rejects %s=%j with a ConfigurationError naming it', (variable, value) => {
    const error = configurationError(() => loadConfig({ [variable]: value }));
    expect(error.variable).toBe(variable);
    expect(error.code).toBe('CONFIGURATION');
    expect(error.message).toContain(variable);
  });

  describe('envFile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fullon-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads a dotenv file, and variables given in env win over it', () => {
      const file = join(dir, 'test.env');
      writeFileSync(
        file,
        [
          '# a comment',
          'REDIS_HOST=from-file',
          'REDIS_PORT=7001',
          'FULLON_CACHE_PREFIX=fileprefix',
          'REDIS_SOCKET_TIMEOUT=3',
          'REDIS_PASSWORD="quoted secret"',
        ].join('\n'),
      );
      const fromFile = loadConfig({}, { envFile: file });
      expect(fromFile.host).toBe('from-file');
      expect(fromFile.port).toBe(7001);
      expect(fromFile.prefix).toBe('fileprefix');
      expect(fromFile.socketTimeoutMs).toBe(3000);
      expect(fromFile.password).toBe('quoted secret');

      const overridden = loadConfig(
        { REDIS_HOST: 'from-env', REDIS_SOCKET_TIMEOUT: '4' },
        { envFile: file },
      );
      expect(overridden.host).toBe('from-env');
      expect(overridden.socketTimeoutMs).toBe(4000);
      expect(overridden.port).toBe(7001);
    });

    it('reports a malformed value from the file by its variable', () => {
      const file = join(dir, 'bad.env');
      writeFileSync(file, 'REDIS_DB=99\n');
      expect(configurationError(() => loadConfig({}, { envFile: file })).variable).toBe('REDIS_DB');
    });

    it('refuses a file named explicitly that does not exist, naming envFile', () => {
      const missing = join(dir, '.env.typo');
      const error = configurationError(() =>
        loadConfig({ REDIS_PORT: '7002' }, { envFile: missing }),
      );
      expect(error.variable).toBe('envFile');
      expect(error.message).toContain(missing);
    });
  });
});

describe('resolveConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('takes fields not given from the environment', () => {
    vi.stubEnv('REDIS_SOCKET_TIMEOUT', '2');
    vi.stubEnv('FULLON_CACHE_PREFIX', 'fromenv');
    const config = resolveConfig({ url: 'redis://127.0.0.1:1234' });
    expect(config.socketTimeoutMs).toBe(2000);
    expect(config.prefix).toBe('fromenv');
    expect(config.url).toBe('redis://127.0.0.1:1234');
  });

  it('lets an explicit host replace a URL and cluster nodes from the environment', () => {
    vi.stubEnv('REDIS_URL', 'redis://from-env:6379');
    vi.stubEnv('REDIS_CLUSTER_NODES', 'a:7000');
    const config = resolveConfig({ host: '127.0.0.1', port: 7777 });
    expect(config.url).toBeUndefined();
    expect(config.clusterNodes).toBeUndefined();
    expect(config.port).toBe(7777);
  });

  it.each([
    ['port', { port: 0 }],
    ['db', { db: 16 }],
    ['maxConnections', { maxConnections: 0 }],
    ['socketTimeoutMs', { socketTimeoutMs: 1.5 }],
    ['connectTimeoutMs', { connectTimeoutMs: -1 }],
    ['prefix', { prefix: 'bad prefix' }],
    ['url', { url: 'http://x' }],
  ])('rejects a bad %s option naming it', (variable, options) => {
    expect(configurationError(() => resolveConfig(options)).variable).toBe(variable);
  });

  it('rejects a malformed URL string naming url', () => {
    expect(configurationError(() => resolveConfig('localhost:6379')).variable).toBe('url');
  });

  it('says how to write a URL given without its scheme', () => {
    expect(configurationError(() => resolveConfig('localhost:6379')).message).toContain(
      'has no scheme: write it as redis://localhost:6379',
    );
  });

  it('range-checks the database a URL selects, for a string and for { url }', () => {
    for (const input of ['redis://127.0.0.1:6379/99', { url: 'redis://127.0.0.1:6379/99' }]) {
      const error = configurationError(() => resolveConfig(input));
      expect(error.variable).toBe('url');
      expect(error.message).toContain('database "99"');
    }
    expect(resolveConfig('redis://127.0.0.1:6379/15').url).toBe('redis://127.0.0.1:6379/15');
  });
});

describe('connect', () => {
  it("connects with a 'redis://' URL string", async () => {
    await using conn = await connect(plainUrl());
    expect(conn.mode).toBe('standalone');
    expect(conn.config.url).toBe(plainUrl());
    expect(await conn.ping()).toBeGreaterThanOrEqual(0);
    expect(await conn.send(undefined, ['ECHO', 'hello'])).toBe('hello');
  });

  it('connects with { url, prefix } and builds keys under that prefix', async () => {
    const prefix = uniquePrefix('cfg');
    await using conn = await connect({ url: plainUrl(), prefix });
    expect(conn.config.prefix).toBe(prefix);
    expect(conn.keys.key('thing', 'a')).toBe(`${prefix}:thing:a`);
    expect((await conn.health()).prefix).toBe(prefix);
  });
});
