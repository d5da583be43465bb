import type { CacheConnectionLike } from '../connection/connection-like.js';
import { FullonCacheError } from '../errors.js';
import { sleep } from '../util/sleep.js';

/** Options of {@link untilBlocked}. */
export interface UntilBlockedOptions {
  /** How many blocked clients the node must report. Defaults to 1. */
  atLeast?: number;
  /** Give up after this many ms. Defaults to 5 000. */
  timeoutMs?: number;
}

/**
 * Waits until the server (the cluster node) holding `key` reports blocked clients — a pop that
 * is now waiting — so a push made afterwards is known to reach a waiting pop. The one way tests
 * wait for a blocking call to be in place; never a sleep.
 * @param conn - A connection to the suite's Redis.
 * @param key - A key on the node to watch (the popped list).
 * @param options - `atLeast` blocked clients (default 1), `timeoutMs` (default 5 000).
 * @throws {FullonCacheError} when the node does not report them in time.
 */
export async function untilBlocked(
  conn: CacheConnectionLike,
  key: string,
  options: UntilBlockedOptions = {},
): Promise<void> {
  const atLeast = options.atLeast ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    const info = await conn.send<string>(key, ['INFO', 'clients']);
    if (Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? 0) >= atLeast) return;
    if (Date.now() > deadline) {
      throw new FullonCacheError(`no ${atLeast} blocked client(s) on the node of ${key} in time`);
    }
    await sleep(5);
  }
}
