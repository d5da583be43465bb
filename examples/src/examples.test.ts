import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRedis, findFreePort, probeRedis } from '@fullon/core';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs one example program as `pnpm examples` does, against `url`. */
function runExample(name: string, url: string) {
  return spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@fullon/source',
      join(here, `${name}.ts`),
      '--operations',
      'all',
    ],
    { env: { ...process.env, REDIS_URL: url }, encoding: 'utf8', timeout: 60_000 },
  );
}

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
      for (const name of ['core', 'tick', 'exchange']) {
        const result = runExample(name, url);
        expect(result.status, `${name}: ${result.stdout}\n${result.stderr}`).toBe(0);
        expect(result.stdout).toContain(`== ${name}: ok`);
      }
    } finally {
      await redis.stop();
    }
    expect(await probeRedis('127.0.0.1', port)).toBe(false);
  });
});
