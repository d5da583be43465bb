import type { RedisArg } from './connection-like.js';
import { closedError, type LinkContext, type ReadyWaiter } from './link.js';
import type { ClusterClient, StandaloneClient } from './node-redis.js';
import type { RawListener } from './subscription.js';
import type { NodePort, PubSubPort } from './transport.js';

/**
 * Wraps a node-redis client (a dedicated subscriber, or the cluster client, which keeps its
 * own subscriber node) as the port the subscriber hub uses; every call is in buffer mode.
 * @param client - The client that carries subscriptions.
 * @returns The port.
 */
export function pubSubPort(client: StandaloneClient | ClusterClient): PubSubPort {
  return {
    subscribe: (channel: string, listener: RawListener) =>
      client.subscribe(channel, listener, true),
    pSubscribe: (pattern: string, listener: RawListener) =>
      client.pSubscribe(pattern, listener, true),
    unsubscribe: (channel: string, listener: RawListener) =>
      client.unsubscribe(channel, listener, true),
    pUnsubscribe: (pattern: string, listener: RawListener) =>
      client.pUnsubscribe(pattern, listener, true),
  };
}

/**
 * Wraps the client of one node for commands that visit every master: each call waits at most
 * the socket timeout for that node to be ready, like every other call.
 * @param client - The node's client.
 * @param link - The transport (closed flag, timeout, target).
 * @param ready - The transport's shared ready waiter.
 * @returns The port.
 */
export function nodePort(
  client: StandaloneClient,
  link: LinkContext & { readonly closed: boolean },
  ready: ReadyWaiter,
): NodePort {
  return {
    send: async <T>(args: RedisArg[]): Promise<T> => {
      if (link.closed) throw closedError(link);
      if (!client.isReady) {
        await ready.until(client, Date.now() + link.socketTimeoutMs, link);
        if (link.closed) throw closedError(link);
      }
      return client.sendCommand<T>(args);
    },
  };
}
