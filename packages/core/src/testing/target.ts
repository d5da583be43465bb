import type { ClusterNode } from '../config/config.js';

/** Where the test suite's Redis is, as provided by the global setup. */
export type RedisTarget =
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: ClusterNode[] };

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis the global setup started or was pointed at. */
    fullonRedis: RedisTarget;
  }
}
