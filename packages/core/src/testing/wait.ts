import { FullonCacheError } from '../errors.js';
import { sleep } from '../util/sleep.js';

/** Options of {@link until} and {@link eventually}. */
export interface PollOptions {
  /** Give up after this many ms. Defaults to 5 000. */
  timeoutMs?: number;
  /** Pause between two tries, in ms. Defaults to 10. */
  intervalMs?: number;
}

function pollOptions(options: number | PollOptions): Required<PollOptions> {
  const given = typeof options === 'number' ? { timeoutMs: options } : options;
  return { timeoutMs: given.timeoutMs ?? 5_000, intervalMs: given.intervalMs ?? 10 };
}

/**
 * Polls `condition` until it holds: a bounded wait for something another connection or process
 * does, never a timing assertion.
 * @param condition - Checked at once, then every `intervalMs`.
 * @param options - `timeoutMs` (a number is taken as that), `intervalMs`. Defaults to 5 000 / 10.
 * @throws {FullonCacheError} when it still does not hold after `timeoutMs`.
 * @example
 * ```ts
 * await until(async () => (await cache.getTicker('binance', 'BTC/USDT')) !== null, 2_000);
 * ```
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  options: number | PollOptions = {},
): Promise<void> {
  const { timeoutMs, intervalMs } = pollOptions(options);
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new FullonCacheError(`condition not met within ${timeoutMs} ms`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Retries `check` (typically a block of `expect` calls) until it stops throwing, and returns
 * what it returned; after `timeoutMs` the last failure is thrown as it was, so the test reports
 * the real assertion.
 * @param check - The assertion, run at once and then every `intervalMs`.
 * @param options - `timeoutMs` (a number is taken as that), `intervalMs`. Defaults to 5 000 / 10.
 * @returns `check`'s result on its first passing run.
 * @throws whatever `check` threw last, once `timeoutMs` has passed.
 * @example
 * ```ts
 * const reports = await eventually(() => {
 *   expect(watcher.reports).toHaveLength(1);
 *   return watcher.reports;
 * });
 * ```
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: number | PollOptions = {},
): Promise<T> {
  const { timeoutMs, intervalMs } = pollOptions(options);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(intervalMs);
  }
}
