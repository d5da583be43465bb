/** The one listener a signal carries, and the callbacks it runs. */
interface Listeners {
  readonly listener: () => void;
  readonly callbacks: Set<{ readonly run: () => void }>;
}

/** Per signal, the callbacks registered through {@link onAbort}; gone with the signal. */
const bySignal = new WeakMap<AbortSignal, Listeners>();

/**
 * Calls `callback` once when `signal` aborts, with one listener on the signal however many
 * callbacks share it: a service that ends all its subscriptions with one signal adds a single
 * `abort` listener, not one per subscription (which trips Node's `MaxListenersExceededWarning`
 * past 10).
 * @param signal - The signal; when it has already aborted, `callback` runs at once.
 * @param callback - What to run on abort.
 * @returns Removes the callback (and the signal's listener with the last one); idempotent.
 * @example
 * ```ts
 * const stop = onAbort(signal, () => void subscription.close());
 * // …later, when the subscription ended by itself:
 * stop();
 * ```
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  let listeners = bySignal.get(signal);
  if (listeners === undefined) {
    const callbacks = new Set<{ readonly run: () => void }>();
    const listener = () => {
      bySignal.delete(signal);
      for (const entry of [...callbacks]) entry.run();
      callbacks.clear();
    };
    listeners = { listener, callbacks };
    bySignal.set(signal, listeners);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callbacks, listener } = listeners;
  const entry = { run: callback };
  callbacks.add(entry);
  return () => {
    if (!callbacks.delete(entry) || callbacks.size > 0) return;
    if (bySignal.get(signal)?.listener === listener) bySignal.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}
