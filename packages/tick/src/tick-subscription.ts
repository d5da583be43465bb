import type { CacheConnectionLike, MessageStream } from '@fullon/core';
import { decodeListed } from '@fullon/core/author';
import { type Tick, TickLayout } from './schema.js';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * A live stream of ticks, returned by `TickCache.subscribe`. The subscription starts at once;
 * `ready` resolves when the server has confirmed it (every tick published afterwards is
 * delivered). Iterate it with `for await`; it ends when its signal aborts, when `close()` is
 * called, or when the loop breaks. A payload that does not decode is skipped and reported
 * through the connection's `onCorrupt` hook.
 */
export class TickSubscription implements AsyncIterable<Tick>, AsyncDisposable {
  /**
   * Resolves once the server confirmed the subscription.
   * @throws {PubSubError} when the subscription could not be made (iteration throws it too).
   */
  readonly ready: Promise<void>;
  readonly #conn: CacheConnectionLike;
  readonly #pending: Promise<MessageStream>;
  #subscription: MessageStream | undefined;
  #closing: Promise<void> | undefined;

  /**
   * @internal Built by `TickCache.subscribe`.
   * @param conn - The connection, for its codec and `onCorrupt` hook.
   * @param pending - The subscription being made.
   */
  constructor(conn: CacheConnectionLike, pending: Promise<MessageStream>) {
    this.#conn = conn;
    this.#pending = pending.then((subscription) => {
      this.#subscription = subscription;
      if (this.#closing !== undefined) void subscription.close();
      return subscription;
    });
    this.ready = this.#pending.then(() => undefined);
    // A caller that only iterates gets the failure from next(); never an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Ticks dropped because the consumer fell more than the buffer size behind. */
  get dropped(): number {
    return this.#subscription?.dropped ?? 0;
  }

  /**
   * Waits for the next tick.
   * @returns The next tick, or `done` once the subscription has ended.
   * @throws {PubSubError} when the subscription could not be made.
   */
  async next(): Promise<IteratorResult<Tick, undefined>> {
    if (this.#closing !== undefined) return DONE;
    const subscription = await this.#pending;
    for (;;) {
      const result = await subscription.next();
      if (result.done === true) return DONE;
      const { channel, message } = result.value;
      const codec = this.#conn.codec;
      const tick = decodeListed(this.#conn, () => TickLayout.decode(codec, message, channel));
      if (tick !== undefined) return { value: tick, done: false };
    }
  }

  /** Unsubscribes and ends iteration. Idempotent. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      const subscription = this.#subscription;
      this.#closing =
        subscription === undefined
          ? this.#pending.then(
              (s) => s.close(),
              () => undefined,
            )
          : subscription.close();
    }
    return this.#closing;
  }

  /** @returns An iterator over ticks; breaking out of `for await` closes the subscription. */
  [Symbol.asyncIterator](): AsyncIterator<Tick, undefined> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return DONE;
      },
    };
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
