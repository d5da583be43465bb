/**
 * `pnpm bench [--quick] [--json] [--no-write]`: measures our operations against baselines and
 * writes docs/benchmarks.md. Uses a throwaway redis-server unless REDIS_URL is set.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connect, jsonCodec } from '@fullon/core';
import { startRedisServer } from '@fullon/core/server';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { compare, table, writeReport } from './report.js';
import { measure } from './runner.js';
import { loadSuites } from './suites.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const quick = values.quick === true;
// Quick mode takes the median of 5 short rounds rather than 3 longer ones: on a loaded 2-core
// machine one round in four can run 20-30 % slow for either side, and a median of 3 let two
// such rounds decide a ratio.
const settings = quick
  ? { inFlight: [1, 1_000], rounds: 5, durationMs: 300, warmupMs: 200 }
  : { inFlight: [1, 1_000], rounds: 5, durationMs: 2_000, warmupMs: 500 };
const log = (line: string) => {
  if (values.json !== true) console.log(line);
};

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
function versionOf(name: string): string {
  const path = require.resolve(`${name}/package.json`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

const server = process.env.REDIS_URL ? undefined : await startRedisServer();
const url = process.env.REDIS_URL ?? server?.url ?? '';
const prefix = `bench-${process.pid}`;
const msgpack = await connect({ url, prefix });
const json = await connect({ url, prefix: `${prefix}-json`, codec: jsonCodec });
const nodeRedis = createClient({ url });
nodeRedis.on('error', () => undefined);
await nodeRedis.connect();
const ioredis = new Redis(url, { lazyConnect: true });
const ioredisPipelined = new Redis(url, { lazyConnect: true, enableAutoPipelining: true });
await Promise.all([ioredis.connect(), ioredisPipelined.connect()]);

try {
  const clients = { msgpack, json, nodeRedis, ioredis, ioredisPipelined };
  const suites = await loadSuites(values.only);
  for (const suite of suites) await suite.seed?.(clients);
  const contests = suites.flatMap((suite) => suite.contests(clients));
  log(
    `Measuring ${contests.length} operations (${quick ? 'quick' : 'full'}: ${settings.rounds} rounds × ${settings.durationMs} ms)…`,
  );
  const measurements = await measure(contests, settings);
  const rows = compare(contests, measurements);
  const notes: string[] = [];
  for (const suite of suites) {
    const text = await suite.notes?.(clients, quick);
    if (text !== undefined && text !== '') notes.push(`### ${suite.name}\n\n${text}`);
  }
  const memory = notes.join('\n\n');
  if (values.json === true) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    log(table(rows));
    log(`\n${memory}`);
  }
  // Only a full run of every suite writes docs/benchmarks.md: a quick or partial run would
  // replace the published figures with noisier or fewer ones.
  if (values['no-write'] !== true && !quick && values.only === undefined) {
    const health = await msgpack.health();
    const out = join(here, '..', '..', 'docs', 'benchmarks.md');
    writeReport(
      out,
      {
        mode: quick ? 'quick' : 'full',
        redisVersion: health.serverVersion,
        versions: {
          redis: versionOf('redis'),
          ioredis: versionOf('ioredis'),
          '@msgpack/msgpack': versionOf('@msgpack/msgpack'),
        },
        rounds: settings.rounds,
        durationMs: settings.durationMs,
        memory,
      },
      rows,
      measurements,
    );
    log(`\nWrote ${out}`);
  }
} finally {
  // A throwaway server goes with everything on it; on the user's server (REDIS_URL) the bench
  // deletes its keys, which after a full run takes a while (millions of them).
  if (server === undefined) {
    await msgpack.clear();
    await json.clear();
  }
  await Promise.all([
    msgpack.close(),
    json.close(),
    nodeRedis.disconnect(),
    ioredis.quit(),
    ioredisPipelined.quit(),
  ]);
  await server?.stop();
}
