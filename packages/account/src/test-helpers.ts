// Test support, excluded from the build (tsconfig.build.json, package.json "files").
import type { CacheConnection, DecodeError } from '@fullon/core';
import { listKeys, testConnection } from '@fullon/core/testing';

export { listKeys };

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

/** Every key under the prefix with its type and content, to prove a call wrote nothing. */
export async function snapshot(conn: CacheConnection): Promise<string> {
  const keys = await listKeys(conn);
  const parts: string[] = [];
  for (const key of keys) {
    const type = await conn.send<string>(key, ['TYPE', key]);
    const dump = await conn.send<Buffer | null>(key, ['DUMP', key], { buffers: true });
    parts.push(`${key} ${type} ${dump?.toString('hex') ?? ''}`);
  }
  return parts.join('\n');
}
