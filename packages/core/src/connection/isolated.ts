import type { RedisArg } from './connection-like.js';
import type { LinkContext } from './link.js';
import type { StandaloneClient } from './node-redis.js';
import { OutcomeConnectionError } from './outcome.js';

/** Commands whose server-side timeout (seconds) is the last argument. */
const TIMEOUT_LAST = new Set(['BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BLMOVE', 'BZPOPMIN', 'BZPOPMAX']);
/** Commands whose server-side timeout (seconds) is the first argument. */
const TIMEOUT_FIRST = new Set(['BLMPOP', 'BZMPOP']);

/**
 * The server-side timeout of a blocking command, in ms.
 * @param args - The command, e.g. `['BLPOP', key, '5']`.
 * @returns The timeout, or `undefined` when the command waits forever (0) or is not known.
 */
export function blockingTimeoutMs(args: readonly RedisArg[]): number | undefined {
  const name = args[0]?.toString().toUpperCase() ?? '';
  let raw: RedisArg | undefined;
  if (TIMEOUT_LAST.has(name)) raw = args.at(-1);
  else if (TIMEOUT_FIRST.has(name)) raw = args[1];
  else if (name === 'XREAD' || name === 'XREADGROUP') {
    const at = args.findIndex((a) => a.toString().toUpperCase() === 'BLOCK');
    const ms = at < 0 ? Number.NaN : Number(args[at + 1]?.toString());
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  }
  const seconds = Number(raw?.toString());
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** Pause before asking again when CLIENT UNBLOCK found the call not (yet) blocked. */
const UNBLOCK_RETRY_MS = 1;

/**
 * Runs blocking commands on pooled connections so that each settles by its own deadline even
 * when the server stalls: the stall watchdog only watches the shared connection, and a pooled
 * connection blocked in BLPOP cannot be probed. A call whose server-side timeout passed by
 * `min(socketTimeoutMs, 1 s)` without an answer — or every call, when the watchdog finds the
 * server stalled — drops its pooled connection (so an item popped later is not taken by a
 * call nobody awaits any more); the next call to borrow that connection opens it again.
 *
 * Redis checks the timeouts of blocked clients on its cron (10 times a second), so a 5 ms
 * BLPOP would answer after up to 100 ms. At the call's own deadline the shared connection of
 * the same node sends `CLIENT UNBLOCK <id> TIMEOUT` for the pooled connection (its id is asked
 * for in the same write as the command): the call answers as a timeout at once, or, when the
 * server served it already, with what it took — nothing is lost. The call settles only once
 * the server answered the UNBLOCK, so an UNBLOCK never reaches the next call on that
 * connection. Without the right to run CLIENT ID / CLIENT UNBLOCK (an ACL), the server's own
 * timeout applies.
 * @internal
 */
export class IsolatedCalls {
  readonly #link: LinkContext;
  /** Each pooled connection in use, with the client it came from and how to drop it. */
  readonly #active = new Map<StandaloneClient, { parent: StandaloneClient; drop: () => void }>();

  /** @param link - Target and socket timeout. */
  constructor(link: LinkContext) {
    this.#link = link;
  }

  /**
   * Runs `args` on a pooled connection of `client`.
   * @param client - The client (standalone, or the node's client on a cluster).
   * @param args - The blocking command.
   * @param buffers - Bulk strings as `Buffer`.
   * @returns The reply.
   */
  run<T>(client: StandaloneClient, args: RedisArg[], buffers: boolean): Promise<T> {
    return client.executeIsolated(async (pooled) => {
      // A connection dropped by an earlier call is opened again by the call that borrows it,
      // never in the background: a reopening nobody owns would outlive close().
      if (!pooled.isOpen) await pooled.connect();
      return this.#call<T>(client, pooled, args, buffers);
    });
  }

  /** One blocking call on a pooled connection, bounded by its deadline. */
  #call<T>(
    client: StandaloneClient,
    pooled: StandaloneClient,
    args: RedisArg[],
    buffers: boolean,
  ): Promise<T> {
    const timeoutMs = blockingTimeoutMs(args);
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let unblockTimer: NodeJS.Timeout | undefined;
      let settled = false;
      /** The UNBLOCK in flight: the call settles after its answer. */
      let unblocking: Promise<unknown> | undefined;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(unblockTimer);
        this.#active.delete(pooled);
        if (unblocking === undefined) settle();
        else void unblocking.then(settle);
      };
      const drop = () => {
        finish(() =>
          reject(
            new OutcomeConnectionError(
              `${String(args[0])} on Redis at ${this.#link.target} got no answer by its deadline`,
              { outcome: 'unknown' },
            ),
          ),
        );
        pooled.disconnect().catch(() => undefined);
      };
      if (timeoutMs !== undefined) {
        // Written together with the command, on its connection: the id is the one it blocks on.
        const id = pooled.sendCommand<number>(['CLIENT', 'ID']).catch(() => undefined);
        const unblock = () => {
          unblockTimer = undefined;
          const sent = id.then((clientId) =>
            settled || clientId === undefined
              ? 1
              : client.sendCommand<number>(['CLIENT', 'UNBLOCK', String(clientId), 'TIMEOUT']),
          );
          unblocking = sent.then(
            (unblocked) => {
              // 0: not blocked yet (the command is still on its way), or served already.
              if (unblocked === 0 && !settled) unblockTimer = setTimeout(unblock, UNBLOCK_RETRY_MS);
            },
            () => undefined,
          );
        };
        unblockTimer = setTimeout(unblock, timeoutMs);
        timer = setTimeout(drop, timeoutMs + Math.min(this.#link.socketTimeoutMs, 1000));
      }
      this.#active.set(pooled, { parent: client, drop });
      pooled.sendCommand<T>(args, { returnBuffers: buffers }).then(
        (reply) => finish(() => resolve(reply)),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  /**
   * The server stalled: every call in flight on `parent`'s pooled connections settles now
   * (outcome unknown).
   * @param parent - The stalled server's client.
   */
  dropFor(parent: StandaloneClient): void {
    for (const call of [...this.#active.values()]) if (call.parent === parent) call.drop();
  }
}
