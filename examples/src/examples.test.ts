import { ensureRedis, findFreePort, probeRedis } from '@fullon/core/server';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PROGRAMS, spawnExample } from './lib/spawn-example.js';

describe('the embedded default', () => {
  it('starts a throwaway redis-server when none is configured or answering, the examples pass against it, and it is gone afterwards', async () => {
    const probe = { host: '127.0.0.1', port: await findFreePort() };
    const notices: string[] = [];
    const redis = await ensureRedis({ env: {}, probe, log: (line) => notices.push(line) });
    expect(redis.embedded).toBe(true);
    expect(notices.join('\n')).toContain('started a throwaway redis-server');
    const url = redis.options.url ?? '';
    const port = Number(new URL(url).port);
    try {
      for (const name of EXAMPLE_PROGRAMS) {
        const result = spawnExample(name, { env: { ...process.env, REDIS_URL: url } });
        expect(result.status, `${name}: ${result.stdout}\n${result.stderr}`).toBe(0);
        expect(result.stdout).toContain(`== ${name}: ok`);
      }
    } finally {
      await redis.stop();
    }
    expect(await probeRedis('127.0.0.1', port)).toBe(false);
  });
});
