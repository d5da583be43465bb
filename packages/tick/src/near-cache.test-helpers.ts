// Test support for the near-cache suites, excluded from the build.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CacheConnection, CacheConnectionLike } from '@fullon/core';
import { redisTarget } from '@fullon/core/testing';
import { expect } from 'vitest';
import type { NearCache } from './near-cache.js';
import { TickCache } from './tick-cache.js';

export const WRITER = fileURLToPath(new URL('../test/near-cache-writer.ts', import.meta.url));

/** A TickCache with the near cache on, once its tracking is live. */
export async function nearTicks(
  conn: CacheConnectionLike,
  options: { maxEntries?: number } = {},
): Promise<TickCache & { nearCache: NearCache }> {
  const ticks = new TickCache(conn, {
    nearCache: options.maxEntries === undefined ? true : options,
  });
  expect(await ticks.nearCache?.ready()).toBe(true);
  return ticks as TickCache & { nearCache: NearCache };
}

/**
 * Resolves once the near cache is told `key` changed (or the database was flushed); call it
 * before the write. Bounded, so a missing invalidation fails the test instead of hanging it.
 */
export function invalidated(near: NearCache, key: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      near.events.off('invalidate', listener);
      reject(new Error(`no invalidation of ${key} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (keys: readonly string[] | null) => {
      if (keys !== null && !keys.includes(key)) return;
      clearTimeout(timer);
      near.events.off('invalidate', listener);
      resolve();
    };
    near.events.on('invalidate', listener);
  });
}

/** Resolves on the next `event` of the near cache, bounded. */
export function nextEvent(
  near: NearCache,
  event: 'reset' | 'live',
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    near.events.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Runs the writer process (test/near-cache-writer.ts) to its end; resolves with its `done` line. */
export function runWriter(
  conn: CacheConnection,
  env: Record<string, string>,
  onReady?: () => void,
): Promise<{ lastTime: number; finishedAt: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@fullon/source', WRITER],
    {
      env: {
        ...process.env,
        NEAR_TEST_TARGET: JSON.stringify(redisTarget()),
        NEAR_TEST_PREFIX: conn.config.prefix,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let rest = '';
    let done: { lastTime: number; finishedAt: number } | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const [what, a = '', b = ''] = line.split(' ');
        if (what === 'ready') onReady?.();
        if (what === 'done') done = { lastTime: Number(a), finishedAt: Number(b) };
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && done !== undefined) resolve(done);
      else reject(new Error(`writer exited with ${code}`));
    });
  });
}
