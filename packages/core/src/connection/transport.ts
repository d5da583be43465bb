import type { CacheConfig } from '../config/config.js';
import { ClusterTransport } from './cluster.js';
import type { RedisArg } from './connection-like.js';
import type { TrackingNode } from './invalidation.js';
import type { LinkContext } from './link.js';
import { StandaloneTransport } from './standalone.js';
import type { RawListener } from './subscription.js';

/** A subscriber connection, as the subscriber hub uses it. @internal */
export interface PubSubPort {
  /** SUBSCRIBE in buffer mode; resolves once the server confirmed. */
  subscribe(channel: string, listener: RawListener): Promise<void>;
  /** PSUBSCRIBE in buffer mode; resolves once the server confirmed. */
  pSubscribe(pattern: string, listener: RawListener): Promise<void>;
  /** Removes one listener (UNSUBSCRIBE when it was the last). */
  unsubscribe(channel: string, listener: RawListener): Promise<void>;
  /** Removes one pattern listener (PUNSUBSCRIBE when it was the last). */
  pUnsubscribe(pattern: string, listener: RawListener): Promise<void>;
}

/** One master node, for commands that visit every master (health, clear). @internal */
export interface NodePort {
  /**
   * Sends a command to this node, waiting at most the socket timeout for it to be ready.
   * @param args - Command and arguments.
   * @returns The raw reply.
   */
  send<T>(args: RedisArg[]): Promise<T>;
}

/** What a transport tells the connection, and learns from it. @internal */
export interface TransportHooks {
  /** Replies the connection received so far (the stall watchdog's sign of life). */
  replies(): number;
  /** The connection is (again) ready. */
  ready(): void;
  /** The connection was lost (or stalled); told again for every failed retry. */
  disconnected(error: Error): void;
  /** A reconnect of a main (or node) client is scheduled. */
  reconnecting(attempt: number, delayMs: number): void;
  /** A client reported an error (a failed attempt, a dropped socket). */
  error(error: Error): void;
}

/**
 * The only part of a connection that talks to node-redis: clients, reconnects, waiting for
 * readiness, routing, the stall watchdog, the pooled blocking connections, the subscriber
 * connection, and closing. Standalone and cluster are two implementations.
 * Errors come out untranslated; the connection translates them once.
 * @internal
 */
export interface Transport extends LinkContext {
  /** Standalone server or cluster. */
  readonly mode: 'standalone' | 'cluster';
  /** `true` once close() was called. */
  readonly closed: boolean;
  /** Opens the main client (and starts the watchdog). */
  open(): Promise<void>;
  /**
   * Sends one command on the shared connection (hot path: no async frame).
   * @param key - First key, for routing; `undefined` for keyless commands.
   * @param args - Command and arguments.
   * @param buffers - Bulk strings as `Buffer`.
   * @param admitted - A later command of an operation that began before close(): sent while
   *   close() drains (refused only once the transport is destroyed). Defaults to `false`.
   */
  send<T>(
    key: string | undefined,
    args: RedisArg[],
    buffers: boolean,
    admitted?: boolean,
  ): Promise<T>;
  /**
   * Runs a blocking command on a pooled connection of its own.
   * @param key - First key, for routing.
   * @param args - Command and arguments.
   * @param buffers - Bulk strings as `Buffer`.
   */
  blocking<T>(key: string, args: RedisArg[], buffers: boolean): Promise<T>;
  /** @returns Every master, bounded by the socket timeout. */
  masters(): Promise<NodePort[]>;
  /** @returns The subscriber connection, opened on first use. */
  pubSub(): Promise<PubSubPort>;
  /** @returns Every master, as factories of dedicated invalidation-tracking clients. */
  trackingNodes(): TrackingNode[];
  /**
   * Drains, then closes: new calls fail at once with a "closed" ConnectionError (not sent),
   * except admitted ones; `idle` (the operations in flight) is awaited, then the commands in
   * flight finish (at most `socketTimeoutMs`), then QUIT; idempotent.
   * @param idle - Settles once no operation begun before close() is left. Defaults to none.
   */
  close(idle?: () => Promise<void>): Promise<void>;
  /** Drops every connection at once: calls in flight fail (outcome unknown); idempotent. */
  destroy(): Promise<void>;
}

/**
 * Builds the transport the configuration asks for.
 * @param config - The configuration.
 * @param hooks - Readiness and disconnect notifications.
 * @returns A standalone or cluster transport, not yet open.
 */
export function createTransport(config: CacheConfig, hooks: TransportHooks): Transport {
  return config.clusterNodes === undefined
    ? new StandaloneTransport(config, hooks)
    : new ClusterTransport(config, config.clusterNodes, hooks);
}
