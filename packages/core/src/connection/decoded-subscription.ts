import { DecodeError } from '../errors.js';
import type { CacheConnectionLike, MessageStream } from './connection-like.js';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * A live stream of decoded records over a pub/sub subscription — what a cache's `subscribe`
 * returns (ticks, bars, broadcasts). The subscription starts at once; `ready` resolves when the
 * server has confirmed it (everything published afterwards is delivered). One message may hold
 * several records; they are yielded one by one, in order. Iterate with `for await`; the stream
 * ends when its signal aborts, when `close()` is called or when the loop breaks. A payload that
 * does not decode is skipped and reported through the connection's `onCorrupt` hook.
 * @example
 * ```ts
 * const pending = conn.subscribe({ channels: [keys.channel('bars', market)], signal });
 * return new DecodedSubscription(conn, pending, (message, channel) => decodeBars(message, channel));
 * ```
 */
export class DecodedSubscription<T> implements AsyncIterable<T>, AsyncDisposable {
  /**
   * Resolves once the server confirmed the subscription.
   * @throws {PubSubError} when the subscription could not be made (iteration throws it too).
   */
  readonly ready: Promise<void>;
  readonly #conn: CacheConnectionLike;
  readonly #pending: Promise<MessageStream>;
  readonly #decode: (message: Buffer, channel: string) => T[];
  readonly #queue: T[] = [];
  #stream: MessageStream | undefined;
  #closing: Promise<void> | undefined;

  /**
   * Built by a cache's `subscribe`.
   * @param conn - The connection, for its `onCorrupt` hook.
   * @param pending - The subscription being made.
   * @param decode - Turns one message into its records; throws `DecodeError` when corrupt.
   */
  constructor(
    conn: CacheConnectionLike,
    pending: Promise<MessageStream>,
    decode: (message: Buffer, channel: string) => T[],
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
   * Waits for the next record.
   * @returns The next record, or `done` once the subscription has ended.
   * @throws {PubSubError} when the subscription could not be made.
   */
  async next(): Promise<IteratorResult<T, undefined>> {
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

  /** @returns An iterator over records; breaking out of `for await` closes the subscription. */
  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
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
