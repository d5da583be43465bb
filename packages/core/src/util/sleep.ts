/**
 * Resolves after `ms` milliseconds: the one plain wait (a poll step, a backoff). Tests never wait
 * for an outcome with it; they poll (`until`, `eventually` in `@fullon/core/testing`).
 * @param ms - How long to wait.
 * @returns A promise resolved with `undefined` after `ms`.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
