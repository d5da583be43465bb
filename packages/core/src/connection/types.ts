/** What {@link CacheConnection.health} reports. */
export interface HealthReport {
  /** `true` when PING answered. */
  ok: boolean;
  /** Round-trip time of one PING, in ms. */
  latencyMs: number;
  /** `redis_version` of the server (first master on a cluster). */
  serverVersion: string;
  /** Standalone server or cluster. */
  mode: 'standalone' | 'cluster';
  /** Master count (1 for standalone). */
  nodes: number;
  /** `used_memory`, summed over masters, in bytes. */
  usedMemoryBytes: number;
  /** Key prefix of this connection. */
  prefix: string;
  /** Codec name. */
  codec: string;
  /**
   * What the server refused to report (e.g. `INFO server` for a user without `+info` under an
   * ACL), whose fields then keep their empty value (`''`, `0`). Empty when everything was read.
   */
  unreadable: string[];
}

/** Events a connection emits on {@link CacheConnection.events}. */
export interface ConnectionEvents {
  /** The connection is (again) ready. */
  ready: [];
  /** The connection was lost; caches drop anything held in memory. */
  disconnected: [error: Error];
}
