import { DecodeError, FullonCacheError, PubSubError } from '../errors.js';
import type { LinkContext } from './link.js';
import { isNotSent, isServerReply } from './node-redis.js';
import { OutcomeConnectionError } from './outcome.js';

/**
 * How a server error reply is reported: `COMMAND` for ordinary calls, a `PubSubError` for a
 * refused subscription.
 */
export type ReplyKind = 'command' | 'subscribe';

/**
 * Error replies by which the server refuses a command it did not run, during a failover, a
 * resharding or a restart: retriable, so they are `ConnectionError`s (outcome `not-sent`),
 * not `COMMAND` errors.
 */
const REFUSED_BEFORE_RUNNING = /^(CLUSTERDOWN|TRYAGAIN|MOVED|ASK|LOADING|MASTERDOWN|READONLY)\b/;

/**
 * A stored-garbage reply as the `DecodeError` it is: a plain command's `WRONGTYPE` on a key the
 * package owns (scripts check types themselves and answer with a corrupt reply naming the key).
 * @param message - The server's error reply.
 * @param key - The command's key, when it has one.
 * @returns The error, or `undefined` when the reply is not about a wrong type.
 */
function wrongTypeError(message: string, key: string | undefined): DecodeError | undefined {
  if (key !== undefined && message.startsWith('WRONGTYPE')) {
    return new DecodeError(
      key,
      undefined,
      'holds another Redis type than the package stores there',
    );
  }
  return undefined;
}

/**
 * Translates any failure of a call into the error family — the one place that does. An error
 * of the family passes unchanged; a server error reply becomes code `COMMAND` (or a
 * `PubSubError` for a subscription), except a transient refusal (`CLUSTERDOWN`, `TRYAGAIN`,
 * `MOVED`, `LOADING`, `MASTERDOWN`, `READONLY`…), which is a `ConnectionError` with outcome
 * `not-sent`; anything else (no link, a dropped link, no pooled connection in time) becomes a
 * `ConnectionError` naming the target, whose `outcome` says whether the command may have run.
 * @param error - What the transport threw.
 * @param what - The operation, for the message (`GET`, `script tick.set`, `subscribe`).
 * @param link - Target, timeout and pool size, for the message.
 * @param kind - How a server error reply is reported. Defaults to `command`.
 * @param key - The key of a plain command: its `WRONGTYPE` reply is a `DecodeError` naming it
 *   (stored garbage, not a command error).
 * @returns The error to throw.
 */
export function translateError(
  error: unknown,
  what: string,
  link: LinkContext,
  kind: ReplyKind = 'command',
  key?: string,
): FullonCacheError {
  if (FullonCacheError.is(error)) return error;
  if (isServerReply(error)) {
    const garbage = wrongTypeError(error.message, key);
    if (garbage !== undefined) return garbage;
    if (REFUSED_BEFORE_RUNNING.test(error.message)) {
      return new OutcomeConnectionError(
        `${what} on Redis at ${link.target} refused, retry: ${error.message}`,
        { outcome: 'not-sent', cause: error },
      );
    }
    return kind === 'subscribe'
      ? new PubSubError(`${what} on Redis at ${link.target} failed: ${error.message}`, {
          cause: error,
        })
      : new FullonCacheError(`${what} failed: ${error.message}`, 'COMMAND', { cause: error });
  }
  // generic-pool's TimeoutError: no pooled connection for a blocking call within the timeout.
  const reason =
    error instanceof Error && error.name === 'TimeoutError'
      ? `no blocking connection within ${link.socketTimeoutMs} ms (server unreachable, or all ${link.maxConnections} in use)`
      : error instanceof Error
        ? error.message
        : String(error);
  return new OutcomeConnectionError(`${what} on Redis at ${link.target} failed: ${reason}`, {
    outcome: isNotSent(error) ? 'not-sent' : 'unknown',
    cause: error,
  });
}
