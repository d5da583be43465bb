import { type CacheConnectionLike, DecodeError, type MessageStream } from '@fullon/core';
import type { Bar } from './schema.js';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * A live stream of bars, returned by `OHLCVCache.subscribe`. The subscription starts at once;
 * `ready` resolves when the server has confirmed it (every upsert made afterwards is
 * delivered). Each upsert publishes its bars as one message; they are yielded one by one,
 * oldest first. Iterate with `for await`; the stream ends when its signal aborts, when
 * `close()` is called or when the loop breaks. A payload that does not decode is skipped and
 * reported through the connection's `onCorrupt` hook.
 */
export class BarSubscription implements AsyncIterable<Bar>, AsyncDisposable {
  /**
   * Resolves once the server confirmed the subscription.
   * @throws {PubSubError} when the subscription could not be made (iteration throws it too).
   */
  readonly ready: Promise<void>;
  readonly #conn: CacheConnectionLike;
  readonly #pending: Promise<MessageStream>;
  readonly #decode: (message: Buffer, channel: string) => Bar[];
  readonly #queue: Bar[] = [];
  #stream: MessageStream | undefined;
  #closing: Promise<void> | undefined;

  /**
   * @internal Built by `OHLCVCache.subscribe`.
   * @param conn - The connection, for its `onCorrupt` hook.
   * @param pending - The subscription being made.
   * @param decode - Turns one message into its bars; throws `DecodeError` when corrupt.
   */
  constructor(
    conn: CacheConnectionLike,
    pending: Promise<MessageStream>,
    decode: (message: Buffer, channel: string) => Bar[],
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
  async next(): Promise<IteratorResult<Bar, undefined>> {
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

  /** @returns An iterator over bars; breaking out of `for await` closes the subscription. */
  [Symbol.asyncIterator](): AsyncIterator<Bar, undefined> {
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
