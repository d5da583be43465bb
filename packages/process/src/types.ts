import type { DecodedSubscription } from '@fullon/core/author';
import type { Broadcast, JsonObject, ProcessStatus, ProcessType } from './schema.js';

// The public types of `ProcessCache`'s methods (its constructor options are in options.ts).

/**
 * A live stream of broadcasts, returned by `ProcessCache.subscribeBroadcasts`. `ready`
 * resolves once the server confirmed the subscription; it ends on abort, `close()` or a
 * `break`; a payload that does not decode is skipped and reported through `onCorrupt`.
 */
export type BroadcastSubscription = DecodedSubscription<Broadcast>;

/** Options of {@link ProcessCache.registerProcess}. */
export interface RegisterProcessOptions {
  /** Parameters (a plain object of JSON values). Defaults to `{}`. */
  params?: JsonObject;
  /** Status message. Defaults to `Process <component> registered`. */
  message?: string;
  /** Initial status. Defaults to `starting`. */
  status?: ProcessStatus;
}

/** The changes {@link ProcessCache.updateProcess} makes; every field optional. */
export interface ProcessUpdate {
  /** New status; `stopped` moves the process out of the active index. */
  status?: ProcessStatus;
  /** New status message. */
  message?: string;
  /** Params to set: each given name replaces that param, the others stay (shallow merge). */
  params?: JsonObject;
  /** Whether this counts as a heartbeat (sets `lastSeen`). Defaults to `true`. */
  heartbeat?: boolean;
}

/** Options of {@link ProcessCache.getActiveProcesses}. */
export interface ActiveProcessesOptions {
  /** Only processes of this type. */
  type?: ProcessType;
  /** Only processes of this component. */
  component?: string;
  /**
   * Freshness: only processes with a heartbeat within the last `maxAgeMs` ms. Defaults to
   * 300 000 (5 min).
   */
  maxAgeMs?: number;
}

/** Options of {@link ProcessCache.cleanupStaleProcesses}. */
export interface CleanupOptions {
  /** A process without a heartbeat for this long (ms) is stopped. Defaults to 1 800 000 (30 min). */
  staleMs?: number;
}

/** Options of {@link ProcessCache.getSystemHealth}. */
export interface SystemHealthOptions {
  /**
   * Freshness: processes with a heartbeat within the last `maxAgeMs` ms are counted. Defaults to
   * 3 600 000 (1 h).
   */
  maxAgeMs?: number;
  /** A counted process without a heartbeat for this long (ms) is stale. Defaults to 300 000 (5 min). */
  staleMs?: number;
}

/** Options of {@link ProcessCache.subscribeBroadcasts}. */
export interface BroadcastSubscribeOptions {
  /** Ends the subscription when aborted. */
  signal?: AbortSignal;
  /**
   * Broadcasts buffered for a slow consumer before the oldest are dropped: a whole number from
   * 1 to 10 000 000. Defaults to 10 000.
   */
  bufferSize?: number;
}

/** What {@link ProcessCache.getSystemHealth} reports. */
export interface SystemHealth {
  /** No stale process and no process in status `error`. */
  healthy: boolean;
  /** Processes (not stopped) with a heartbeat within the window. */
  totalProcesses: number;
  /** Those, counted by type. */
  byType: Record<string, number>;
  /** Those, counted by status. */
  byStatus: Record<string, number>;
  /** Those without a heartbeat for `staleMs`. */
  staleProcesses: number;
  /** Those in status `error`. */
  errorProcesses: number;
}

/** What {@link ProcessCache.getMetrics} reports; counted from the indexes, without SCAN. */
export interface ProcessMetrics {
  /** Records that exist: not stopped plus stopped. */
  totalProcesses: number;
  /** Records not stopped (stale ones included, until cleanup stops them). */
  liveProcesses: number;
  /** Processes with a heartbeat in the last 5 minutes. */
  activeProcesses: number;
  /** Stopped records not yet expired. */
  stoppedProcesses: number;
  /** Components with a registered process. */
  components: number;
  /** Active processes by type. */
  activeByType: Record<string, number>;
}
