import { randomUUID } from 'node:crypto';
import {
  type CacheConnectionLike,
  ConfigurationError,
  type ConnectOptions,
  DecodeError,
  type SendOptions,
} from '@fullon/core';
import {
  checkName,
  closeCache,
  countOption,
  DecodedSubscription,
  decodeListed,
  decodeStoredTime,
  inChunks,
  NonNegative,
  openCache,
  option,
  PositiveMs,
  plainOptions,
  plainRecord,
  requireConnection,
  runOperation,
  signalOption,
  validate,
  validateAt,
} from '@fullon/core/author';
import * as v from 'valibot';
import { ProcessKeys } from './keys.js';
import {
  BroadcastLayout,
  decodeBroadcast,
  decodeProcess,
  ProcessLayout,
  storeParams,
} from './layouts.js';
import { countNames, escapeJson } from './names.js';
import { type ProcessCacheOptions, resolveOptions } from './options.js';
import {
  type Broadcast,
  type JsonObject,
  JsonObject as JsonObjectSchema,
  Message,
  ProcessPatch,
  type ProcessRecord,
  type ProcessType,
  RegisterOptions,
} from './schema.js';
import { cleanupScript, pruneComponentsScript } from './scripts/cleanup.js';
import { CORRUPT, MISSING, REWRITABLE_CODECS } from './scripts/record-lua.js';
import { registerScript } from './scripts/register.js';
import { updateScript } from './scripts/update.js';
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

/** Default window of `getActiveProcesses`: heartbeats in the last 5 minutes. */
const DEFAULT_ACTIVE_MS = 300_000;
/** Default window of `getSystemHealth`: heartbeats in the last hour. */
const DEFAULT_HEALTH_WINDOW_MS = 3_600_000;
/** Default staleness of `getSystemHealth`: no heartbeat for 5 minutes. */
const DEFAULT_HEALTH_STALE_MS = 300_000;
/** Default staleness of `cleanupStaleProcesses`: no heartbeat for 30 minutes. */
const DEFAULT_CLEANUP_STALE_MS = 1_800_000;
/** Index entries (and record keys) one cleanup or listing call carries. */
const PAGE = 500;
const BUFFERS: SendOptions = { buffers: true };

const ActiveOptions = v.object({
  type: v.optional(v.string()),
  component: v.optional(v.string()),
  sinceMs: v.optional(NonNegative),
});

/** What `registerProcess` generates (`crypto.randomUUID()`): the only ids the cache stores. */
const PROCESS_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a process id read from the components hash is one the cache could have stored. */
function isProcessId(value: string): boolean {
  return PROCESS_ID.test(value);
}

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
  readonly #keys: ProcessKeys;
  readonly #ttlMs: number;
  readonly #ttl: string;

  /**
   * @param conn - An open connection (from `connect()`); the cache does not close it.
   * @param options - `ttlMs` (default 24 h).
   * @throws {ConfigurationError} when `conn` is not a connection, or naming `options` when they
   *   are not a plain object (`null`, a number, a `Map`…).
   * @throws {ValidationError} naming `ttlMs` when it is invalid.
   */
  constructor(conn: CacheConnectionLike, options: ProcessCacheOptions = {}) {
    this.connection = requireConnection(conn, 'ProcessCache');
    this.#ttlMs = resolveOptions(options).ttlMs;
    this.#ttl = String(this.#ttlMs);
    this.#keys = new ProcessKeys(this.connection.keys);
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
  async registerProcess(
    type: ProcessType,
    component: string,
    options: RegisterProcessOptions = {},
  ): Promise<string> {
    checkName(type, 'type');
    checkName(component, 'component');
    const parsed = validateAt(RegisterOptions, plainOptions(options), 'options');
    const now = Date.now();
    const processId = randomUUID();
    const status = parsed.status ?? 'starting';
    const bytes = ProcessLayout.encode(this.connection.codec, {
      processId,
      type,
      component,
      status,
      message: parsed.message ?? `Process ${component} registered`,
      params: storeParams(parsed.params ?? {}),
      createdAt: now,
      updatedAt: now,
      lastSeen: now,
    });
    const keys = this.#keys;
    await registerScript(
      this.connection,
      {
        record: keys.record(processId),
        live: keys.live,
        stopped: keys.stopped,
        components: keys.components,
      },
      {
        codec: this.connection.codec.name,
        processId,
        bytes,
        now,
        ttlMs: this.#ttl,
        component,
        stopped: status === 'stopped',
      },
    );
    return processId;
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
  async updateProcess(processId: string, update: ProcessUpdate): Promise<ProcessRecord | null> {
    checkName(processId, 'processId');
    const patch = validate(ProcessPatch, plainRecord(update, 'update'), 'update');
    const bytes = await this.#rewrite(processId, {
      heartbeat: patch.heartbeat ?? true,
      status: patch.status,
      message: patch.message,
      params: patch.params === undefined ? undefined : storeParams(patch.params),
      reply: true,
    });
    return bytes === null
      ? null
      : decodeProcess(this.connection.codec, bytes, this.#keys.record(processId), processId);
  }

  /**
   * Records a sign of life: sets `lastSeen` to now and renews the record's TTL.
   * @param processId - The process.
   * @returns `true`, or `false` when there is no such process (re-register it).
   * @throws {DecodeError} when the stored record is corrupt; nothing is written.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async heartbeat(processId: string): Promise<boolean> {
    checkName(processId, 'processId');
    const bytes = await this.#rewrite(processId, {
      heartbeat: true,
      status: undefined,
      message: undefined,
      params: undefined,
      reply: false,
    });
    return bytes !== null;
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
  async stopProcess(processId: string, message?: string): Promise<boolean> {
    checkName(processId, 'processId');
    const text = message === undefined ? 'Process stopped' : validate(Message, message, 'message');
    const bytes = await this.#rewrite(processId, {
      heartbeat: false,
      status: 'stopped',
      message: text,
      params: undefined,
      reply: false,
    });
    return bytes !== null;
  }

  /**
   * Reads one process.
   * @param processId - The process.
   * @returns The record, or `null` when there is none (never registered, or expired).
   * @throws {DecodeError} when the stored record is corrupt.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getProcess(processId: string): Promise<ProcessRecord | null> {
    checkName(processId, 'processId');
    const key = this.#keys.record(processId);
    const bytes = await this.connection.send<Buffer | null>(key, ['GET', key], BUFFERS);
    return bytes === null ? null : decodeProcess(this.connection.codec, bytes, key, processId);
  }

  /**
   * The processes with a heartbeat within the window, most recent first. Reads the index by
   * heartbeat time, so the cost grows with the answer, not with every process ever seen.
   * Stopped processes are never listed. A corrupt record is skipped and reported through
   * `onCorrupt`.
   * @param options - `type`, `component`, `sinceMs` (default 300 000, 5 min).
   * @returns The records; `[]` when none.
   * @throws {ValidationError} naming `options` (not a plain object: `null`, a `Map`…) or the option.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getActiveProcesses(options: ActiveProcessesOptions = {}): Promise<ProcessRecord[]> {
    const { type, component, sinceMs } = validateAt(
      ActiveOptions,
      plainOptions(options),
      'options',
    );
    if (type !== undefined) checkName(type, 'options.type');
    if (component !== undefined) checkName(component, 'options.component');
    const records = await this.#seenSince(Date.now() - (sinceMs ?? DEFAULT_ACTIVE_MS));
    return records.filter(
      (r) =>
        (type === undefined || r.type === type) &&
        (component === undefined || r.component === component),
    );
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
  async getComponentStatus(component: string): Promise<ProcessRecord | null> {
    checkName(component, 'component');
    const { components } = this.#keys;
    const processId = await this.connection.send<string | null>(components, [
      'HGET',
      components,
      component,
    ]);
    if (processId === null) return null;
    if (!isProcessId(processId)) {
      throw new DecodeError(components, component, 'the stored process id is not a process id');
    }
    const record = await this.getProcess(processId);
    // Another component's process under this name is a corrupt entry, not this component's.
    if (record !== null && record.component !== component) {
      throw new DecodeError(
        components,
        component,
        `the stored process id names a process of component ${JSON.stringify(record.component)}`,
      );
    }
    return record;
  }

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
  async cleanupStaleProcesses(options: CleanupOptions = {}): Promise<number> {
    const opts = plainOptions(options);
    const staleMs = option(PositiveMs, opts.staleMs, DEFAULT_CLEANUP_STALE_MS, 'staleMs');
    const codec = this.#rewritableCodec();
    // One operation: close() lets every page and the component pruning run.
    return runOperation(this.connection, (conn) => this.#cleanupStale(conn, staleMs, codec));
  }

  async #cleanupStale(conn: CacheConnectionLike, staleMs: number, codec: string): Promise<number> {
    const keys = this.#keys;
    const now = Date.now();
    const cutoff = now - staleMs;
    let removed = 0;
    let offset = 0;
    for (;;) {
      const ids = await conn.send<string[]>(keys.live, [
        'ZRANGE',
        keys.live,
        String(offset),
        String(offset + PAGE - 1),
      ]);
      if (ids.length === 0) break;
      const page = await cleanupScript(conn, keys, {
        codec,
        now,
        ttlMs: this.#ttl,
        cutoff,
        message: `Process stale: no heartbeat for ${staleMs} ms`,
        ids,
        records: ids.map((id) => keys.record(id)),
      });
      for (const id of page.corrupt) {
        conn.reportCorrupt(
          new DecodeError(
            keys.record(id),
            undefined,
            'corrupt process record; index entry removed',
          ),
        );
      }
      for (const id of page.badScore) {
        this.connection.reportCorrupt(
          new DecodeError(keys.live, id, 'heartbeat score is not an epoch-ms time; entry removed'),
        );
      }
      removed += page.stopped + page.dangling + page.corrupt.length + page.badScore.length;
      offset += page.kept;
      if (ids.length < PAGE) break;
    }
    await this.#pruneComponents(conn);
    return removed;
  }

  /**
   * A health summary of the processes with a heartbeat within the window (default the last
   * hour): unhealthy when one of them is stale (no heartbeat for `staleMs`, default 5 min) or
   * in status `error`.
   * @param options - `windowMs`, `staleMs`.
   * @returns Counts by type and status, stale and error counts, and the verdict.
   * @throws {ValidationError} naming `options` (not a plain object: `null`, a `Map`…) or the option.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getSystemHealth(options: SystemHealthOptions = {}): Promise<SystemHealth> {
    const opts = plainOptions(options);
    const windowMs = option(NonNegative, opts.windowMs, DEFAULT_HEALTH_WINDOW_MS, 'windowMs');
    const staleMs = option(NonNegative, opts.staleMs, DEFAULT_HEALTH_STALE_MS, 'staleMs');
    const now = Date.now();
    const records = await this.#seenSince(now - windowMs);
    let staleProcesses = 0;
    let errorProcesses = 0;
    for (const r of records) {
      if (r.lastSeen < now - staleMs) staleProcesses++;
      if (r.status === 'error') errorProcesses++;
    }
    return {
      healthy: staleProcesses === 0 && errorProcesses === 0,
      totalProcesses: records.length,
      byType: countNames(records.map((r) => r.type)),
      byStatus: countNames(records.map((r) => r.status)),
      staleProcesses,
      errorProcesses,
    };
  }

  /**
   * Counts from the indexes (no SCAN): records alive, live, active in the last 5 minutes
   * (with their types), stopped, and components.
   * @returns The metrics.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async getMetrics(): Promise<ProcessMetrics> {
    const { live, stopped, components } = this.#keys;
    const now = Date.now();
    const alive = `${now - this.#ttlMs}`;
    const [liveProcesses, stoppedProcesses, componentCount, active] = await Promise.all([
      this.connection.send<number>(live, ['ZCOUNT', live, alive, '+inf']),
      this.connection.send<number>(stopped, ['ZCOUNT', stopped, alive, '+inf']),
      this.connection.send<number>(components, ['HLEN', components]),
      this.#seenSince(now - DEFAULT_ACTIVE_MS),
    ]);
    const activeByType = countNames(active.map((r) => r.type));
    return {
      totalProcesses: liveProcesses + stoppedProcesses,
      liveProcesses,
      activeProcesses: active.length,
      stoppedProcesses,
      components: componentCount,
      activeByType,
    };
  }

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
  async broadcast(type: ProcessType, message: string, data?: JsonObject): Promise<number> {
    checkName(type, 'type');
    validate(Message, message, 'message');
    const payload = data === undefined ? {} : validateAt(JsonObjectSchema, data, 'data');
    const bytes = BroadcastLayout.encode(this.connection.codec, {
      type,
      message,
      data: escapeJson(payload) as JsonObject,
      time: Date.now(),
    });
    return this.connection.publish(this.#keys.broadcast(type), bytes);
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
    const codec = this.connection.codec;
    let pending: ReturnType<CacheConnectionLike['subscribe']>;
    try {
      checkName(type, 'type');
      const opts = plainOptions(options);
      const signal = signalOption(opts.signal);
      const bufferSize =
        opts.bufferSize === undefined ? undefined : countOption(opts.bufferSize, 0, 'bufferSize');
      pending = this.connection.subscribe({
        channels: [this.#keys.broadcast(type)],
        ...(signal === undefined ? {} : { signal }),
        ...(bufferSize === undefined ? {} : { bufferSize }),
      });
    } catch (error) {
      pending = Promise.reject(error);
    }
    return new DecodedSubscription<Broadcast>(this.connection, pending, (message, channel) => {
      const broadcast = decodeBroadcast(codec, message, channel);
      if (broadcast.type !== type) {
        throw new DecodeError(channel, undefined, `broadcast for ${broadcast.type} on ${type}`);
      }
      return [broadcast];
    });
  }

  async #seenSince(since: number): Promise<ProcessRecord[]> {
    const keys = this.#keys;
    const flat = await this.connection.send<string[]>(keys.live, [
      'ZRANGE',
      keys.live,
      '+inf',
      String(since),
      'BYSCORE',
      'REV',
      'WITHSCORES',
    ]);
    // A score is the heartbeat time: one outside the epoch-ms range (inf, -1, 1e300) is
    // garbage in the index, skipped and reported rather than read as "seen just now".
    const ids: string[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = flat[i] as string;
      const score = flat[i + 1] as string;
      if (
        decodeListed(this.connection, () => decodeStoredTime(score, keys.live, id)) !== undefined
      ) {
        ids.push(id);
      }
    }
    const records = await inChunks(
      ids,
      async (slice) => {
        const recordKeys = slice.map((id) => keys.record(id));
        const values = await this.connection.send<(Buffer | null)[]>(
          recordKeys[0],
          ['MGET', ...recordKeys],
          BUFFERS,
        );
        return Promise.all(
          values.map(async (bytes, i) => {
            const id = slice[i];
            const key = recordKeys[i];
            if (id === undefined || key === undefined) return undefined;
            // MGET answers nil for a key of another Redis type as for an expired record.
            if (bytes === null) return this.#missingRecord(key);
            return decodeListed(this.connection, () =>
              decodeProcess(this.connection.codec, bytes, key, id),
            );
          }),
        );
      },
      PAGE,
    );
    return records.filter((r): r is ProcessRecord => r !== undefined && r.status !== 'stopped');
  }

  /**
   * An index entry whose record MGET did not return: expired (skipped, cleanup drops the
   * entry), or a key of another Redis type in its place (skipped and reported).
   */
  async #missingRecord(key: string): Promise<undefined> {
    const type = await this.connection.send<string>(key, ['TYPE', key]);
    if (type !== 'none') {
      this.connection.reportCorrupt(
        new DecodeError(key, undefined, `holds a Redis ${type}, not a process record`),
      );
    }
    return undefined;
  }

  async #rewrite(
    processId: string,
    change: {
      heartbeat: boolean;
      status: string | undefined;
      message: string | undefined;
      params: Record<string, string> | undefined;
      reply: boolean;
    },
  ): Promise<Buffer | null> {
    const codec = this.#rewritableCodec();
    const keys = this.#keys;
    const record = keys.record(processId);
    const [status, bytes] = await updateScript(
      this.connection,
      { record, live: keys.live, stopped: keys.stopped, components: keys.components },
      { codec, processId, now: Date.now(), ttlMs: this.#ttl, ...change },
    );
    if (status === MISSING) return null;
    if (status === CORRUPT) {
      throw new DecodeError(record, undefined, 'not a process record of layout version 1');
    }
    return bytes ?? Buffer.alloc(0);
  }

  async #pruneComponents(conn: CacheConnectionLike): Promise<void> {
    const { components } = this.#keys;
    const flat = await conn.send<string[]>(components, ['HGETALL', components]);
    const pairs: [string, string, string][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const component = flat[i] as string;
      const id = flat[i + 1] as string;
      pairs.push([component, id, this.#keys.record(id)]);
    }
    await inChunks(
      pairs,
      async (slice) => [await pruneComponentsScript(conn, components, slice)],
      PAGE,
    );
  }

  #rewritableCodec(): string {
    const codec = this.connection.codec.name;
    if (!REWRITABLE_CODECS.includes(codec)) {
      throw new ConfigurationError(
        'codec',
        `ProcessCache rewrites records inside Redis and reads only ${REWRITABLE_CODECS.join(' and ')} values, not ${codec}`,
      );
    }
    return codec;
  }
}
