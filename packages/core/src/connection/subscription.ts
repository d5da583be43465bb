import { PubSubError } from '../errors.js';
import { countOption } from '../validation/validation.js';
import { onAbort } from './abort-listener.js';

/** One message received on a subscription. */
export interface PubSubMessage {
  /** Channel it was published on. */
  channel: string;
  /** Raw payload. */
  message: Buffer;
  /** The pattern that matched, for pattern subscriptions. */
  pattern?: string;
}

/** Options of a subscription. */
export interface SubscribeOptions {
  /** Exact channels. */
  channels?: readonly string[];
  /** Glob patterns (PSUBSCRIBE). */
  patterns?: readonly string[];
  /** Ends the subscription when aborted. */
  signal?: AbortSignal;
  /**
   * Messages kept while the consumer is slower than the publisher; beyond it the oldest are
   * dropped and counted in `dropped`. Defaults to 10 000.
   */
  bufferSize?: number;
}

/** A raw message listener as node-redis calls it in buffer mode. */
export type RawListener = (message: Buffer, channel: Buffer | string) => void;

/** What a {@link Subscription} needs from the connection to stop listening. */
export interface SubscriptionSource {
  unsubscribe(
    channels: readonly string[],
    patterns: readonly string[],
    listeners: Map<string, RawListener>,
  ): Promise<void>;
}

/**
 * A live subscription: an `AsyncIterable` of messages that ends when its signal aborts or
 * `close()` is called. Create it with `conn.subscribe()`, which resolves once the server has
 * confirmed the subscription, so nothing published afterwards is missed.
 */
export class Subscription implements AsyncIterable<PubSubMessage>, AsyncDisposable {
  /** Messages dropped because the buffer was full. */
  dropped = 0;
  readonly #buffer: PubSubMessage[] = [];
  readonly #waiters: ((result: IteratorResult<PubSubMessage>) => void)[] = [];
  readonly #capacity: number;
  readonly #listeners = new Map<string, RawListener>();
  readonly #channels: readonly string[];
  readonly #patterns: readonly string[];
  #source: SubscriptionSource | undefined;
  #closed: Promise<void> | undefined;
  #stopListening: (() => void) | undefined;
  #signal: AbortSignal | undefined;

  /** @internal Built by the connection. */
  constructor(options: SubscribeOptions) {
    // `null` is not "the default" and 2**64 is not a buffer size: the same rule as every cap.
    this.#capacity = countOption(options.bufferSize, 10_000, 'bufferSize');
    this.#channels = options.channels ?? [];
    this.#patterns = options.patterns ?? [];
    for (const channel of this.#channels) {
      this.#listeners.set(`c:${channel}`, (message, from) =>
        this.#push({ channel: String(from), message }),
      );
    }
    for (const pattern of this.#patterns) {
      this.#listeners.set(`p:${pattern}`, (message, from) =>
        this.#push({ channel: String(from), message, pattern }),
      );
    }
    this.#signal = options.signal;
  }

  /** @internal The listener for a channel (`c:`) or pattern (`p:`). */
  listenerFor(id: string): RawListener {
    const listener = this.#listeners.get(id);
    if (listener === undefined) throw new PubSubError(`no listener ${id}`);
    return listener;
  }

  /** @internal Called once the server confirmed every channel and pattern. */
  attach(source: SubscriptionSource): void {
    this.#source = source;
    if (this.#signal?.aborted) {
      void this.close();
      return;
    }
    if (this.#signal !== undefined) {
      // One listener per signal, however many subscriptions share it (no max-listeners warning).
      this.#stopListening = onAbort(this.#signal, () => void this.close());
    }
  }

  /** Whether the subscription has ended. */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  #push(message: PubSubMessage): void {
    if (this.#closed !== undefined) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter({ value: message, done: false });
      return;
    }
    if (this.#buffer.length >= this.#capacity) {
      this.#buffer.shift();
      this.dropped++;
    }
    this.#buffer.push(message);
  }

  /**
   * Waits for the next message.
   * @returns The next message, or `done` once the subscription has ended.
   */
  next(): Promise<IteratorResult<PubSubMessage>> {
    const buffered = this.#buffer.shift();
    if (buffered !== undefined) return Promise.resolve({ value: buffered, done: false });
    if (this.#closed !== undefined) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Unsubscribes and ends iteration; idempotent. Buffered messages are discarded. */
  close(): Promise<void> {
    if (this.#closed === undefined) {
      this.#buffer.length = 0;
      for (const waiter of this.#waiters.splice(0)) waiter({ value: undefined, done: true });
      this.#stopListening?.();
      const source = this.#source;
      this.#closed =
        source === undefined
          ? Promise.resolve()
          : source.unsubscribe(this.#channels, this.#patterns, this.#listeners).catch(() => {
              // The connection may already be closed; the listeners are gone either way.
            });
    }
    return this.#closed;
  }

  /** @returns An iterator over messages; breaking out of `for await` closes the subscription. */
  [Symbol.asyncIterator](): AsyncIterator<PubSubMessage> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
