import { type CacheConnectionLike, DecodeError, type MessageStream } from '@fullon/core';
import type { Broadcast } from './schema.js';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * A live stream of broadcasts, returned by `ProcessCache.subscribeBroadcasts`. The
 * subscription starts at once; `ready` resolves when the server has confirmed it (every
 * broadcast sent afterwards is delivered). Iterate with `for await`; the stream ends when its
 * signal aborts, when `close()` is called or when the loop breaks. A payload that does not
 * decode is skipped and reported through the connection's `onCorrupt` hook.
 */
export class BroadcastSubscription implements AsyncIterable<Broadcast>, AsyncDisposable {
  /**
   * Resolves once the server confirmed the subscription.
   * @throws {PubSubError} when the subscription could not be made (iteration throws it too).
   */
  readonly ready: Promise<void>;
  readonly #conn: CacheConnectionLike;
  readonly #pending: Promise<MessageStream>;
  readonly #decode: (message: Buffer, channel: string) => Broadcast[];
  readonly #queue: Broadcast[] = [];
  #stream: MessageStream | undefined;
  #closing: Promise<void> | undefined;

  /**
   * @internal Built by `ProcessCache.subscribeBroadcasts`.
   * @param conn - The connection, for its `onCorrupt` hook.
   * @param pending - The subscription being made.
   * @param decode - Turns one message into its broadcast; throws `DecodeError` when corrupt.
   */
  constructor(
    conn: CacheConnectionLike,
    pending: Promise<MessageStream>,
    decode: (message: Buffer, channel: string) => Broadcast[],
  ) {
    this.#conn = conn;
    this.#decode = decode;
    this.#pending = pending.then((stream) => {
      this.#stream = stream;
      if (this.#closing !== undefined) void stream.close();
      return stream;
    });
    this.ready = this.#pending.then(() => undefined);
    // A caller that only iterates gets the failure from next(); never an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Messages dropped because the consumer fell more than the buffer size behind. */
  get dropped(): number {
    return this.#stream?.dropped ?? 0;
  }

  /**
   * Waits for the next bar.
   * @returns The next bar, or `done` once the subscription has ended.
   * @throws {PubSubError} when the subscription could not be made.
   */
  async next(): Promise<IteratorResult<Broadcast, undefined>> {
    for (;;) {
      if (this.#closing !== undefined) return DONE;
      const queued = this.#queue.shift();
      if (queued !== undefined) return { value: queued, done: false };
      const stream = await this.#pending;
      const result = await stream.next();
      if (result.done === true) return DONE;
      const { channel, message } = result.value;
      try {
        this.#queue.push(...this.#decode(message, channel));
      } catch (error) {
        if (!DecodeError.is(error)) throw error;
        this.#conn.reportCorrupt(error);
      }
    }
  }

  /** Unsubscribes and ends iteration. Idempotent. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      const stream = this.#stream;
      this.#closing =
        stream === undefined
          ? this.#pending.then(
              (s) => s.close(),
              () => undefined,
            )
          : stream.close();
    }
    return this.#closing;
  }

  /** @returns An iterator over broadcasts; breaking out of `for await` closes the subscription. */
  [Symbol.asyncIterator](): AsyncIterator<Broadcast, undefined> {
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
