import type { RedisArg } from '../connection-like.js';
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

/**
 * Runs blocking commands on pooled connections so that each settles by its own deadline even
 * when the server stalls: the stall watchdog only watches the shared connection, and a pooled
 * connection blocked in BLPOP cannot be probed. A call whose server-side timeout passed by
 * `min(socketTimeoutMs, 1 s)` without an answer — or every call, when the watchdog finds the
 * server stalled — drops its pooled connection (so an item popped later is not taken by a
 * call nobody awaits any more), which opens again for the next call.
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
    const timeoutMs = blockingTimeoutMs(args);
    return client.executeIsolated(
      (pooled) =>
        new Promise<T>((resolve, reject) => {
          let timer: NodeJS.Timeout | undefined;
          const drop = () => {
            clearTimeout(timer);
            this.#active.delete(pooled);
            reject(
              new OutcomeConnectionError(
                `${String(args[0])} on Redis at ${this.#link.target} got no answer by its deadline`,
                { outcome: 'unknown' },
              ),
            );
            void pooled
              .disconnect()
              .then(() => pooled.connect())
              .catch(() => undefined);
          };
          if (timeoutMs !== undefined) {
            timer = setTimeout(drop, timeoutMs + Math.min(this.#link.socketTimeoutMs, 1000));
          }
          this.#active.set(pooled, { parent: client, drop });
          pooled.sendCommand<T>(args, { returnBuffers: buffers }).then(
            (reply) => {
              clearTimeout(timer);
              this.#active.delete(pooled);
              resolve(reply);
            },
            (error: unknown) => {
              clearTimeout(timer);
              this.#active.delete(pooled);
              reject(error);
            },
          );
        }),
    );
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
