import { fresh } from './near-cache.js';
import type { Tick } from './schema.js';
import type { TickSubscription } from './types.js';

/** Default wait of `waitForTicker`: 30 s. */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * The body of `waitForTicker`: once the server confirmed the subscription, reads the stored
 * tick, so a tick written at any moment during the call is not missed; when none (fresh enough)
 * is stored, waits for the next one. The subscription is always closed before returning.
 * @internal
 * @param subscription - The ticker's subscription, just made.
 * @param read - Reads the stored tick, applying `maxAgeMs`.
 * @param timeoutMs - How long to wait for a tick, in ms.
 * @param maxAgeMs - A tick older than this (ms) does not count, or `undefined` for no limit.
 * @returns The tick, or `null` when none arrived within `timeoutMs`.
 */
export async function waitForTick(
  subscription: TickSubscription,
  read: () => Promise<Tick | null>,
  timeoutMs: number,
  maxAgeMs: number | undefined,
): Promise<Tick | null> {
  try {
    await subscription.ready;
    const current = await read();
    if (current !== null) return current;
    return await nextWithin(subscription, timeoutMs, maxAgeMs);
  } finally {
    await subscription.close();
  }
}

/**
 * The subscription's next tick that is fresh enough, or `null` after `timeoutMs`. On a cluster a
 * tick published just before the subscription may still be delivered to it, so a stale one is
 * skipped here as it is when read.
 */
async function nextWithin(
  subscription: TickSubscription,
  timeoutMs: number,
  maxAgeMs: number | undefined,
): Promise<Tick | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, null);
  });
  try {
    for (;;) {
      const result = await Promise.race([subscription.next(), timeout]);
      if (result === null || result.done === true) return null;
      if (fresh(result.value, maxAgeMs) !== null) return result.value;
    }
  } finally {
    clearTimeout(timer);
  }
}
