/**
 * Runs every example program in turn (`pnpm examples`) and exits non-zero if any fails.
 * One Redis serves them all: the configured one, one on localhost:6379, or a throwaway
 * redis-server started here (see `ensureRedis`).
 */
import { ensureRedis, REDIS_INSTALL_HINT } from '@fullon/core/server';
import { EXAMPLE_PROGRAMS, spawnExample } from './lib/spawn-example.js';

let redis: Awaited<ReturnType<typeof ensureRedis>>;
try {
  redis = await ensureRedis();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(REDIS_INSTALL_HINT);
  process.exit(1);
}

const env: NodeJS.ProcessEnv = { ...process.env };
const url = redis.options.url;
if (url !== undefined && env.REDIS_URL === undefined) env.REDIS_URL = url;
if (redis.options.host !== undefined && env.REDIS_URL === undefined) {
  env.REDIS_URL = `redis://${redis.options.host}:${redis.options.port ?? 6379}`;
}

const failed: string[] = [];
for (const name of EXAMPLE_PROGRAMS) {
  const result = spawnExample(name, { env, args: process.argv.slice(2), stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
}
await redis.stop();
console.log(
  `examples: ${EXAMPLE_PROGRAMS.length - failed.length} passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
