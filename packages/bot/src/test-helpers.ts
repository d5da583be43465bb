// Test support, excluded from the build (tsconfig.build.json, package.json "files").
import type { CacheConnection, DecodeError } from '@fullon/core';
import { listKeys, testConnection } from '@fullon/core/testing';

/**
 * A second connection under the same prefix as `conn` that collects what listings report
 * through `onCorrupt`.
 */
export async function corruptWatcher(
  conn: CacheConnection,
): Promise<{ conn: CacheConnection; reports: DecodeError[] }> {
  const reports: DecodeError[] = [];
  const watcher = await testConnection({
    prefix: conn.keys.prefix,
    onCorrupt: (error) => reports.push(error),
  });
  return { conn: watcher, reports };
}

/** Every key under the prefix with its type, content and whether it expires, to prove a call wrote nothing. */
export async function snapshot(conn: CacheConnection): Promise<string> {
  const keys = await listKeys(conn);
  const parts: string[] = [];
  for (const key of keys) {
    const dump = await conn.send<Buffer | null>(key, ['DUMP', key], { buffers: true });
    parts.push(`${key} ${dump?.toString('hex') ?? ''}`);
  }
  return parts.join('\n');
}

/**
 * Polls `condition` every 10 ms until it holds; a bounded wait, never a timing assertion.
 * @throws when it still does not hold after `maxMs`.
 */
export async function until(condition: () => Promise<boolean>, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
