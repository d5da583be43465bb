import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../testing/index.js';
import { connect } from './connect.js';
import type { CacheConnection } from './connection.js';

// A least-privilege user without +info: health() degrades (says what it could not read) instead
// of failing, so a dashboard still shows latency and mode.
describe('health() under an ACL user without INFO', () => {
  let server: RedisServerHandle;
  let admin: CacheConnection;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = await connect({ url: server.url, prefix: 'health' });
    await admin.send(undefined, [
      'ACL',
      'SETUSER',
      'noinfo',
      'on',
      '>secret',
      '~health:*',
      '&health:*',
      '+@all',
      '-info',
    ]);
  });

  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  it('reports latency and mode, and names the sections it could not read', async () => {
    const url = new URL(server.url);
    url.username = 'noinfo';
    url.password = 'secret';
    await using conn = await connect({ url: url.toString(), prefix: 'health' });
    const report = await conn.health();
    expect(report).toMatchObject({ ok: true, mode: 'standalone', nodes: 1, serverVersion: '' });
    expect(report.unreadable.sort()).toEqual(['INFO memory', 'INFO server']);
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
    const full = await admin.health();
    expect(full.unreadable).toEqual([]);
    expect(full.serverVersion).toMatch(/^\d+\.\d+/);
  });
});
