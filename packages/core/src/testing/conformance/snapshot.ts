import type { CacheConnection } from '../../connection/connection.js';
import { BUFFERS } from '../../util/send-options.js';
import { listKeys } from '../keyspace.js';

/** Every key under a prefix with its DUMP (hex) and whether it has a TTL. */
export type KeyspaceSnapshot = ReadonlyMap<string, string>;

/**
 * Takes a snapshot of everything under the connection's prefix: SCAN on every master, then
 * DUMP and PTTL of each key (DUMP carries the Redis type and content). The one keyspace
 * snapshot of the suites: take one before a call that must write nothing and compare
 * (`expect(await snapshotKeyspace(conn)).toEqual(before)`, or {@link keyspaceDiff} for a short
 * description).
 * @param conn - The connection whose prefix to read.
 * @returns Key → DUMP bytes (hex) and TTL presence.
 */
export async function snapshotKeyspace(conn: CacheConnection): Promise<KeyspaceSnapshot> {
  const keys = await listKeys(conn);
  const entries = await Promise.all(
    keys.map(async (key) => {
      const [dump, ttl] = await Promise.all([
        conn.send<Buffer | null>(key, ['DUMP', key], BUFFERS),
        conn.send<number>(key, ['PTTL', key]),
      ]);
      return [key, `${dump?.toString('hex') ?? 'gone'} ttl:${ttl >= 0}`] as const;
    }),
  );
  return new Map(entries);
}

/**
 * Describes how two snapshots differ, or `null` when they are equal.
 * @param before - The earlier snapshot.
 * @param after - The later one.
 * @returns A short description of the first differences.
 */
export function keyspaceDiff(before: KeyspaceSnapshot, after: KeyspaceSnapshot): string | null {
  const changes: string[] = [];
  for (const [key, value] of before) {
    if (!after.has(key)) changes.push(`deleted ${key}`);
    else if (after.get(key) !== value) changes.push(`changed ${key}`);
  }
  for (const key of after.keys()) if (!before.has(key)) changes.push(`created ${key}`);
  return changes.length === 0 ? null : changes.slice(0, 5).join(', ');
}

/**
 * The family of a key: the segment after the prefix (`prefix:family:…`).
 * @param conn - The connection (for its prefix).
 * @param key - A full key.
 * @returns The family name.
 */
export function familyOf(conn: CacheConnection, key: string): string {
  const rest = key.slice(conn.keys.prefix.length + 1);
  const end = rest.indexOf(':');
  return end < 0 ? rest : rest.slice(0, end);
}
