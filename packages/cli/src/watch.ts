import { setTimeout as sleep } from 'node:timers/promises';
import type { Output } from './output.js';

/**
 * An abort signal that fires on Ctrl-C (SIGINT) or SIGTERM, so a watch ends cleanly: its
 * subscriptions and connection close and the process exits 0.
 * @param body - The watch; it ends when the signal aborts.
 * @returns What `body` returns.
 */
export async function untilInterrupted<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * Shows a new screen: on a terminal the previous one is cleared first; elsewhere screens
 * follow each other.
 * @param out - The output.
 * @param text - The screen.
 */
export function redraw(out: Output, text: string): void {
  out.write(out.tty ? `\u001b[2J\u001b[H${text}` : `${text}\n`);
}

/**
 * Polls for a view that no channel announces (queues, blocks, bots, processes): every
 * `intervalMs` until interrupted. With `--json`, one JSON object per line.
 * @param out - The output.
 * @param intervalMs - Time between reads.
 * @param read - Reads the current state.
 * @param render - Formats it as a table.
 * @returns When interrupted.
 */
export function poll<T>(
  out: Output,
  intervalMs: number,
  read: () => Promise<T>,
  render: (value: T) => string,
): Promise<void> {
  return untilInterrupted(async (signal) => {
    while (!signal.aborted) {
      const value = await read();
      if (out.json) out.write(`${JSON.stringify(value)}\n`);
      else redraw(out, render(value));
      await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
    }
  });
}
