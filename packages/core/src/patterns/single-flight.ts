import { TimeoutError } from '../errors.js';

/** Where a missed value comes from, and how it is written back. */
export interface ReadThroughSource<L> {
  /** Fetches the value from the source of truth (the user's loader, validated). */
  load: () => Promise<L>;
  /** Writes it to Redis with its TTL. */
  store: (loaded: L) => Promise<void>;
}

interface Flight {
  promise: Promise<unknown>;
  /** Set when a write or invalidation overtook the load: its result must not be stored. */
  stale: boolean;
}

/**
 * In-process single-flight for read-through caching: concurrent misses on one cache key share
 * one load. A failed load rejects every waiter and is not remembered, so the next call retries.
 *
 * @example
 * ```ts
 * const flights = new SingleFlight();
 * const symbols = await flights.through(key, readFromRedis, { load, store }, (all) => all, []);
 * ```
 */
export class SingleFlight {
  readonly #flights = new Map<string, Flight>();
  readonly #loadTimeoutMs: number;

  /**
   * @param loadTimeoutMs - How long one load may take; past it every waiter gets a
   *   `TimeoutError` and the key is free for the next call, so a loader that never answers
   *   cannot block its key forever. Defaults to 30 000 ms.
   */
  constructor(loadTimeoutMs = 30_000) {
    this.#loadTimeoutMs = loadTimeoutMs;
  }

  /** How many loads are in flight (for tests and diagnostics). */
  get size(): number {
    return this.#flights.size;
  }

  /**
   * Reads through the cache: joins a load in flight for `key`, else reads Redis, else (with a
   * source) starts a load, else returns `fallback`.
   * @param key - Cache key the load fills; the single-flight identity.
   * @param read - Reads Redis; `undefined` means a miss.
   * @param source - Loader and write-back, or `undefined` when no loader is configured.
   * @param pick - Derives this call's answer from the loaded value.
   * @param fallback - Answer on a miss without a source.
   * @returns The cached, loaded or fallback answer.
   * @throws Whatever the read, the loader or the write-back throws.
   */
  async through<L, R>(
    key: string,
    read: () => Promise<R | undefined>,
    source: ReadThroughSource<L> | undefined,
    pick: (loaded: L) => R,
    fallback: R,
  ): Promise<R> {
    const inFlight = this.#flights.get(key);
    if (inFlight !== undefined) return pick((await inFlight.promise) as L);
    const hit = await read();
    if (hit !== undefined) return hit;
    if (source === undefined) return fallback;
    return pick(await this.run(key, source));
  }

  /**
   * Runs `source.load` once for `key`, however many callers ask while it runs.
   * @param key - Cache key.
   * @param source - Loader and write-back.
   * @returns The loaded value.
   */
  run<L>(key: string, source: ReadThroughSource<L>): Promise<L> {
    const existing = this.#flights.get(key);
    if (existing !== undefined) return existing.promise as Promise<L>;
    const flight: Flight = { promise: Promise.resolve(), stale: false };
    // Registered before the load starts, so even a loader that throws synchronously is
    // removed again by the `finally` below.
    this.#flights.set(key, flight);
    const promise = this.#execute(key, flight, source);
    flight.promise = promise;
    return promise;
  }

  async #execute<L>(key: string, flight: Flight, source: ReadThroughSource<L>): Promise<L> {
    try {
      const loaded = await this.#bounded(key, source.load());
      if (!flight.stale) await source.store(loaded);
      return loaded;
    } finally {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    }
  }

  /**
   * Detaches the load in flight for `key`, if any: later readers start afresh, and its result
   * is handed to its waiters but not written to Redis. Called on every write and invalidation.
   * @param key - Cache key.
   */
  forget(key: string): void {
    const flight = this.#flights.get(key);
    if (flight === undefined) return;
    flight.stale = true;
    this.#flights.delete(key);
  }

  #bounded<L>(key: string, load: Promise<L>): Promise<L> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TimeoutError(`loader for ${key} did not answer within ${this.#loadTimeoutMs} ms`),
          ),
        this.#loadTimeoutMs,
      );
    });
    return Promise.race([load, timeout]).finally(() => clearTimeout(timer));
  }
}
