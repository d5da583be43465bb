import type { CacheConnection } from '@fullon/core';
import type { Redis } from 'ioredis';
import type { createClient } from 'redis';
import type { Contest } from './runner.js';

/** Every client a suite may measure with: our connections and the baselines' raw clients. */
export interface BenchClients {
  /** Our connection with the msgpack codec. */
  msgpack: CacheConnection;
  /** Our connection with the JSON codec. */
  json: CacheConnection;
  /** A plain node-redis v4 client (baseline "raw node-redis"). */
  nodeRedis: ReturnType<typeof createClient>;
  /** A plain ioredis client (baseline "ioredis JSON"). */
  ioredis: Redis;
  /** ioredis with auto-pipelining. */
  ioredisPipelined: Redis;
}

/**
 * One package's benchmarks. `bench/src/suites/<name>.ts` exports `suite`; `pnpm bench` finds
 * every suite there (`--only tick,orders` picks some).
 */
export interface BenchSuite {
  /** Suite name, e.g. `orders`. */
  name: string;
  /** Writes what the measured reads need, before measuring. */
  seed?: (clients: BenchClients) => Promise<void>;
  /** The contests: our operation against baselines doing the same commands. */
  contests: (clients: BenchClients) => Contest[];
  /** Markdown lines for the report measured once (memory per record, scaling figures). */
  notes?: (clients: BenchClients, quick: boolean) => Promise<string>;
}
