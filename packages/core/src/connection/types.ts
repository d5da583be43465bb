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

/** What a `reconnecting` event tells. */
export interface ReconnectAttempt {
  /** 1 for the first retry of this outage, then 2, 3… */
  attempt: number;
  /** The pause before this attempt, in ms (backs off exponentially, with jitter). */
  delayMs: number;
}

/**
 * Events a connection emits on {@link CacheConnection.events} (a Node `EventEmitter`).
 * Listeners stay attached until `end`; nothing is emitted after it.
 */
export interface ConnectionEvents {
  /** The connection is ready again after an outage. */
  ready: [];
  /**
   * The connection was lost (or the server stopped answering): once per outage, however many
   * retries fail during it. Caches drop anything held in memory.
   */
  disconnected: [error: Error];
  /** A reconnect is scheduled, once per attempt. */
  reconnecting: [attempt: ReconnectAttempt];
  /**
   * A client error: each failed connect attempt, a dropped socket, a refused handshake.
   * Emitted only while a listener is attached (an unhandled `error` event would crash Node).
   */
  error: [error: Error];
  /** `close()` or `destroy()` has finished; the last event. */
  end: [];
}

/**
 * Where a connection logs, e.g. a pino logger or `console`: each method takes the details
 * first and the message second (pino's order). The connection logs nothing without one.
 *
 * - `warn`: the connection was lost (once per outage), a call was slower than `slowCallMs`, a
 *   corrupt value was skipped (unless `onCorrupt` is given).
 * - `error`: the server refused the credentials or the certificate.
 * - `debug`: each reconnect attempt, other client errors, the connection restored.
 */
export interface ConnectionLogger {
  /** Detail for troubleshooting. */
  debug(details: Record<string, unknown>, message: string): void;
  /** Something went wrong and was handled. */
  warn(details: Record<string, unknown>, message: string): void;
  /** Something needs a person to act. */
  error(details: Record<string, unknown>, message: string): void;
}
