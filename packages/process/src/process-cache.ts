import type { CacheConnectionLike, ConnectOptions } from '@fullon/core';
import { closeCache, openCache, requireConnection } from '@fullon/core/author';
import { publishBroadcast, subscribeToBroadcasts } from './broadcasts.js';
import { cleanupStale } from './cleanup.js';
import type { ProcessContext } from './context.js';
import { metrics, systemHealth } from './health.js';
import { ProcessKeys } from './keys.js';
import { type ProcessCacheOptions, resolveOptions } from './options.js';
import { listActive, readComponentStatus, readProcess } from './reads.js';
import type { JsonObject, ProcessRecord, ProcessType } from './schema.js';
import type {
  ActiveProcessesOptions,
  BroadcastSubscribeOptions,
  BroadcastSubscription,
  CleanupOptions,
  ProcessMetrics,
  ProcessUpdate,
  RegisterProcessOptions,
  SystemHealth,
  SystemHealthOptions,
} from './types.js';
import { heartbeatRecord, registerRecord, stopRecord, updateRecord } from './writes.js';

/**
 * A registry of running processes (collectors, bots, services): each registers, reports its
 * status and heartbeats; monitors list the live ones, spot stale ones and clean them up, and
 * processes of a type can be sent broadcasts.
 *
 * Records are msgpack tuples under one hash tag with a sorted index by last heartbeat, so
 * listing the active processes costs what the answer costs, however many processes came and
 * went before. Every change is one Lua script. A record expires `ttlMs` (24 h) after its last
 * heartbeat, a stopped one `ttlMs` after its stop.
 *
 * @example
 * ```ts
 * await using processes = await ProcessCache.open();
 * const id = await processes.registerProcess('ohlcv', 'binance:BTC/USDT', { params: { timeframe: '1m' } });
 * await processes.updateProcess(id, { status: 'running', params: { lastBar: Date.now() } });
 * setInterval(() => void processes.heartbeat(id), 10_000);
 * const live = await processes.getActiveProcesses({ type: 'ohlcv' });
 * const { healthy } = await processes.getSystemHealth();
 * ```
 */
export class ProcessCache implements AsyncDisposable {
  /** The connection this cache uses. */
  readonly connection: CacheConnectionLike;
  readonly #ctx: ProcessContext;

  /**
   * @param conn - An open connection (from `connect()`); the cache does not close it.
   * @param options - `ttlMs` (default 24 h).
   * @throws {ConfigurationError} when `conn` is not a connection, or naming `options` when they
   *   are not a plain object (`null`, a number, a `Map`…).
   * @throws {ValidationError} naming `ttlMs` when it is invalid.
   */
  constructor(conn: CacheConnectionLike, options: ProcessCacheOptions = {}) {
    this.connection = requireConnection(conn, 'ProcessCache');
    const { ttlMs } = resolveOptions(options);
    this.#ctx = {
      connection: this.connection,
      keys: new ProcessKeys(this.connection.keys),
      ttlMs,
      ttl: String(ttlMs),
    };
  }

  /**
   * Opens a connection of its own and a cache on it; closing the cache closes the connection.
   * @param config - Connection options or a `redis://` URL. Defaults to the environment.
   * @param options - Cache options.
   * @returns The cache, for `await using processes = await ProcessCache.open()`.
   * @throws {ValidationError} when an option is invalid (checked before connecting).
   * @throws {ConfigurationError} when the configuration is malformed.
   * @throws {ConnectionError} when Redis cannot be reached.
   */
  static open(
    config?: ConnectOptions | string,
    options: ProcessCacheOptions = {},
  ): Promise<ProcessCache> {
    return openCache(
      config,
      () => resolveOptions(options),
      (conn) => new ProcessCache(conn, options),
    );
  }

  /** Closes the connection if {@link ProcessCache.open} created it. Idempotent. */
  close(): Promise<void> {
    return closeCache(this);
  }

  /** Same as `close()`, for containers that call `dispose()` (tsyringe, awilix disposers). */
  dispose(): Promise<void> {
    return this.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // Writing

  /**
   * Registers a process: stores its record (status `starting` unless given), enters it in the
   * active index and makes it its component's current process, in one step.
   * @param type - Process type, e.g. `ohlcv` (any name is accepted).
   * @param component - What it works on, e.g. `binance:BTC/USDT`.
   * @param options - `params` (default `{}`), `message`, `status`.
   * @returns The new process id (a UUID).
   * @throws {ValidationError} naming the argument or option; nothing is written.
   * @throws {DecodeError} when an index key holds another Redis type; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  registerProcess(
    type: ProcessType,
    component: string,
    options: RegisterProcessOptions = {},
  ): Promise<string> {
    return registerRecord(this.#ctx, type, component, options);
  }

  /**
   * Changes a process in one atomic step: status, message, params merged shallowly (each
   * given name replaces that param; the others stay), and by default a heartbeat. Setting
   * status `stopped` moves it out of the active index; any other status puts it back.
   * @param processId - The process.
   * @param update - `status`, `message`, `params`, `heartbeat` (default `true`).
   * @returns The updated record, or `null` when there is no such process.
   * @throws {ValidationError} naming the field; nothing is written.
   * @throws {DecodeError} when the stored record is corrupt; nothing is written.
   * @throws {ConfigurationError} when the connection's codec is neither msgpack nor json.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  updateProcess(processId: string, update: ProcessUpdate): Promise<ProcessRecord | null> {
    return updateRecord(this.#ctx, processId, update);
  }

  /**
   * Records a sign of life: sets `lastSeen` to now and renews the record's TTL.
   * @param processId - The process.
   * @returns `true`, or `false` when there is no such process (re-register it).
   * @throws {DecodeError} when the stored record is corrupt; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  heartbeat(processId: string): Promise<boolean> {
    return heartbeatRecord(this.#ctx, processId);
  }

  /**
   * Stops a process: status `stopped`, the message, out of the active index; the record stays
   * readable for `ttlMs` (and stays its component's current process until another registers).
   * @param processId - The process.
   * @param message - Status message. Defaults to `Process stopped`.
   * @returns `true`, or `false` when there is no such process.
   * @throws {ValidationError} naming the argument.
   * @throws {DecodeError} when the stored record is corrupt; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  stopProcess(processId: string, message?: string): Promise<boolean> {
    return stopRecord(this.#ctx, processId, message);
  }

  // Reading

  /**
   * Reads one process.
   * @param processId - The process.
   * @returns The record, or `null` when there is none (never registered, or expired).
   * @throws {DecodeError} when the stored record is corrupt.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getProcess(processId: string): Promise<ProcessRecord | null> {
    return readProcess(this.#ctx, processId);
  }

  /**
   * The processes with a heartbeat within the window, most recent first. Reads the index by
   * heartbeat time, so the cost grows with the answer, not with every process ever seen.
   * Stopped processes are never listed. A corrupt record is skipped and reported through
   * `onCorrupt`.
   * @param options - `type`, `component`, `maxAgeMs` (default 300 000, 5 min).
   * @returns The records; `[]` when none.
   * @throws {ValidationError} naming `options` (not a plain object: `null`, a `Map`…) or the option.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getActiveProcesses(options: ActiveProcessesOptions = {}): Promise<ProcessRecord[]> {
    return listActive(this.#ctx, options);
  }

  /**
   * The current process of a component: the one registered last under that name, whatever
   * its status.
   * @param component - The component.
   * @returns Its record, or `null` when none (or it expired).
   * @throws {DecodeError} when the stored record is corrupt, or (naming the components key and
   *   `component`) when the stored process id is not one or names another component's process.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getComponentStatus(component: string): Promise<ProcessRecord | null> {
    return readComponentStatus(this.#ctx, component);
  }

  /**
   * A health summary of the processes with a heartbeat within the window (default the last
   * hour): unhealthy when one of them is stale (no heartbeat for `staleMs`, default 5 min) or
   * in status `error`.
   * @param options - `maxAgeMs`, `staleMs`.
   * @returns Counts by type and status, stale and error counts, and the verdict.
   * @throws {ValidationError} naming `options` (not a plain object: `null`, a `Map`…) or the option.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getSystemHealth(options: SystemHealthOptions = {}): Promise<SystemHealth> {
    return systemHealth(this.#ctx, options);
  }

  /**
   * Counts from the indexes (no SCAN): records alive, live, active in the last 5 minutes
   * (with their types), stopped, and components.
   * @returns The metrics.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  getMetrics(): Promise<ProcessMetrics> {
    return metrics(this.#ctx);
  }

  // Cleanup

  /**
   * Stops every process without a heartbeat for `staleMs` (status `stopped`, message saying
   * so), removes index entries whose record has expired or was deleted (and component entries
   * pointing at them), and drops index entries of corrupt stale records and entries whose score
   * is not an epoch-ms time (both reported via `onCorrupt`). Works through the active index in pages of 500, one atomic script each; the
   * cost is what it removes plus the processes still live.
   * @param options - `staleMs` (default 1 800 000, 30 min).
   * @returns How many entries left the active index: stale processes stopped, plus dangling
   *   and corrupt entries removed.
   * @throws {ValidationError} naming `options` (not a plain object) or `staleMs`, as a rejected
   *   promise.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  cleanupStaleProcesses(options: CleanupOptions = {}): Promise<number> {
    return cleanupStale(this.#ctx, options);
  }

  // Broadcasts

  /**
   * Sends a message to every subscriber of a process type.
   * @param type - The process type addressed.
   * @param message - The message.
   * @param data - Extra data, a plain object of JSON values (any key, `__proto__` included).
   *   Defaults to `{}`.
   * @returns How many subscribers received it (on a cluster, those of the receiving node).
   * @throws {ValidationError} naming the argument.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  broadcast(type: ProcessType, message: string, data?: JsonObject): Promise<number> {
    return publishBroadcast(this.#ctx, type, message, data);
  }

  /**
   * Subscribes to the broadcasts sent to a process type.
   * @param type - The process type.
   * @param options - `signal`, `bufferSize`.
   * @returns A stream of broadcasts; iterate it with `for await`. A bad argument never throws
   *   here: `ready` (and iteration) reject with the `ValidationError`.
   */
  subscribeBroadcasts(
    type: ProcessType,
    options: BroadcastSubscribeOptions = {},
  ): BroadcastSubscription {
    return subscribeToBroadcasts(this.#ctx, type, options);
  }
}
