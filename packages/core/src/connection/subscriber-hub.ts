import { ValidationError } from '../errors.js';
import { signalOption } from '../validation/validation.js';
import { bounded, closedError } from './link.js';
import { type SubscribeOptions, Subscription } from './subscription.js';
import { translateError } from './translate.js';
import type { PubSubPort, Transport } from './transport.js';

/**
 * Owns the live subscriptions of a connection: makes each one on the transport's subscriber
 * connection, removes it when it ends, and ends them all when the connection closes.
 * @internal
 */
export class SubscriberHub {
  readonly #transport: Transport;
  readonly #live = new Set<Subscription>();

  /** @param transport - Carries the subscriber connection. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Subscribes; resolves once the server has confirmed every channel and pattern.
   * @param options - Channels, patterns, signal, buffer size.
   * @returns The live subscription.
   * @throws {ValidationError} when neither a channel nor a pattern is given, or `signal` is not
   *   an `AbortSignal`.
   * @throws {PubSubError} when the server refuses; {@link ConnectionError} without a link.
   */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const transport = this.#transport;
    signalOption(options.signal);
    const subscription = new Subscription(options);
    const channels = options.channels ?? [];
    const patterns = options.patterns ?? [];
    if (channels.length + patterns.length === 0)
      throw new ValidationError('channels', 'channels: subscribe needs a channel or a pattern');
    // A closed connection must not open a new subscriber connection behind the caller's back.
    if (transport.closed) throw closedError(transport);
    let port: PubSubPort | undefined;
    const unsubscribe = (chs: readonly string[], pats: readonly string[]) => {
      this.#live.delete(subscription);
      // Once closed, the subscriber client is gone and a queued UNSUBSCRIBE would never be
      // answered. During an outage it waits for the reconnect, at most the timeout; node-redis
      // drops the listeners at once either way.
      if (transport.closed || port === undefined) return Promise.resolve();
      const client = port;
      return bounded(
        Promise.all([
          ...chs.map((c) => client.unsubscribe(c, subscription.listenerFor(`c:${c}`))),
          ...pats.map((p) => client.pUnsubscribe(p, subscription.listenerFor(`p:${p}`))),
        ]),
        transport,
      ).then(() => undefined);
    };
    try {
      port = await bounded(transport.pubSub(), transport);
      const client = port;
      // Bounded like every command: node-redis queues SUBSCRIBE while the link is down.
      await bounded(
        Promise.all([
          ...channels.map((c) => client.subscribe(c, subscription.listenerFor(`c:${c}`))),
          ...patterns.map((p) => client.pSubscribe(p, subscription.listenerFor(`p:${p}`))),
        ]),
        transport,
      );
      this.#live.add(subscription);
      subscription.attach({ unsubscribe });
    } catch (cause) {
      // Channels that did subscribe must not keep a listener nobody reads.
      await unsubscribe(channels, patterns).catch(() => undefined);
      throw translateError(cause, 'subscribe', transport, 'subscribe');
    }
    return subscription;
  }

  /** Ends every live subscription, so a `for await` over one does not wait forever. */
  closeAll(): void {
    for (const subscription of this.#live) void subscription.close();
    this.#live.clear();
  }
}
