import type { CacheConfig, ClusterNode } from '../config.js';
import type { RedisArg } from '../connection-like.js';
import { keySlot } from '../slot.js';
import {
  bounded,
  closedError,
  describeTarget,
  InFlight,
  type LinkState,
  ReadyWaiter,
  retryOffline,
  settledWithin,
} from './link.js';
import {
  type ClusterClient,
  createCluster,
  isOffline,
  type StandaloneClient,
} from './node-redis.js';
import { clientOptions } from './options.js';
import { nodePort, pubSubPort } from './ports.js';
import type { NodePort, PubSubPort, Transport, TransportHooks } from './transport.js';

/**
 * The transport to a Redis Cluster: one node-redis cluster client, which keeps a client (and
 * a pool of blocking connections) per master and routes each command by its first key.
 * @internal
 */
export class ClusterTransport implements Transport {
  readonly mode = 'cluster';
  readonly target: string;
  readonly socketTimeoutMs: number;
  readonly maxConnections: number;
  readonly #cluster: ClusterClient;
  readonly #state: LinkState = { connected: false };
  readonly #ready = new ReadyWaiter();
  #closed = false;
  #closing: Promise<void> | undefined;
  readonly #inFlight = new InFlight();

  /**
   * @param config - The configuration.
   * @param nodes - The seed nodes.
   * @param hooks - Disconnect notifications.
   */
  constructor(config: CacheConfig, nodes: readonly ClusterNode[], hooks: TransportHooks) {
    this.target = describeTarget(config);
    this.socketTimeoutMs = config.socketTimeoutMs;
    this.maxConnections = config.maxConnections;
    const { socket, credentials, pool } = clientOptions(config, this.#state);
    this.#cluster = createCluster({
      rootNodes: nodes.map((n) => ({ socket: { host: n.host, port: n.port } })),
      // Node clients take their options from `defaults` only: a pool size given beside it
      // is ignored, and generic-pool's default of one connection serialised every blocking
      // pop on a node behind the one already waiting.
      defaults: {
        socket,
        ...credentials,
        disableOfflineQueue: true,
        isolationPoolOptions: pool,
      },
    });
    this.#cluster.on('error', (error: Error) => {
      if (this.#state.connected) hooks.disconnected(error);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  async open(): Promise<void> {
    await this.#cluster.connect();
    // A node that accepts TCP but never answers is caught here.
    const cluster = this.#cluster;
    await Promise.all(
      cluster.masters.map(async (m) =>
        (await (cluster.nodeClient(m) as Promise<StandaloneClient> | StandaloneClient)).sendCommand(
          ['PING'],
        ),
      ),
    );
    this.#state.connected = true;
  }

  send<T>(key: string | undefined, args: RedisArg[], buffers: boolean): Promise<T> {
    return this.#dispatch(key, args, buffers, false) as Promise<T>;
  }

  blocking<T>(key: string, args: RedisArg[], buffers: boolean): Promise<T> {
    return this.#inFlight.track(this.#dispatch(key, args, buffers, true) as Promise<T>);
  }

  /**
   * Sends a command once the node that owns its key is ready, at most `socketTimeoutMs` in all
   * (see the standalone transport for why nothing is queued in node-redis).
   */
  #dispatch(
    key: string | undefined,
    args: RedisArg[],
    buffers: boolean,
    isolated: boolean,
    deadline?: number,
  ): Promise<unknown> {
    if (this.#closed) return Promise.reject(closedError(this));
    const client = this.#nodeClient(key);
    if (client !== undefined && !client.isReady) {
      const until = deadline ?? Date.now() + this.socketTimeoutMs;
      return this.#ready
        .until(client, until, this)
        .then(() => this.#dispatch(key, args, buffers, isolated, until));
    }
    if (client !== undefined && !isolated) {
      return this.#cluster.sendCommand(key, false, args, { returnBuffers: buffers });
    }
    // A pooled blocking connection, or a node not known here (keyless command), may still be
    // reconnecting while the rest is ready: retry until the deadline.
    return this.#cluster
      .sendCommand(key, false, args, { returnBuffers: buffers, isolated })
      .catch((error: unknown) => {
        if (!isOffline(error)) throw error;
        const until = deadline ?? Date.now() + this.socketTimeoutMs;
        return retryOffline(error, until, () =>
          this.#dispatch(key, args, buffers, isolated, until),
        );
      });
  }

  /** The master client that owns `key`'s slot, when it exists already. */
  #nodeClient(key: string | undefined): StandaloneClient | undefined {
    if (key === undefined) return undefined;
    const client = this.#cluster.slots[keySlot(key)]?.master.client;
    return client === undefined || client instanceof Promise
      ? undefined
      : (client as StandaloneClient);
  }

  async masters(): Promise<NodePort[]> {
    if (this.#closed) throw closedError(this);
    const cluster = this.#cluster;
    const clients = await bounded(
      Promise.all(
        cluster.masters.map(
          (m) => cluster.nodeClient(m) as Promise<StandaloneClient> | StandaloneClient,
        ),
      ),
      this,
    );
    return clients.map((client) => nodePort(client, this, this.#ready));
  }

  async pubSub(): Promise<PubSubPort> {
    if (this.#closed) throw closedError(this);
    return pubSubPort(this.#cluster);
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#drain().then(() => this.destroy());
    return this.#closing;
  }

  /**
   * Lets the calls in flight finish: a PING queued behind every command on each ready master
   * answers after all of them, and the pooled blocking calls settle; at most `socketTimeoutMs`.
   */
  async #drain(): Promise<void> {
    const barriers = this.#cluster.masters.map((master) => {
      const client = master.client;
      return client === undefined || client instanceof Promise || !client.isReady
        ? Promise.resolve()
        : (client as StandaloneClient).sendCommand(['PING']);
    });
    await settledWithin(Promise.all([...barriers, this.#inFlight.settled()]), this.socketTimeoutMs);
  }

  async destroy(): Promise<void> {
    this.#closed = true;
    this.#state.closing = true;
    await this.#cluster.disconnect().catch(() => undefined);
  }
}
