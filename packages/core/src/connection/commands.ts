import type { LuaScript } from '../scripts/script.js';
import { callScript, type ScriptCallScope } from './calls.js';
import type { RedisArg, SendOptions } from './connection-like.js';
import { closedError } from './link.js';
import type { ConnectionMonitor } from './monitor.js';
import { Operations } from './operations.js';
import { translateError } from './translate.js';
import type { Transport } from './transport.js';

/** Scope of a script call inside an operation (counted there): admitted while close() drains. */
const ADMITTED: ScriptCallScope = Object.freeze({ admitted: true });

/**
 * Sends commands and runs scripts for a connection and for the operations run on it: counts
 * the replies (the stall watchdog's sign of life), times slow calls, translates failures, and
 * counts operations in flight so close() drains each whole.
 * @internal
 */
export class Commands {
  /** Replies received so far. */
  replies = 0;
  /** Operations in flight; close() waits for them. */
  readonly operations = new Operations();
  /** Scope of a script call made outside any operation: an operation of its own. */
  readonly #ownOperation: ScriptCallScope = Object.freeze({
    admitted: false,
    done: this.operations.leave,
  });
  readonly #transport: Transport;
  readonly #monitor: ConnectionMonitor;
  /** Counts a reply and passes it on. */
  readonly #counted = <T>(reply: T): T => {
    this.replies++;
    return reply;
  };

  /**
   * @param transport - Carries the commands.
   * @param monitor - Times slow calls.
   */
  constructor(transport: Transport, monitor: ConnectionMonitor) {
    this.#transport = transport;
    this.#monitor = monitor;
  }

  /**
   * Sends one command; refused as not sent once closed, unless `admitted`.
   * @param key - First key, for routing.
   * @param args - Command and arguments.
   * @param options - `buffers`.
   * @param map - Maps the reply in the same promise step.
   * @param admitted - Part of an operation begun before close().
   * @returns The reply, or what `map` made of it.
   */
  send<T, R>(
    key: string | undefined,
    args: RedisArg[],
    options: SendOptions | undefined,
    map: ((reply: T) => R) | undefined,
    admitted: boolean,
  ): Promise<T | R> {
    let sent = this.#transport.send<T>(key, args, options?.buffers === true, admitted);
    if (this.#monitor.slowCallMs !== undefined) sent = this.#monitor.timed(sent, String(args[0]));
    const failed = (error: unknown): never => {
      throw translateError(
        error,
        args[0]?.toString() ?? 'command',
        this.#transport,
        'command',
        key,
      );
    };
    if (map === undefined) return sent.then(this.#counted, failed);
    return sent.then((reply) => map(this.#counted(reply)), failed);
  }

  /**
   * Runs a script. Outside an operation the call is an operation of its own (its NOSCRIPT
   * reload is drained by close()); refused as not sent once closed.
   * @param script - From `defineScript`.
   * @param keys - Every key it touches.
   * @param args - ARGV.
   * @param options - `buffers`.
   * @param map - Maps the reply in the same promise step.
   * @param admitted - Part of an operation begun before close() (counted there).
   * @returns The reply, or what `map` made of it.
   */
  runScript<T, R>(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    options: SendOptions | undefined,
    map: ((reply: T) => R | PromiseLike<R>) | undefined,
    admitted: boolean,
  ): Promise<T | R> {
    let scope = ADMITTED;
    if (!admitted) {
      if (this.#transport.closed) return Promise.reject(closedError(this.#transport));
      this.operations.enter();
      scope = this.#ownOperation;
    }
    const buffers = options?.buffers === true;
    const call = callScript<T, R>(this.#transport, script, keys, args, buffers, map, scope);
    if (this.#monitor.slowCallMs === undefined) return call;
    return this.#monitor.timed(call, `script ${script.name}`);
  }

  /**
   * Begins an operation: refused as not sent once closed, counted until `run` settles.
   * @param run - The operation's body.
   * @returns What `run` returns.
   */
  operation<T>(run: () => Promise<T>): Promise<T> {
    if (this.#transport.closed) return Promise.reject(closedError(this.#transport));
    const { enter, leave } = this.operations;
    enter();
    let result: Promise<T>;
    try {
      result = run();
    } catch (error) {
      leave();
      return Promise.reject(error);
    }
    return result.then(
      (value) => {
        leave();
        return value;
      },
      (error: unknown) => {
        leave();
        throw error;
      },
    );
  }
}
