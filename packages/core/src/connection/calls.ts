import type { LuaScript } from '../scripts/script.js';
import type { RedisArg } from './connection-like.js';
import { isServerReply } from './node-redis.js';
import { translateError } from './translate.js';
import type { Transport } from './transport.js';

/** How a script call takes part in close()'s drain. @internal */
export interface ScriptCallScope {
  /** Part of an operation begun before close(): sent while close() drains. */
  admitted: boolean;
  /** Told once when the call settles (the reload, if any, included). */
  done?: (() => void) | undefined;
}

/**
 * Runs a Lua script by SHA, loading it with EVAL when the server answers NOSCRIPT. The reload
 * is a continuation of the call: it is sent even while close() drains, so a call is never
 * refused after its EVALSHA ran.
 * @param transport - Carries the command.
 * @param script - From `defineScript`.
 * @param keys - Every key the script touches.
 * @param args - ARGV.
 * @param buffers - Bulk strings as `Buffer`.
 * @param map - Turns the reply into the result in the same promise step; omitted, the reply is
 *   the result.
 * @param scope - Admission during close() and the settle hook.
 * @returns The script's reply, or what `map` made of it.
 */
export function callScript<T, R = T>(
  transport: Transport,
  script: LuaScript,
  keys: readonly string[],
  args: readonly RedisArg[],
  buffers: boolean,
  map: ((reply: T) => R | PromiseLike<R>) | undefined,
  scope: ScriptCallScope,
): Promise<T | R> {
  // Sized once: growing the array push by push showed up as a microsecond per call.
  const command = new Array<RedisArg>(3 + keys.length + args.length);
  command[0] = 'EVALSHA';
  command[1] = script.sha;
  command[2] = String(keys.length);
  let at = 3;
  for (const key of keys) command[at++] = key;
  for (const arg of args) command[at++] = arg;
  const { done } = scope;
  // One rejection handler for both attempts, on the untranslated send, and `map` as the
  // fulfilment handler of the same step: a script call costs one promise layer, like a plain
  // command. A throw in `map` is not a command failure and is not translated.
  const ok =
    done === undefined
      ? map
      : (reply: T): T | R | PromiseLike<R> => {
          done();
          return map === undefined ? reply : map(reply);
        };
  const failed = (error: unknown): Promise<T | R> => {
    if (command[0] === 'EVALSHA' && isServerReply(error) && error.message.startsWith('NOSCRIPT')) {
      // The server lost its script cache (restart, SCRIPT FLUSH, failover): EVAL loads it again.
      command[0] = 'EVAL';
      command[1] = script.source;
      return transport.send<T>(keys[0], command, buffers, true).then(ok, failed);
    }
    done?.();
    throw translateError(error, `script ${script.name}`, transport);
  };
  return transport.send<T>(keys[0], command, buffers, scope.admitted).then(ok, failed);
}

/**
 * Runs a blocking command on a pooled connection of its own, translating its failure.
 * @param transport - Carries the command.
 * @param key - First key, for routing.
 * @param args - The blocking command with its server-side timeout.
 * @param buffers - Bulk strings as `Buffer`.
 * @returns The reply.
 */
export function callBlocking<T>(
  transport: Transport,
  key: string,
  args: RedisArg[],
  buffers: boolean,
): Promise<T> {
  return transport.blocking<T>(key, args, buffers).then(undefined, (error: unknown) => {
    throw translateError(
      error,
      args[0]?.toString() ?? 'blocking command',
      transport,
      'command',
      key,
    );
  });
}
