import { EventEmitter } from 'node:events';
import { ClientOfflineError, createClient, createCluster, ErrorReply } from 'redis';
import type { Codec } from './codec.js';
import { msgpackCodec } from './codec.js';
import { type CacheConfig, checkConfig, loadConfig, validateRedisUrl } from './config.js';
import type { CacheConnectionLike, RedisArg, RedisReply, SendOptions } from './connection-like.js';
import {
  ConnectionError,
  DecodeError,
  FullonCacheError,
  PubSubError,
  ValidationError,
} from './errors.js';
import { KeyBuilder } from './key-builder.js';
import type { LuaScript } from './script.js';
import { keySlot } from './slot.js';
import { startStallWatchdog } from './stall-watchdog.js';
import { type SubscribeOptions, Subscription } from './subscription.js';

type StandaloneClient = ReturnType<typeof createClient>;
type ClusterClient = ReturnType<typeof createCluster>;

export type { RedisArg, RedisReply, SendOptions } from './connection-like.js';

/** Options accepted by {@link connect}, beyond the {@link CacheConfig} fields. */
export interface ConnectOptions extends Partial<CacheConfig> {
  /** Value codec. Defaults to msgpack. */
  codec?: Codec;
  /** Called when a listing skips a corrupt value. Defaults to a process warning. */
  onCorrupt?: (error: DecodeError) => void;
}

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
}

/** Events a connection emits on {@link CacheConnection.events}. */
export interface ConnectionEvents {
  /** The connection is (again) ready. */
  ready: [];
  /** The connection was lost; caches drop anything held in memory. */
  disconnected: [error: Error];
}

/** Options object reused by every buffer read, so the hot path allocates none. */
const RETURN_BUFFERS = Object.freeze({ returnBuffers: true });

const BACKOFF_BASE_MS = 50;
const BACKOFF_CAP_MS = 2_000;
/** How often a call retries a connection that is still reconnecting. */
const RETRY_OFFLINE_MS = 50;

/** Shared by a client and the pooled connections node-redis duplicates from it. */
interface LinkState {
  /** The first connect succeeded: from now on, reconnect. */
  connected: boolean;
  /** close() was called: stop retrying, so a pooled connection still opening lets go. */
  closing?: boolean;
}

/**
 * First connect fails fast; once connected, reconnects back off exponentially with jitter,
 * until the connection is closed. The pause never exceeds half the socket timeout, so a
 * connection (a pooled one too) is back within that much of the server, while a call issued
 * then still waits.
 */
function reconnectStrategy(state: LinkState, socketTimeoutMs: number) {
  const cap = Math.max(BACKOFF_BASE_MS, Math.min(BACKOFF_CAP_MS, Math.floor(socketTimeoutMs / 2)));
  return (retries: number, cause: Error): number | Error => {
    if (!state.connected || state.closing === true) return cause;
    const ceiling = Math.min(cap, BACKOFF_BASE_MS * 2 ** Math.min(retries, 10));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  };
}

function describeTarget(config: CacheConfig): string {
  if (config.clusterNodes !== undefined) {
    return `cluster ${config.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
  }
  if (config.url !== undefined) {
    const url = new URL(config.url);
    return `${url.hostname}:${url.port || '6379'}`;
  }
  return `${config.host}:${config.port}`;
}

/**
 * The connection and keyspace service every cache takes in its constructor.
 *
 * It owns one multiplexed node-redis v4 client (or cluster client) for ordinary commands, which
 * node-redis pipelines by itself, and creates dedicated connections on demand for blocking pops
 * (bounded by `maxConnections`) and one for subscriptions. While the server is unreachable a
 * command waits at most `socketTimeoutMs` for the reconnect, then throws {@link ConnectionError}.
 *
 * @example
 * ```ts
 * await using conn = await connect({ prefix: 'myapp' });
 * await conn.ping();
 * const ticks = new TickCache(conn);
 * ```
 */
export class CacheConnection implements CacheConnectionLike, AsyncDisposable {
  /** The complete configuration in force. */
  readonly config: Readonly<CacheConfig>;
  /** Builds every key and channel under `config.prefix`. */
  readonly keys: KeyBuilder;
  /** Value codec. */
  readonly codec: Codec;
  /** Standalone server or cluster. */
  readonly mode: 'standalone' | 'cluster';
  /** `ready` and `disconnected` notifications. */
  readonly events = new EventEmitter<ConnectionEvents>();
  /** `host:port` (or the cluster seed list), for messages. */
  readonly target: string;

  readonly #standalone: StandaloneClient | undefined;
  readonly #cluster: ClusterClient | undefined;
  readonly #state: LinkState = { connected: false };
  readonly #onCorrupt: (error: DecodeError) => void;
  #subscriber: Promise<StandaloneClient> | undefined;
  readonly #readyWaiters = new WeakMap<StandaloneClient, Promise<void>>();
  #closing: Promise<void> | undefined;
  #stopWatchdog: (() => void) | undefined;
  readonly #subscriptions = new Set<Subscription>();

  /** @internal Use {@link connect}. */
  constructor(config: CacheConfig, options: Pick<ConnectOptions, 'codec' | 'onCorrupt'> = {}) {
    this.config = Object.freeze({ ...config });
    this.keys = new KeyBuilder(config.prefix);
    this.codec = options.codec ?? msgpackCodec;
    this.target = describeTarget(config);
    this.#onCorrupt =
      options.onCorrupt ??
      ((error) => process.emitWarning(error.message, { code: 'FULLON_CACHE_CORRUPT_VALUE' }));
    const socket = {
      connectTimeout: config.connectTimeoutMs,
      tls: config.tls,
      reconnectStrategy: reconnectStrategy(this.#state, config.socketTimeoutMs),
    } as const;
    const credentials = {
      ...(config.username === undefined ? {} : { username: config.username }),
      ...(config.password === undefined ? {} : { password: config.password }),
    };
    // A blocking call waits at most the socket timeout for a pooled connection: opening one
    // retries for as long as the server is down, and all may be taken by long pops.
    const pool = { max: config.maxConnections, acquireTimeoutMillis: config.socketTimeoutMs };
    const onError = (error: Error) => this.#handleError(error);
    if (config.clusterNodes !== undefined) {
      this.mode = 'cluster';
      this.#cluster = createCluster({
        rootNodes: config.clusterNodes.map((n) => ({ socket: { host: n.host, port: n.port } })),
        // Node clients take their options from `defaults` only: a pool size given beside it
        // is ignored, and generic-pool's default of one connection serialised every blocking
        // pop on a node behind the one already waiting.
        defaults: {
          socket,
          ...credentials,
          disableOfflineQueue: true,
          isolationPoolOptions: pool,
        },
      });
      this.#cluster.on('error', onError);
    } else {
      this.mode = 'standalone';
      const address =
        config.url === undefined
          ? {
              socket: { ...socket, host: config.host, port: config.port },
              database: config.db,
              ...credentials,
            }
          : { url: config.url, socket };
      this.#standalone = createClient({
        ...address,
        disableOfflineQueue: true,
        isolationPoolOptions: pool,
      });
      this.#standalone.on('error', onError);
      this.#standalone.on('ready', () => this.events.emit('ready'));
    }
  }

  /** @internal Opens the main client; fails fast with a ConnectionError naming the target. */
  async open(): Promise<this> {
    try {
      if (this.#cluster !== undefined) await this.#cluster.connect();
      else await this.#standalone?.connect();
    } catch (cause) {
      await this.#forceClose();
      throw new ConnectionError(
        `cannot connect to Redis at ${this.target}: ${(cause as Error).message}`,
        { cause },
      );
    }
    this.#state.connected = true;
    const client = this.#standalone;
    if (client !== undefined) {
      this.#stopWatchdog = startStallWatchdog(client, this.config.socketTimeoutMs, async () => {
        const error = new ConnectionError(
          `Redis at ${this.target} stopped answering for ${this.config.socketTimeoutMs} ms`,
        );
        this.events.emit('disconnected', error);
        // Dropping the link rejects every command waiting on it; then connect again (the
        // reconnect strategy backs off while the server stays unreachable).
        await client.disconnect().catch(() => undefined);
        if (this.#closing === undefined) client.connect().catch(() => undefined);
      });
    }
    return this;
  }

  #handleError(error: Error): void {
    // node-redis emits every socket error here; a listener must exist or Node crashes. The
    // error that matters to a caller reaches it through the failed command instead.
    if (this.#state.connected) this.events.emit('disconnected', error);
  }

  /** Translates a node-redis failure into the error family. */
  #translate(error: unknown, what: string): FullonCacheError {
    if (FullonCacheError.is(error)) return error;
    if (error instanceof ErrorReply) {
      return new FullonCacheError(`${what} failed: ${error.message}`, 'COMMAND', { cause: error });
    }
    // generic-pool's TimeoutError: no pooled connection for a blocking call within the timeout.
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no blocking connection within ${this.config.socketTimeoutMs} ms (server unreachable, or all ${this.config.maxConnections} in use)`
        : error instanceof Error
          ? error.message
          : String(error);
    return new ConnectionError(`${what} on Redis at ${this.target} failed: ${reason}`, {
      cause: error,
    });
  }

  /**
   * Sends one raw command on the shared connection.
   * @param key - The first key (routes the command on a cluster); `undefined` for keyless commands.
   * @param args - Command and arguments, e.g. `['HGET', key, field]`.
   * @param options - `buffers` to receive bulk strings as `Buffer`.
   * @returns The raw reply.
   * @throws {ConnectionError} when Redis is unreachable for `socketTimeoutMs`.
   * @throws {FullonCacheError} (code `COMMAND`) when the server answers with an error.
   */
  send<T = RedisReply>(
    key: string | undefined,
    args: RedisArg[],
    options?: SendOptions,
  ): Promise<T>;
  /**
   * Sends one raw command and maps its reply in the same step (one promise instead of two, which
   * matters on hot reads); an exception thrown by `map` rejects the returned promise unchanged.
   * @param key - The first key, for cluster routing.
   * @param args - Command and arguments.
   * @param options - `buffers` to receive bulk strings as `Buffer`.
   * @param map - Turns the raw reply into the result.
   * @returns What `map` returned.
   */
  send<T, R>(
    key: string | undefined,
    args: RedisArg[],
    options: SendOptions | undefined,
    map: (reply: T) => R,
  ): Promise<R>;
  send<T, R>(
    key: string | undefined,
    args: RedisArg[],
    options?: SendOptions,
    map?: (reply: T) => R,
  ): Promise<T | R> {
    const sent = this.#sendRaw<T>(key, args, options?.buffers === true);
    const failed = (error: unknown): never => {
      throw this.#translate(error, args[0]?.toString() ?? 'command');
    };
    return map === undefined ? sent.then(undefined, failed) : sent.then(map, failed);
  }

  /**
   * The untranslated send: a ready standalone client takes the command directly (the hot
   * path, no async frame); anything else goes through `#dispatch`.
   */
  #sendRaw<T>(key: string | undefined, args: RedisArg[], buffers: boolean): Promise<T> {
    const standalone = this.#standalone;
    if (standalone?.isReady && this.#closing === undefined) {
      return buffers
        ? standalone.sendCommand<T>(args, RETURN_BUFFERS)
        : standalone.sendCommand<T>(args);
    }
    return this.#dispatch(key, args, buffers, false) as Promise<T>;
  }

  /**
   * Sends a command once the client that will carry it is ready.
   *
   * Clients run with node-redis's offline queue disabled, and no `AbortSignal` goes to
   * node-redis: a command queued while the link was down could otherwise wait for a reconnect
   * without bound (those written just before the link dropped were kept for the next
   * connection), and node-redis 4 keeps an abort listener after the command was written, so a
   * signal firing later rejects a command that already ran (a BLPOP lost the item it popped)
   * and costs quadratic time under load. Instead a call waits for its client's `ready`, at
   * most `socketTimeoutMs` in all, and is written at once; a link that drops afterwards
   * rejects every command on it.
   */
  #dispatch(
    key: string | undefined,
    args: RedisArg[],
    buffers: boolean,
    isolated: boolean,
    deadline?: number,
  ): Promise<unknown> {
    if (this.#closing !== undefined) return Promise.reject(this.#closedError());
    const standalone = this.#standalone;
    const client = standalone ?? this.#nodeClient(key);
    if (client !== undefined && !client.isReady) {
      const until = deadline ?? Date.now() + this.config.socketTimeoutMs;
      return this.#whenReady(client, until).then(() =>
        this.#dispatch(key, args, buffers, isolated, until),
      );
    }
    if (standalone !== undefined && !isolated) {
      return buffers
        ? standalone.sendCommand(args, { returnBuffers: true })
        : standalone.sendCommand(args);
    }
    if (client !== undefined && this.#cluster !== undefined && !isolated) {
      return this.#cluster.sendCommand(key, false, args, { returnBuffers: buffers });
    }
    // A pooled blocking connection, or a cluster node not known here (keyless command), may
    // still be reconnecting while the main client is ready: retry until the deadline.
    const options = { returnBuffers: buffers, isolated };
    const sent =
      standalone !== undefined
        ? standalone.sendCommand(args, options)
        : (this.#cluster as ClusterClient).sendCommand(key, false, args, options);
    return sent.catch((error: unknown) => {
      if (!(error instanceof ClientOfflineError)) throw error;
      const until = deadline ?? Date.now() + this.config.socketTimeoutMs;
      const wait = Math.min(RETRY_OFFLINE_MS, until - Date.now());
      if (wait <= 0) throw error;
      return new Promise((resolve) => setTimeout(resolve, wait)).then(() =>
        this.#dispatch(key, args, buffers, isolated, until),
      );
    });
  }

  /** The cluster master client that owns `key`'s slot, when it exists already. */
  #nodeClient(key: string | undefined): StandaloneClient | undefined {
    if (key === undefined || this.#cluster === undefined) return undefined;
    const client = this.#cluster.slots[keySlot(key)]?.master.client;
    return client === undefined || client instanceof Promise
      ? undefined
      : (client as StandaloneClient);
  }

  #closedError(): ConnectionError {
    return new ConnectionError(`the connection to Redis at ${this.target} is closed`);
  }

  /**
   * Resolves once `client` is ready, or rejects with ConnectionError at `until` (epoch ms).
   * Calls waiting for one client share one `ready` listener.
   */
  #whenReady(client: StandaloneClient, until: number): Promise<void> {
    let ready = this.#readyWaiters.get(client);
    if (ready === undefined) {
      const waiter = new Promise<void>((resolve) => client.once('ready', () => resolve()));
      void waiter.then(() => this.#readyWaiters.delete(client));
      this.#readyWaiters.set(client, waiter);
      ready = waiter;
    }
    const shared = ready;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          reject(
            new ConnectionError(
              `no connection to Redis at ${this.target} within ${this.config.socketTimeoutMs} ms`,
            ),
          );
        },
        Math.max(0, until - Date.now()),
      );
      void shared.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Runs a blocking command (BLPOP, BLMOVE, …) on a dedicated pooled connection, so the shared
   * connection stays free and a wait longer than `socketTimeoutMs` works.
   * @param key - First key, for cluster routing.
   * @param args - The blocking command with its server-side timeout.
   * @param options - `buffers` to receive bulk strings as `Buffer`.
   * @returns The raw reply (`null` when the server-side timeout passed).
   * @throws {ConnectionError} when Redis is unreachable for `socketTimeoutMs`, when the
   * connection drops during the wait, or when all `maxConnections` dedicated connections (per
   * node on a cluster) stay busy for `socketTimeoutMs`.
   */
  async blocking<T = RedisReply>(
    key: string,
    args: RedisArg[],
    options: SendOptions = {},
  ): Promise<T> {
    try {
      return (await this.#dispatch(key, args, options.buffers === true, true)) as T;
    } catch (error) {
      throw this.#translate(error, args[0]?.toString() ?? 'blocking command');
    }
  }

  /**
   * Runs a Lua script by SHA, loading it with EVAL when the server answers NOSCRIPT.
   * @param script - From `defineScript`.
   * @param keys - Every key the script touches (sharing a hash tag on a cluster).
   * @param args - ARGV.
   * @param options - `buffers` to receive bulk strings as `Buffer`.
   * @returns The script's reply.
   */
  runScript<T = RedisReply>(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<T> {
    // Sized once: growing the array push by push showed up as a microsecond per call.
    const command = new Array<RedisArg>(3 + keys.length + args.length);
    command[0] = 'EVALSHA';
    command[1] = script.sha;
    command[2] = String(keys.length);
    let at = 3;
    for (const key of keys) command[at++] = key;
    for (const arg of args) command[at++] = arg;
    const buffers = options?.buffers === true;
    // One rejection handler for both attempts, on the untranslated send: a script call costs
    // one promise layer, like a plain command.
    const failed = (error: unknown): Promise<T> => {
      if (
        command[0] === 'EVALSHA' &&
        error instanceof ErrorReply &&
        error.message.startsWith('NOSCRIPT')
      ) {
        // The server lost its script cache (restart, SCRIPT FLUSH, failover): EVAL loads it again.
        command[0] = 'EVAL';
        command[1] = script.source;
        return this.#sendRaw<T>(keys[0], command, buffers).then(undefined, failed);
      }
      throw error instanceof ErrorReply
        ? new FullonCacheError(`script ${script.name} failed: ${error.message}`, 'COMMAND', {
            cause: error,
          })
        : this.#translate(error, `script ${script.name}`);
    };
    return this.#sendRaw<T>(keys[0], command, buffers).then(undefined, failed);
  }

  /**
   * Publishes a message.
   * @param channel - From `keys.channel()`.
   * @param message - Payload.
   * @returns How many subscribers received it (on a cluster, those of the receiving node).
   */
  publish(channel: string, message: RedisArg): Promise<number> {
    return this.send<number>(channel, ['PUBLISH', channel, message]);
  }

  async #subscriberClient(): Promise<StandaloneClient> {
    const main = this.#standalone as StandaloneClient;
    if (this.#subscriber === undefined) {
      const state: LinkState = { connected: false };
      const client = main.duplicate({
        socket: {
          ...main.options?.socket,
          reconnectStrategy: reconnectStrategy(state, this.config.socketTimeoutMs),
        },
      } as Parameters<StandaloneClient['duplicate']>[0]);
      client.on('error', () => {
        // Reconnects are automatic and node-redis resubscribes; nothing to do here.
      });
      this.#subscriber = client.connect().then(
        async () => {
          if (this.#closing !== undefined) {
            // close() ran while this connection was being opened: do not leak it.
            await client.disconnect().catch(() => undefined);
            throw this.#closedError();
          }
          state.connected = true;
          return client;
        },
        (cause: unknown) => {
          this.#subscriber = undefined;
          throw cause;
        },
      );
    }
    return this.#subscriber;
  }

  /**
   * Subscribes to channels and/or patterns. Resolves once the server has confirmed, so a value
   * published after this returns is delivered. The subscription resubscribes after a reconnect
   * (messages published while disconnected are lost, as with any Redis pub/sub).
   * @param options - Channels, patterns, an `AbortSignal`, the buffer size.
   * @returns An `AsyncIterable` of messages.
   * @throws {PubSubError} when the subscription cannot be made.
   * @example
   * ```ts
   * const sub = await conn.subscribe({ channels: [conn.keys.channel('news')], signal });
   * for await (const { message } of sub) console.log(conn.codec.decode(message));
   * ```
   */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const subscription = new Subscription(options);
    const channels = options.channels ?? [];
    const patterns = options.patterns ?? [];
    if (channels.length + patterns.length === 0)
      throw new ValidationError('channels', 'channels: subscribe needs a channel or a pattern');
    // A closed connection must not open a new subscriber connection behind the caller's back.
    if (this.#closing !== undefined) throw this.#closedError();
    let target: StandaloneClient | ClusterClient | undefined;
    const unsubscribe = (chs: readonly string[], pats: readonly string[]) => {
      this.#subscriptions.delete(subscription);
      // Once closed, the subscriber client is gone and a queued UNSUBSCRIBE would never be
      // answered. During an outage it waits for the reconnect, at most the timeout; node-redis
      // drops the listeners at once either way.
      if (this.#closing !== undefined || target === undefined) return Promise.resolve();
      const client = target;
      return this.#bounded(
        Promise.all([
          ...chs.map((c) => client.unsubscribe(c, subscription.listenerFor(`c:${c}`), true)),
          ...pats.map((p) => client.pUnsubscribe(p, subscription.listenerFor(`p:${p}`), true)),
        ]),
      ).then(() => undefined);
    };
    try {
      target = this.#cluster ?? (await this.#bounded(this.#subscriberClient()));
      const client = target;
      // Bounded like every command: node-redis queues SUBSCRIBE while the link is down.
      await this.#bounded(
        Promise.all([
          ...channels.map((c) => client.subscribe(c, subscription.listenerFor(`c:${c}`), true)),
          ...patterns.map((p) => client.pSubscribe(p, subscription.listenerFor(`p:${p}`), true)),
        ]),
      );
      this.#subscriptions.add(subscription);
      subscription.attach({ unsubscribe });
    } catch (cause) {
      // Channels that did subscribe must not keep a listener nobody reads.
      await unsubscribe(channels, patterns).catch(() => undefined);
      if (FullonCacheError.is(cause)) throw cause;
      const message = `subscribe on Redis at ${this.target} failed: ${(cause as Error).message}`;
      // The server refusing the subscription is a pub/sub error; no link to it is a connection error.
      throw cause instanceof ErrorReply
        ? new PubSubError(message, { cause })
        : new ConnectionError(message, { cause });
    }
    return subscription;
  }

  /**
   * Reports a corrupt value that a listing skipped.
   * @param error - The decode failure, with key and field.
   */
  reportCorrupt(error: DecodeError): void {
    this.#onCorrupt(error);
  }

  /**
   * Decodes one entry of a listing: a corrupt entry is reported through `onCorrupt` and skipped
   * (`undefined`), as every listing must; any other error propagates.
   * @param decode - Decodes the entry (throws `DecodeError` on corrupt bytes).
   * @returns The decoded entry, or `undefined` when it was corrupt.
   */
  decodeListed<T>(decode: () => T): T | undefined {
    try {
      return decode();
    } catch (error) {
      if (!DecodeError.is(error)) throw error;
      this.#onCorrupt(error);
      return undefined;
    }
  }

  /**
   * Sends PING.
   * @returns The round-trip time in ms.
   * @throws {ConnectionError} when Redis does not answer within `socketTimeoutMs`.
   */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.send(undefined, ['PING']);
    return performance.now() - started;
  }

  /**
   * Sends a command to one given node (health and clear visit every master), waiting at most
   * `socketTimeoutMs` for that node to be ready, like every other call.
   */
  async #sendTo<T>(client: StandaloneClient, args: RedisArg[]): Promise<T> {
    if (this.#closing !== undefined) throw this.#closedError();
    if (!client.isReady) {
      await this.#whenReady(client, Date.now() + this.config.socketTimeoutMs);
      if (this.#closing !== undefined) throw this.#closedError();
    }
    return client.sendCommand<T>(args);
  }

  async #masterClients(): Promise<StandaloneClient[]> {
    if (this.#closing !== undefined) throw this.#closedError();
    if (this.#cluster === undefined) return [this.#standalone as StandaloneClient];
    const cluster = this.#cluster;
    return this.#bounded(
      Promise.all(
        cluster.masters.map(
          (m) => cluster.nodeClient(m) as Promise<StandaloneClient> | StandaloneClient,
        ),
      ),
    );
  }

  /** Rejects with ConnectionError when `promise` has not settled within `socketTimeoutMs`. */
  #bounded<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new ConnectionError(
            `no connection to Redis at ${this.target} within ${this.config.socketTimeoutMs} ms`,
          ),
        );
      }, this.config.socketTimeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /**
   * Measures the connection and reads server facts.
   * @returns Latency, server version, mode, node count, memory, prefix and codec.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  async health(): Promise<HealthReport> {
    const latencyMs = await this.ping();
    let serverVersion = '';
    let usedMemoryBytes = 0;
    let masters: StandaloneClient[];
    try {
      masters = await this.#masterClients();
      for (const client of masters) {
        const info = await this.#sendTo<string>(client, ['INFO', 'server']);
        const memory = await this.#sendTo<string>(client, ['INFO', 'memory']);
        serverVersion ||= /redis_version:(\S+)/.exec(info)?.[1] ?? '';
        usedMemoryBytes += Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0);
      }
    } catch (error) {
      throw this.#translate(error, 'INFO');
    }
    return {
      ok: true,
      latencyMs,
      serverVersion,
      mode: this.mode,
      nodes: masters.length,
      usedMemoryBytes,
      prefix: this.config.prefix,
      codec: this.codec.name,
    };
  }

  /**
   * Deletes every key under this connection's prefix (SCAN + UNLINK on every master); keys of
   * other prefixes and unprefixed keys are untouched. Never FLUSHDB.
   * @returns How many keys were deleted.
   */
  async clear(): Promise<number> {
    const pattern = this.keys.scanPattern();
    let deleted = 0;
    try {
      for (const client of await this.#masterClients()) {
        let cursor = '0';
        do {
          const [next, keys] = await this.#sendTo<[string, string[]]>(client, [
            'SCAN',
            cursor,
            'MATCH',
            pattern,
            'COUNT',
            '1000',
          ]);
          cursor = next;
          // One UNLINK per key: keys found on one node may still sit in different slots.
          const counts = await Promise.all(
            keys.map((k) => this.#sendTo<number>(client, ['UNLINK', k])),
          );
          deleted += counts.reduce((a, b) => a + b, 0);
        } while (cursor !== '0');
      }
    } catch (error) {
      throw this.#translate(error, 'clear');
    }
    return deleted;
  }

  async #forceClose(): Promise<void> {
    this.#stopWatchdog?.();
    const quiet = () => undefined;
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) await subscriber.then((c) => c.disconnect(), quiet).catch(quiet);
    if (this.#cluster !== undefined) await this.#cluster.disconnect().catch(quiet);
    if (this.#standalone?.isOpen) await this.#standalone.disconnect().catch(quiet);
  }

  /**
   * Closes every connection this object opened and ends its subscriptions. Idempotent; later
   * calls throw `ConnectionError`.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#state.closing = true;
      this.#closing = this.#forceClose().then(() => {
        this.events.removeAllListeners();
      });
      // End every live subscription, so a `for await` over one does not wait forever.
      for (const subscription of this.#subscriptions) void subscription.close();
      this.#subscriptions.clear();
    }
    return this.#closing;
  }

  /** Same as `close()`, for `await using conn = await connect()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Resolves the configuration for {@link connect}: explicit fields win, the rest comes from the
 * environment (and `.env`).
 * @param input - Options, a `redis://`/`rediss://` URL, or nothing.
 * @returns The complete configuration.
 * @throws {ConfigurationError} naming the variable or option at fault.
 */
export function resolveConfig(input?: ConnectOptions | string): CacheConfig {
  const options: ConnectOptions =
    typeof input === 'string' ? { url: validateRedisUrl(input, 'url') } : (input ?? {});
  const { codec: _codec, onCorrupt: _onCorrupt, ...fields } = options;
  const base = loadConfig();
  const merged: CacheConfig = { ...base };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[name] = value;
  }
  // An explicit host or port replaces a URL that came from the environment.
  if (options.url === undefined && (options.host !== undefined || options.port !== undefined))
    delete merged.url;
  if (
    options.clusterNodes === undefined &&
    (options.url !== undefined || options.host !== undefined)
  ) {
    delete merged.clusterNodes;
  }
  return checkConfig(merged);
}

/**
 * Opens a connection. Fields not given come from the environment (see `loadConfig`).
 * @param input - Options, or a `redis://` / `rediss://` URL. Defaults to the environment.
 * @returns A ready connection; close it with `close()` or `await using`.
 * @throws {ConfigurationError} when the configuration is malformed.
 * @throws {ConnectionError} naming host:port when Redis cannot be reached within `connectTimeoutMs`.
 * @example
 * ```ts
 * await using conn = await connect('redis://localhost:6379');
 * console.log(await conn.health());
 * ```
 */
export async function connect(input?: ConnectOptions | string): Promise<CacheConnection> {
  const config = resolveConfig(input);
  const options = typeof input === 'object' ? input : {};
  const connection = new CacheConnection(config, {
    ...(options.codec === undefined ? {} : { codec: options.codec }),
    ...(options.onCorrupt === undefined ? {} : { onCorrupt: options.onCorrupt }),
  });
  return connection.open();
}
