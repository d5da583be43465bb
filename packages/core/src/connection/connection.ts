import type { EventEmitter } from 'node:events';
import type { CacheConfig, ConnectOptions } from '../config/config.js';
import { usesTls } from '../config/config-tls.js';
import type { Codec } from '../encoding/codec.js';
import { msgpackCodec } from '../encoding/codec.js';
import type { DecodeError } from '../errors.js';
import { KeyBuilder } from '../keys/key-builder.js';
import type { LuaScript } from '../scripts/script.js';
import { type AdminContext, adminContext, clearPrefix, openOrFail, readHealth } from './admin.js';
import { callBlocking } from './calls.js';
import { Commands } from './commands.js';
import type {
  CacheConnectionLike,
  InvalidationHandlers,
  InvalidationTracking,
  RedisArg,
  RedisReply,
  SendOptions,
} from './connection-like.js';
import { describeTarget } from './link.js';
import { ConnectionMonitor, observerOptions } from './monitor.js';
import { OperationScope } from './operation-scope.js';
import { SubscriberHub } from './subscriber-hub.js';
import type { SubscribeOptions, Subscription } from './subscription.js';
import { InvalidationTrackers } from './trackers.js';
import { createTransport, type Transport } from './transport.js';
import type { ConnectionEvents, HealthReport } from './types.js';

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
  /**
   * `ready`, `disconnected` (once per outage), `reconnecting`, `error` and `end`; see
   * {@link ConnectionEvents}.
   */
  readonly events: EventEmitter<ConnectionEvents>;
  /** `host:port` (or the cluster seed list), for messages. */
  readonly target: string;

  readonly #transport: Transport;
  readonly #hub: SubscriberHub;
  readonly #admin: AdminContext;
  readonly #monitor: ConnectionMonitor;
  readonly #onCorrupt: (error: DecodeError) => void;
  readonly #trackers: InvalidationTrackers;
  readonly #commands: Commands;
  /** What an operation's body sends through; stateless, so one serves every operation. */
  readonly #scope: OperationScope;
  #closing: Promise<void> | undefined;

  /** @internal Use {@link connect}. */
  constructor(
    config: CacheConfig,
    options: Pick<ConnectOptions, 'codec' | 'onCorrupt' | 'logger' | 'slowCallMs'> = {},
  ) {
    const { logger, slowCallMs } = observerOptions(options);
    this.config = Object.freeze({ ...config });
    this.keys = new KeyBuilder(config.prefix);
    this.codec = options.codec ?? msgpackCodec;
    const monitor = new ConnectionMonitor(describeTarget(config), logger, slowCallMs);
    this.#monitor = monitor;
    this.events = monitor.events;
    this.#onCorrupt = options.onCorrupt ?? ((error) => monitor.corrupt(error));
    this.#transport = createTransport(config, {
      replies: () => this.#commands.replies,
      ready: () => monitor.ready(),
      disconnected: (error) => {
        // Tracking may have missed a change while the link was down: start it afresh.
        this.#trackers.resetAll();
        monitor.lost(error);
      },
      reconnecting: (attempt, delayMs) => monitor.reconnecting(attempt, delayMs),
      error: (error) => monitor.error(error),
    });
    this.#commands = new Commands(this.#transport, monitor);
    this.mode = this.#transport.mode;
    this.target = this.#transport.target;
    this.#trackers = new InvalidationTrackers(this.#transport);
    this.#hub = new SubscriberHub(this.#transport);
    this.#admin = adminContext(this.#transport, this.keys, this.codec, () => this.ping());
    this.#scope = new OperationScope(this, this.#commands);
  }

  /** @internal Opens the main client; fails fast with a ConnectionError naming the target. */
  async open(): Promise<this> {
    await openOrFail(this.#transport, this.config.connectTimeoutMs, usesTls(this.config));
    this.#monitor.ready();
    return this;
  }

  /** {@inheritDoc CacheConnectionLike.send} */
  send<T = RedisReply>(
    key: string | undefined,
    args: RedisArg[],
    options?: SendOptions,
  ): Promise<T>;
  /** {@inheritDoc CacheConnectionLike.send} */
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
    return this.#commands.send(key, args, options, map, false);
  }

  /** {@inheritDoc CacheConnectionLike.blocking} */
  blocking<T = RedisReply>(key: string, args: RedisArg[], options: SendOptions = {}): Promise<T> {
    return callBlocking<T>(this.#transport, key, args, options.buffers === true);
  }

  /** {@inheritDoc CacheConnectionLike.runScript} */
  runScript<T = RedisReply>(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<T>;
  /** {@inheritDoc CacheConnectionLike.runScript} */
  runScript<T, R>(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    options: SendOptions | undefined,
    map: (reply: T) => R | PromiseLike<R>,
  ): Promise<R>;
  runScript<T, R>(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    options?: SendOptions,
    map?: (reply: T) => R | PromiseLike<R>,
  ): Promise<T | R> {
    return this.#commands.runScript(script, keys, args, options, map, false);
  }

  /** {@inheritDoc CacheConnectionLike.operation} */
  operation<T>(body: (conn: CacheConnectionLike) => Promise<T>): Promise<T> {
    const scope = this.#scope;
    return this.#commands.operation(() => body(scope));
  }

  /** {@inheritDoc CacheConnectionLike.publish} */
  publish(channel: string, message: RedisArg): Promise<number> {
    return this.send<number>(channel, ['PUBLISH', channel, message]);
  }

  /** {@inheritDoc CacheConnectionLike.subscribe} */
  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.#hub.subscribe(options);
  }

  /** {@inheritDoc CacheConnectionLike.trackInvalidations} */
  trackInvalidations(prefix: string, handlers: InvalidationHandlers): InvalidationTracking {
    return this.#trackers.track(prefix, handlers);
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
   * `not-sent`); calls in flight finish, each operation whole (a script's NOSCRIPT reload, the
   * registry touch or status stamp after a script: an operation begun before `close()` is never
   * refused after any of its commands ran); then the connections close, subscriptions end and
   * `end` is emitted. The wait gives up once `socketTimeoutMs` pass without progress.
   * Idempotent.
   */
  close(): Promise<void> {
    const operations = this.#commands.operations;
    const quietMs = this.config.socketTimeoutMs;
    this.#closing ??= this.#shut(this.#transport.close(() => operations.idle(quietMs)));
    return this.#closing;
  }

  /**
   * Closes at once: calls in flight fail with `ConnectionError` (outcome `unknown`). Idempotent;
   * also ends a `close()` still draining.
   */
  destroy(): Promise<void> {
    const done = this.#shut(this.#transport.destroy());
    this.#closing ??= done;
    return done;
  }

  /** Ends subscriptions and invalidation feeds, then emits `end` once `transport` has closed. */
  #shut(transport: Promise<void>): Promise<void> {
    this.#hub.closeAll();
    return Promise.all([transport, this.#trackers.closeAll()]).then(() => this.#monitor.end());
  }

  /** Same as `close()`, for containers that call `dispose()` (tsyringe, awilix disposers). */
  dispose(): Promise<void> {
    return this.close();
  }

  /** Same as `close()`, for `await using conn = await connect()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
