import { randomUUID } from 'node:crypto';
import type { CacheConnectionLike } from '@fullon/core';
import { defineScript } from '@fullon/core/author';
import { ProcessKeys } from './keys.js';
import { ProcessLayout } from './layouts.js';

/**
 * Test and bench setup only: stores many process records and their live-index entries at
 * once (records with the given TTL), through the package's own key builder and layout.
 * KEYS[1] live index, then one record key per process. ARGV[1] TTL, then triples
 * (id, lastSeen, bytes).
 */
const SEED = defineScript(
  'process.test-seed',
  `local ttl = ARGV[1]
for i = 2, #ARGV, 3 do
  redis.call('SET', KEYS[(i + 1) / 3 + 1], ARGV[i + 2], 'PX', ttl)
  redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
end
return 1
`,
);

/** Records per seeding script call. */
const CHUNK = 1_000;

/** What {@link seedProcesses} writes. */
export interface SeedOptions {
  /** How many processes. */
  count: number;
  /** Oldest and newest heartbeat (ms); spread evenly between them. */
  lastSeen: [from: number, to: number];
  /** Process type. Defaults to `tick`. */
  type?: string;
  /** Status. Defaults to `running`. */
  status?: string;
  /** Record TTL in ms. Defaults to one day. */
  ttlMs?: number;
}

/**
 * Writes `count` process records and index entries in bulk (1 000 per script call, calls
 * pipelined), e.g. the history a long-running registry accumulates.
 * @param conn - Connection.
 * @param options - How many, their heartbeats, type and status.
 * @returns The ids written.
 */
export async function seedProcesses(
  conn: CacheConnectionLike,
  options: SeedOptions,
): Promise<string[]> {
  const keys = new ProcessKeys(conn.keys);
  const { count, lastSeen } = options;
  const [from, to] = lastSeen;
  const ids = Array.from({ length: count }, () => randomUUID());
  const write = async (start: number): Promise<void> => {
    const slice = ids.slice(start, start + CHUNK);
    const argv: (string | Buffer)[] = [String(options.ttlMs ?? 86_400_000)];
    slice.forEach((processId, i) => {
      const seen = Math.round(from + ((to - from) * (start + i)) / Math.max(1, count - 1));
      argv.push(
        processId,
        String(seen),
        ProcessLayout.encode(conn.codec, {
          processId,
          type: options.type ?? 'tick',
          component: `historical-${start + i}`,
          status: options.status ?? 'running',
          message: 'seeded',
          params: {},
          createdAt: seen,
          updatedAt: seen,
          lastSeen: seen,
        }),
      );
    });
    await conn.runScript(SEED, [keys.live, ...slice.map((id) => keys.record(id))], argv);
  };
  // A few calls in flight: enough to keep Redis busy, few enough that the connection's
  // liveness PING never waits behind megabytes of queued scripts.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const start = next;
      next += CHUNK;
      await write(start);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return ids;
}
