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
 * reconnects). The timer does not keep the process alive.
 * @param client - The client to watch.
 * @param timeoutMs - How long a PING may take.
 * @param onStall - Called once per unanswered PING.
 * @returns A function that stops the watchdog.
 */
export function startStallWatchdog(
  client: WatchedClient,
  timeoutMs: number,
  onStall: () => Promise<void>,
): () => void {
  let probing = false;
  const probe = async () => {
    if (probing || !client.isReady) return;
    probing = true;
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      client.sendCommand(['PING']).then(
        () => true,
        () => true, // a failed PING means a dropped link, which node-redis handles itself
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(resolve, timeoutMs, false);
      }),
    ]);
    clearTimeout(timer);
    try {
      if (!answered && client.isReady) await onStall();
    } finally {
      probing = false;
    }
  };
  const interval = setInterval(() => void probe(), Math.max(50, Math.floor(timeoutMs / 2)));
  interval.unref();
  return () => clearInterval(interval);
}
