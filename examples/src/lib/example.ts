import { parseArgs } from 'node:util';
import { type CacheConnection, connect, FullonCacheError } from '@fullon/core';
import { ensureRedis } from '@fullon/core/server';

/** Command-line options every example accepts. */
export interface ExampleArgs {
  /** Which group of operations to run, e.g. `basic`, `pubsub`, `all`. */
  operations: string;
  /** Print values, not only step names. */
  verbose: boolean;
}

/**
 * Parses `--operations <name>` (default `all`) and `--verbose`.
 * @param allowed - Accepted operation names (`all` is always accepted).
 * @returns The parsed options.
 * @throws {FullonCacheError} on an unknown operation.
 */
export function exampleArgs(allowed: readonly string[]): ExampleArgs {
  const { values } = parseArgs({
    options: {
      operations: { type: 'string', default: 'all' },
      verbose: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const operations = values.operations ?? 'all';
  if (operations !== 'all' && !allowed.includes(operations)) {
    throw new FullonCacheError(
      `--operations must be one of all, ${allowed.join(', ')}; got ${operations}`,
    );
  }
  return { operations, verbose: values.verbose ?? false };
}

/**
 * Runs an example body against the configured Redis (or a throwaway one, see `ensureRedis`)
 * under the `fullon-examples` prefix, clears that prefix afterwards, and exits non-zero on any
 * failure.
 * @param name - Example name, printed first.
 * @param body - The example's steps.
 */
export async function runExample(
  name: string,
  body: (conn: CacheConnection) => Promise<void>,
): Promise<void> {
  try {
    const redis = await ensureRedis();
    const conn = await connect({
      ...redis.options,
      prefix: process.env.FULLON_CACHE_PREFIX ?? 'fullon-examples',
    });
    console.log(`== ${name} (Redis: ${redis.description}, ${conn.mode})`);
    try {
      await body(conn);
    } finally {
      await conn.clear();
      await conn.close();
      await redis.stop();
    }
    console.log(`== ${name}: ok`);
  } catch (error) {
    console.error(`== ${name}: FAILED`);
    console.error(error);
    process.exitCode = 1;
  }
}

/**
 * Prints a step and what it returned.
 * @param verbose - Whether to print the value.
 * @param label - What the step did.
 * @param value - Its result.
 */
export function report(verbose: boolean, label: string, value?: unknown): void {
  console.log(
    verbose && value !== undefined ? `  - ${label}: ${JSON.stringify(value)}` : `  - ${label}`,
  );
}

/**
 * Fails the example when a condition does not hold.
 * @param condition - What must be true.
 * @param message - What went wrong otherwise.
 * @throws {FullonCacheError} when `condition` is false.
 */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new FullonCacheError(`example check failed: ${message}`);
}
