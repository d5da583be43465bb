import { sleep } from '../util/sleep.js';

/** Lateness of a timer that is normal scheduling jitter, not a starved process. */
const LATE_TIMER_SLACK_MS = 20;

/** What the watchdog needs of a node-redis client. */
export interface WatchedClient {
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * Detects a server that holds the connection open but stops answering (a paused process, a
 * dropped route): node-redis 4 has no per-command timeout, so without this every command would
 * wait until the kernel gives up on the socket, many minutes later. Every `timeoutMs / 2` one
 * PING goes out while the client is ready; when it is not answered within `timeoutMs`,
 * `onStall` runs (the connection drops the link, which rejects every waiting command, and
 * reconnects). A PING queued behind a long burst of commands is not a stall as long as their
 * replies keep arriving: `progress` (a count of replies) extends the wait while it moves. The
 * timer does not keep the process alive.
 * @param client - The client to watch.
 * @param timeoutMs - How long a PING may take with no reply arriving.
 * @param onStall - Called once per unanswered PING.
 * @param progress - Replies received so far on this client; omitted, only the PING counts.
 * @returns A function that stops the watchdog.
 */
export function startStallWatchdog(
  client: WatchedClient,
  timeoutMs: number,
  onStall: () => Promise<void>,
  progress?: () => number,
): () => void {
  let probing = false;
  const probe = async () => {
    if (probing || !client.isReady) return;
    probing = true;
    let answered = false;
    const reply = client.sendCommand(['PING']).then(
      () => {
        answered = true;
      },
      () => {
        answered = true; // a failed PING means a dropped link, which node-redis handles itself
      },
    );
    try {
      // A starved process (a busy machine, a long burst of replies to parse) fires the timer
      // late and reads the socket later still: the wait is extended by the time the timer was
      // late, and the socket is read once more, so only a server that does not answer counts.
      let deadline = performance.now() + timeoutMs;
      let seen = progress?.();
      while (!answered) {
        const wait = deadline - performance.now();
        if (wait <= 0) {
          const now = progress?.();
          if (now === seen) break;
          seen = now; // replies are still arriving: the server answers, just not yet this PING
          deadline = performance.now() + timeoutMs;
          continue;
        }
        const due = performance.now() + wait;
        await Promise.race([reply, sleep(wait)]);
        deadline += Math.max(0, performance.now() - due - LATE_TIMER_SLACK_MS);
      }
      if (!answered) await new Promise((resolve) => setImmediate(resolve));
      if (!answered && client.isReady) await onStall();
    } finally {
      probing = false;
    }
  };
  const interval = setInterval(() => void probe(), Math.max(50, Math.floor(timeoutMs / 2)));
  interval.unref();
  return () => clearInterval(interval);
}
