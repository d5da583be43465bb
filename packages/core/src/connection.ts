import { EventEmitter } from 'node:events';
import type { Codec } from './codec.js';
import { msgpackCodec } from './codec.js';
import { type CacheConfig, type ConnectOptions, resolveConfig } from './config.js';
import { usesTls } from './config-tls.js';
import {
  type AdminContext,
  adminContext,
  clearPrefix,
  openOrFail,
  readHealth,
} from './connection/admin.js';
import { callBlocking, callScript } from './connection/calls.js';
import { warnCorrupt } from './connection/corrupt.js';
import { InvalidationTracker } from './connection/invalidation.js';
import { closedError } from './connection/link.js';
import { SubscriberHub } from './connection/subscriber-hub.js';
import { translateError } from './connection/translate.js';
import { createTransport, type Transport } from './connection/transport.js';
import type { ConnectionEvents, HealthReport } from './connection/types.js';
import type {
  CacheConnectionLike,
  InvalidationHandlers,
  InvalidationTracking,
  RedisArg,
  RedisReply,
  SendOptions,
} from './connection-like.js';
import type { DecodeError } from './errors.js';
import { KeyBuilder } from './key-builder.js';
import type { LuaScript } from './script.js';
import type { SubscribeOptions, Subscription } from './subscription.js';

export type { ConnectOptions } from './config.js';
export { resolveConfig } from './config.js';
export type { ConnectionEvents, HealthReport } from './connection/types.js';
export type { RedisArg, RedisReply, SendOptions } from './connection-like.js';

/**
 * The connection and keyspace service every cache takes in its constructor.
 *
 * It owns one multiplexed node-redis v4 client (or cluster client) for ordinary commands, which
 * node-redis pipelines by itself, and creates dedicated connections on demand for blocking pops
 * (bounded by `maxConnections`) and one for subscriptions. While the server is unreachable a
 * command waits at most `socketTimeoutMs` for the reconnect, then throws {@link ConnectionError}.
 * This class is a facade: the transport (`connection/`) talks to node-redis, one function
 * translates errors, the subscriber hub owns subscriptions, and admin serves health and clear.
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

  readonly #transport: Transport;
  readonly #hub: SubscriberHub;
  readonly #admin: AdminContext;
  readonly #onCorrupt: (error: DecodeError) => void;
  readonly #trackers = new Set<InvalidationTracker>();
  #closing: Promise<void> | undefined;
  #replies = 0;
  /** Counts a reply (the stall watchdog's sign of life) and passes it on. */
  readonly #counted = <T>(reply: T): T => {
    this.#replies++;
    return reply;
  };

  /** @internal Use {@link connect}. */
  constructor(config: CacheConfig, options: Pick<ConnectOptions, 'codec' | 'onCorrupt'> = {}) {
    this.config = Object.freeze({ ...config });
    this.keys = new KeyBuilder(config.prefix);
    this.codec = options.codec ?? msgpackCodec;
    this.#onCorrupt = options.onCorrupt ?? warnCorrupt;
    this.#transport = createTransport(config, {
      replies: () => this.#replies,
      ready: () => this.events.emit('ready'),
      disconnected: (error) => {
        // Tracking may have missed a change while the link was down: start it afresh.
        for (const tracker of this.#trackers) tracker.reset();
        this.events.emit('disconnected', error);
      },
    });
    this.mode = this.#transport.mode;
    this.target = this.#transport.target;
    this.#hub = new SubscriberHub(this.#transport);
    this.#admin = adminContext(this.#transport, this.keys, this.codec, () => this.ping());
  }

  /** @internal Opens the main client; fails fast with a ConnectionError naming the target. */
  async open(): Promise<this> {
    await openOrFail(this.#transport, this.config.connectTimeoutMs, usesTls(this.config));
    return this;
  }

  /**
   * {@inheritDoc CacheConnectionLike.send}
   * @throws {ConnectionError} when Redis is unreachable for `socketTimeoutMs` (see `outcome`).
   * @throws {FullonCacheError} (code `COMMAND`) when the server answers with an error.
   */
  send<T = RedisReply>(
    key: string | undefined,
    args: RedisArg[],
    options?: SendOptions,
  ): Promise<T>;
  /**
   * Sends one command and maps its reply in the same promise step; a throw in `map` rejects
   * the returned promise unchanged.
   * @param key - The first key (cluster routing).
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
    const sent = this.#transport.send<T>(key, args, options?.buffers === true);
    const failed = (error: unknown): never => {
      throw translateError(error, args[0]?.toString() ?? 'command', this.#transport);
    };
    if (map === undefined) return sent.then(this.#counted, failed);
    return sent.then((reply) => map(this.#counted(reply)), failed);
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
  blocking<T = RedisReply>(key: string, args: RedisArg[], options: SendOptions = {}): Promise<T> {
    return callBlocking<T>(this.#transport, key, args, options.buffers === true);
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
    return callScript<T>(this.#transport, script, keys, args, options?.buffers === true);
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
  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.#hub.subscribe(options);
  }

  /**
   * Reports every change to keys under `prefix`, told by the server: per master, one dedicated
   * connection runs `CLIENT TRACKING ON REDIRECT <its own id> BCAST PREFIX <prefix>` and
   * subscribes to `__redis__:invalidate`. `onReset` is called whenever tracking may have missed
   * a change (a tracking or data connection dropped, a cluster master changed) and `onLive`
   * once it is confirmed again on every master. Closed with the connection.
   * @param prefix - Key prefix, e.g. `myapp:tick:`.
   * @param handlers - Invalidations (`null`: the database was flushed), resets, live signal.
   * @returns The feed; it starts at once.
   * @throws {ConnectionError} when the connection is closed.
   */
  trackInvalidations(prefix: string, handlers: InvalidationHandlers): InvalidationTracking {
    if (this.#transport.closed) throw closedError(this.#transport);
    const tracker: InvalidationTracker = new InvalidationTracker(
      this.#transport,
      prefix,
      handlers,
      () => this.#trackers.delete(tracker),
    );
    this.#trackers.add(tracker);
    return tracker;
  }

  /** {@inheritDoc CacheConnectionLike.reportCorrupt} */
  reportCorrupt(error: DecodeError): void {
    this.#onCorrupt(error);
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
   * Measures the connection and reads server facts.
   * @returns Latency, server version, mode, node count, memory, prefix and codec.
   * @throws {ConnectionError} when Redis is unreachable.
   */
  health(): Promise<HealthReport> {
    return readHealth(this.#admin);
  }

  /**
   * Deletes every key under this connection's prefix (SCAN + UNLINK on every master); keys of
   * other prefixes and unprefixed keys are untouched. Never FLUSHDB.
   * @returns How many keys were deleted.
   */
  clear(): Promise<number> {
    return clearPrefix(this.#admin);
  }

  /**
   * Closes gracefully: new calls fail at once with a "closed" `ConnectionError` (outcome
   * `not-sent`), calls in flight finish (at most `socketTimeoutMs`), then the connections
   * close and subscriptions end. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      const trackers = Promise.all([...this.#trackers].map((t) => t.close()));
      this.#closing = Promise.all([this.#transport.close(), trackers]).then(() => {
        this.events.removeAllListeners();
      });
      this.#hub.closeAll();
    }
    return this.#closing;
  }

  /**
   * Closes at once: calls in flight fail with `ConnectionError` (outcome `unknown`). Idempotent;
   * also ends a `close()` still draining.
   */
  destroy(): Promise<void> {
    const trackers = Promise.all([...this.#trackers].map((t) => t.close()));
    const done = Promise.all([this.#transport.destroy(), trackers]).then(() => {
      this.events.removeAllListeners();
    });
    this.#hub.closeAll();
    this.#closing ??= done;
    return done;
  }

  /** Same as `close()`, for `await using conn = await connect()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
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
  return new CacheConnection(config, typeof input === 'object' ? input : {}).open();
}
