import type { Codec } from '../encoding/codec.js';
import type { DecodeError } from '../errors.js';
import type { LuaScript } from '../scripts/script.js';
import type { Commands } from './commands.js';
import type {
  CacheConnectionLike,
  KeyBuilderLike,
  MessageStream,
  RedisArg,
  RedisReply,
  SendOptions,
} from './connection-like.js';
import type { SubscribeOptions } from './subscription.js';

/**
 * The connection as an operation's body sees it: its commands and scripts are admitted while
 * close() drains (the operation began before close()), everything else is the connection's.
 * @internal
 */
export class OperationScope implements CacheConnectionLike {
  readonly keys: KeyBuilderLike;
  readonly codec: Codec;
  readonly mode: 'standalone' | 'cluster';
  readonly #conn: CacheConnectionLike;
  readonly #commands: Commands;

  /**
   * @param conn - The connection.
   * @param commands - Its command path.
   */
  constructor(conn: CacheConnectionLike, commands: Commands) {
    this.keys = conn.keys;
    this.codec = conn.codec;
    this.mode = conn.mode;
    this.#conn = conn;
    this.#commands = commands;
  }

  send<T = RedisReply>(
    key: string | undefined,
    args: RedisArg[],
    options?: SendOptions,
  ): Promise<T>;
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
    return this.#commands.send(key, args, options, map, true);
  }

  runScript<T = RedisReply>(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<T>;
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
    return this.#commands.runScript(script, keys, args, options, map, true);
  }

  blocking<T = RedisReply>(key: string, args: RedisArg[], options?: SendOptions): Promise<T> {
    return this.#conn.blocking<T>(key, args, options);
  }

  publish(channel: string, message: RedisArg): Promise<number> {
    return this.send<number>(channel, ['PUBLISH', channel, message]);
  }

  subscribe(options: SubscribeOptions): Promise<MessageStream> {
    return this.#conn.subscribe(options);
  }

  reportCorrupt(error: DecodeError): void {
    this.#conn.reportCorrupt(error);
  }

  /** An operation inside an operation is part of it. */
  operation<T>(body: (conn: CacheConnectionLike) => Promise<T>): Promise<T> {
    try {
      return body(this);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    return this.#conn.close();
  }
}
