import type { CacheConnection } from '../connection/connection.js';
import type { DecodeError } from '../errors.js';
import { testConnection } from './test-connection.js';

/** What {@link corruptWatcher} gives: a connection and the corruption it reported. */
export interface CorruptWatcher {
  /** A connection under the watched connection's prefix, reporting into `reports`; close it when done. */
  conn: CacheConnection;
  /** Every `DecodeError` the connection's `onCorrupt` hook received, in order. */
  reports: DecodeError[];
}

/**
 * Opens a second connection to the suite's Redis, on the same prefix as `conn`, that collects
 * the corruption it reports through `onCorrupt`: build a cache on `watcher.conn`, spoil a record
 * through `conn`, and assert the listing skipped it and `watcher.reports` names it.
 * @param conn - The connection whose keyspace to watch (its prefix is reused).
 * @returns The watcher connection and its (live) list of reports.
 * @example
 * ```ts
 * const watcher = await corruptWatcher(conn);
 * await using cache = new AccountCache(watcher.conn);
 * expect(await cache.getAllBalances()).toEqual({});
 * expect(watcher.reports[0]?.key).toBe(key);
 * await watcher.conn.close();
 * ```
 */
export async function corruptWatcher(conn: CacheConnection): Promise<CorruptWatcher> {
  const reports: DecodeError[] = [];
  const watcher = await testConnection({
    prefix: conn.keys.prefix,
    onCorrupt: (error) => reports.push(error),
  });
  return { conn: watcher, reports };
}
