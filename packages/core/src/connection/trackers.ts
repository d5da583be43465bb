import type { InvalidationHandlers, InvalidationTracking } from './connection-like.js';
import { InvalidationTracker } from './invalidation.js';
import { closedError } from './link.js';
import type { Transport } from './transport.js';

/**
 * The invalidation feeds of one connection: started on request, all reset when the data link
 * drops (tracking may have missed a change meanwhile), all closed with the connection.
 * @internal
 */
export class InvalidationTrackers {
  readonly #transport: Transport;
  readonly #live = new Set<InvalidationTracker>();

  /** @param transport - The connection's transport. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Starts a feed of the changes to keys under `prefix`.
   * @param prefix - Key prefix, e.g. `myapp:tick:`.
   * @param handlers - Invalidations, resets, live signal.
   * @returns The feed.
   * @throws {ConnectionError} when the connection is closed.
   */
  track(prefix: string, handlers: InvalidationHandlers): InvalidationTracking {
    if (this.#transport.closed) throw closedError(this.#transport);
    const tracker: InvalidationTracker = new InvalidationTracker(
      this.#transport,
      prefix,
      handlers,
      () => this.#live.delete(tracker),
    );
    this.#live.add(tracker);
    return tracker;
  }

  /** The data link dropped: every feed starts afresh. */
  resetAll(): void {
    for (const tracker of this.#live) tracker.reset();
  }

  /** @returns Once every feed has closed. */
  closeAll(): Promise<unknown> {
    return Promise.all([...this.#live].map((tracker) => tracker.close()));
  }
}
