import type { Codec } from '../encoding/codec.js';
import { ConfigurationError, type DecodeError } from '../errors.js';
import type { PatternPart } from '../keys/key-builder.js';
import type { LuaScript } from '../scripts/script.js';
import type { PubSubMessage, SubscribeOptions } from './subscription.js';

/** One argument of a raw Redis command. */
export type RedisArg = string | Buffer;

/** A raw reply: strings (or Buffers), numbers, nulls and arrays of them. */
export type RedisReply = string | Buffer | number | null | RedisReply[];

/** Options of {@link CacheConnectionLike.send} and {@link CacheConnectionLike.runScript}. */
export interface SendOptions {
  /** Return bulk strings as `Buffer` (needed to read codec bytes). Defaults to `false`. */
  buffers?: boolean;
}

/** The key and channel builder, as caches use it (see `KeyBuilder` in `@fullon/core/author`). */
export interface KeyBuilderLike {
  /** The key prefix, e.g. `fullon`. */
  readonly prefix: string;
  /** A plain key `prefix:family:parts…`, every part escaped. */
  key(family: string, ...parts: string[]): string;
  /** A key `prefix:family:{tag}:parts…`; keys with one tag share a cluster slot. */
  tagged(family: string, tag: string, ...parts: string[]): string;
  /** A pub/sub channel `prefix:ch:family:parts…`. */
  channel(family: string, ...parts: string[]): string;
  /** A PSUBSCRIBE pattern; a wildcard part matches one name. */
  channelPattern(family: string, ...parts: PatternPart[]): string;
  /** The SCAN pattern of every key under the prefix. */
  scanPattern(): string;
}

/** A live subscription: messages until its signal aborts or `close()` is called. */
export interface MessageStream extends AsyncIterable<PubSubMessage>, AsyncDisposable {
  /** Messages dropped because the consumer fell behind by more than the buffer size. */
  readonly dropped: number;
  /** Whether the subscription has ended. */
  readonly closed: boolean;
  /** @returns The next message, or `done` once the subscription has ended. */
  next(): Promise<IteratorResult<PubSubMessage>>;
  /** Unsubscribes and ends iteration; idempotent. */
  close(): Promise<void>;
}

/** What {@link CacheConnectionLike.trackInvalidations} tells its caller. */
export interface InvalidationHandlers {
  /**
   * The server reports that these keys changed (or, with `null`, that the database was
   * flushed: everything changed).
   */
  onInvalidate(keys: readonly string[] | null): void;
  /** Tracking is not (or no longer) in force: drop everything, serve nothing until `onLive`. */
  onReset(): void;
  /** Tracking is confirmed on every master: from now on every change is reported. */
  onLive(): void;
}

/** A live server-assisted invalidation feed; see {@link CacheConnectionLike.trackInvalidations}. */
export interface InvalidationTracking {
  /** Whether tracking is confirmed on every master right now. */
  readonly live: boolean;
  /** Stops tracking and closes its connections; idempotent. */
  close(): Promise<void>;
}

/**
 * What a cache needs of a connection: the narrow, structural type every `@fullon` cache
 * constructor takes. `connect()` returns an object of this shape; because it is an interface
 * (no private fields), a connection made by a second installed copy of `@fullon/core`, or any
 * object implementing it, is accepted by the type checker.
 */
export interface CacheConnectionLike {
  /** Builds every key and channel under the connection's prefix. */
  readonly keys: KeyBuilderLike;
  /** Value codec (msgpack by default). */
  readonly codec: Codec;
  /** Standalone server or cluster. */
  readonly mode: 'standalone' | 'cluster';
  /**
   * Sends one command on the shared connection.
   * @param key - The first key (cluster routing); `undefined` for keyless commands.
   * @param args - Command and arguments.
   * @param options - `buffers` to receive bulk strings as `Buffer`.
   * @returns The raw reply.
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
  ): Promise<T>;
  /**
   * Runs a Lua script and maps its reply in the same promise step, as `send` with `map` does:
   * a throw in `map` rejects the returned promise unchanged, and a promise `map` returns is
   * followed.
   * @param script - From `defineScript`.
   * @param keys - Every key the script touches (sharing a hash tag on a cluster).
   * @param args - ARGV.
   * @param options - `buffers` to receive bulk strings as `Buffer`.
   * @param map - Turns the script's reply into the result.
   * @returns What `map` returned.
   */
  runScript<T, R>(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    options: SendOptions | undefined,
    map: (reply: T) => R | PromiseLike<R>,
  ): Promise<R>;
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
  blocking<T = RedisReply>(key: string, args: RedisArg[], options?: SendOptions): Promise<T>;
  /**
   * Publishes a message.
   * @param channel - From `keys.channel()`.
   * @param message - Payload.
   * @returns How many subscribers received it (on a cluster, those of the receiving node).
   */
  publish(channel: string, message: RedisArg): Promise<number>;
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
  subscribe(options: SubscribeOptions): Promise<MessageStream>;
  /**
   * Reports a corrupt value that a listing skipped (the connection's `onCorrupt` hook).
   * @param error - The decode failure, with key and field.
   */
  reportCorrupt(error: DecodeError): void;
  /**
   * Optional: reports every change to keys under `prefix`, told by the server: per master, one
   * dedicated connection runs `CLIENT TRACKING ON REDIRECT <its own id> BCAST PREFIX <prefix>`
   * and subscribes to `__redis__:invalidate`. `onReset` is called whenever tracking may have
   * missed a change (a tracking or data connection dropped, a cluster master changed) and
   * `onLive` once it is confirmed again on every master. Closed with the connection. Near
   * caches need it; a connection without it cannot back one.
   * @param prefix - The key prefix to track, e.g. `myapp:tick:`.
   * @param handlers - Invalidations (`null`: the database was flushed), resets, live signal.
   * @returns The feed, starting at once; it is live once `onLive` was called.
   * @throws {ConnectionError} when the connection is closed.
   */
  trackInvalidations?(prefix: string, handlers: InvalidationHandlers): InvalidationTracking;
  /**
   * Optional: runs `body` as one operation, for a write that takes more than one command (a
   * script then a registry touch or a status stamp). Begun before `close()`, every command
   * `body` sends through the connection it is given is sent, even while `close()` drains, and
   * `close()` waits for it: an operation is never refused after any of its commands ran. Begun
   * after `close()`, it rejects with `ConnectionError` (outcome `not-sent`) without running
   * `body`. Call it through `runOperation` of `@fullon/core/author`, which also serves a
   * connection without it.
   * @param body - The operation; it must send through the connection it is given.
   * @returns What `body` returns.
   * @throws {ConnectionError} (outcome `not-sent`) when the connection is closed.
   */
  operation?<T>(body: (conn: CacheConnectionLike) => Promise<T>): Promise<T>;
  /** Closes the connection; idempotent. */
  close(): Promise<void>;
}

const REQUIRED_METHODS = [
  'send',
  'runScript',
  'blocking',
  'publish',
  'subscribe',
  'reportCorrupt',
  'close',
] as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const record = value as Record<string, unknown>;
  if (typeof record.sendCommand === 'function') return 'a raw node-redis client';
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name === undefined || name === 'Object' ? 'a plain object' : `a ${name}`;
}

/**
 * Checks the argument a cache constructor received, so a wrong one fails at once with a
 * message saying what to pass, instead of a `TypeError` deep inside the first call.
 * @param value - What the constructor was given.
 * @param cacheName - The cache, for the message, e.g. `TickCache`.
 * @returns The connection, typed.
 * @throws {ConfigurationError} (variable `conn`) unless `value` has the shape of a connection.
 */
export function requireConnection(value: unknown, cacheName: string): CacheConnectionLike {
  const record = value as Record<string, unknown> | null | undefined;
  const ok =
    typeof record === 'object' &&
    record !== null &&
    REQUIRED_METHODS.every((name) => typeof record[name] === 'function') &&
    typeof record.keys === 'object' &&
    record.keys !== null &&
    typeof record.codec === 'object' &&
    record.codec !== null;
  if (ok) return value as CacheConnectionLike;
  throw new ConfigurationError(
    'conn',
    `${cacheName} needs a connection from connect() of @fullon/core (or use ${cacheName}.open()); got ${describe(value)}`,
  );
}
