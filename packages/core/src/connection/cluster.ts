import type { CacheConfig, ClusterNode } from '../config/config.js';
import { ConnectionError } from '../errors.js';
import { keySlot } from '../keys/slot.js';
import type { RedisArg } from './connection-like.js';
import type { TrackingNode } from './invalidation.js';
import { IsolatedCalls } from './isolated.js';
import {
  bounded,
  closedError,
  describeTarget,
  InFlight,
  type LinkState,
  noConnectionError,
  ReadyWaiter,
  retryOffline,
  settledWithin,
} from './link.js';
import {
  type ClusterClient,
  createClient,
  createCluster,
  isOffline,
  isServerReply,
  type StandaloneClient,
} from './node-redis.js';
import { clientOptions } from './options.js';
import { nodePort, pubSubPort } from './ports.js';
import { SlotMapRefresher } from './slot-map.js';
import { startStallWatchdog } from './stall-watchdog.js';
import type { NodePort, PubSubPort, Transport, TransportHooks } from './transport.js';

/** While a master is down, how often a waiting call looks up its slot's owner again. */
const REROUTE_MS = 100;

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
  /**
   * The stall watchdog's node reconnects. node-redis 4 ignores a disconnect() that comes while
   * a socket is being created, and that socket then stays open: destroy() waits for these.
   */
  readonly #reopening = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;
  readonly #inFlight = new InFlight();
  readonly #isolated = new IsolatedCalls(this);
  readonly #slotMap: SlotMapRefresher;
  readonly #hooks: TransportHooks;
  #stopWatch: (() => void) | undefined;
  /** Replies per master client: the stall watchdog's sign of life. */
  readonly #replies = new WeakMap<StandaloneClient, number>();
  /** Socket and credentials of node clients, for dedicated invalidation-tracking clients. */
  readonly #nodeOptions: { socket: object; username?: string; password?: string };
  /** The last error of a root node before the first connect succeeded. */
  #firstConnectError: Error | undefined;

  /**
   * @param config - The configuration.
   * @param nodes - The seed nodes.
   * @param hooks - Disconnect notifications.
   */
  constructor(config: CacheConfig, nodes: readonly ClusterNode[], hooks: TransportHooks) {
    this.target = describeTarget(config);
    this.socketTimeoutMs = config.socketTimeoutMs;
    this.maxConnections = config.maxConnections;
    this.#state.retrying = hooks.reconnecting;
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
    this.#nodeOptions = { socket, ...credentials };
    this.#hooks = hooks;
    this.#slotMap = new SlotMapRefresher(this.#cluster, config.socketTimeoutMs);
    this.#cluster.on('error', (error: Error) => {
      if (!this.#state.connected) {
        this.#firstConnectError = error;
        return;
      }
      hooks.disconnected(error);
      hooks.error(error);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  async open(): Promise<void> {
    await this.#cluster.connect().catch((error: unknown) => {
      // node-redis reports only "None of the root nodes is available"; why (refused, a TLS
      // certificate that does not verify…) was emitted as an error event just before.
      throw this.#firstConnectError ?? error;
    });
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
    this.#watch();
  }

  /**
   * Watches every master for a stall (see the standalone transport): each new master client
   * gets a stall watchdog; one that stops answering is dropped, which fails its calls in
   * flight, and opened again.
   */
  #watch(): void {
    const watched = new Map<StandaloneClient, () => void>();
    const sweep = () => {
      const current = new Set<StandaloneClient>();
      for (const master of this.#cluster.masters) {
        const client = master.client;
        if (client === undefined || client instanceof Promise) continue;
        const node = client as StandaloneClient;
        current.add(node);
        if (watched.has(node)) continue;
        // A master's link (re)established is the cluster's `ready`.
        node.on('ready', this.#hooks.ready);
        if (node.isReady) this.#hooks.ready();
        watched.set(
          node,
          startStallWatchdog(node, this.socketTimeoutMs, () => this.#stalled(node)),
        );
      }
      for (const [node, stop] of watched) {
        if (current.has(node)) continue;
        stop();
        node.off('ready', this.#hooks.ready);
        watched.delete(node);
      }
    };
    const interval = setInterval(sweep, Math.max(50, Math.floor(this.socketTimeoutMs / 2)));
    interval.unref();
    sweep();
    this.#stopWatch = () => {
      clearInterval(interval);
      for (const [node, stop] of watched) {
        stop();
        node.off('ready', this.#hooks.ready);
      }
    };
  }

  async #stalled(node: StandaloneClient): Promise<void> {
    this.#hooks.disconnected(
      new ConnectionError(
        `a Redis node of ${this.target} stopped answering for ${this.socketTimeoutMs} ms`,
      ),
    );
    this.#isolated.dropFor(node);
    await node.disconnect().catch(() => undefined);
    if (this.#closed) return;
    const reopening = node.connect().catch(() => undefined);
    this.#reopening.add(reopening);
    void reopening.then(() => this.#reopening.delete(reopening));
  }

  send<T>(
    key: string | undefined,
    args: RedisArg[],
    buffers: boolean,
    admitted = false,
  ): Promise<T> {
    return this.#dispatch(key, args, buffers, false, undefined, admitted) as Promise<T>;
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
    admitted = false,
  ): Promise<unknown> {
    // An admitted command (the rest of an operation begun before close()) passes until destroy.
    if (this.#closed && !(admitted && this.#state.closing !== true)) {
      return Promise.reject(closedError(this));
    }
    const client = this.#nodeClient(key);
    if (client !== undefined && !client.isReady) {
      // Its master may be dead: while waiting for it, look for a failover, and route again
      // every little while, so a promoted replica takes the call.
      const until = deadline ?? Date.now() + this.socketTimeoutMs;
      const wait = Math.min(until - Date.now(), REROUTE_MS);
      if (wait <= 0) return Promise.reject(noConnectionError(this));
      this.#slotMap.suspect();
      return this.#ready
        .within(client, wait)
        .then(() => this.#dispatch(key, args, buffers, isolated, until, admitted));
    }
    if (client !== undefined && !isolated) {
      return this.#cluster
        .sendCommand(key, false, args, { returnBuffers: buffers })
        .then((reply) => {
          this.#replies.set(client, (this.#replies.get(client) ?? 0) + 1);
          return reply;
        });
    }
    const sent =
      client !== undefined && key !== undefined
        ? this.#isolated.run(client, args, buffers).catch((error: unknown) => {
            // Sent to the node directly, so node-redis did not see the MOVED: refresh its map.
            if (isServerReply(error) && /^(MOVED|ASK) /.test(error.message))
              this.#slotMap.moved(key);
            throw error;
          })
        : this.#cluster.sendCommand(key, false, args, { returnBuffers: buffers, isolated });
    // A pooled blocking connection, or a node not known here (keyless command), may still be
    // reconnecting while the rest is ready: retry until the deadline.
    return sent.catch((error: unknown) => {
      if (!isOffline(error)) throw error;
      const until = deadline ?? Date.now() + this.socketTimeoutMs;
      return retryOffline(error, until, () =>
        this.#dispatch(key, args, buffers, isolated, until, admitted),
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

  trackingNodes(): TrackingNode[] {
    const { socket, ...credentials } = this.#nodeOptions;
    return this.#cluster.masters.map((m) => ({
      id: m.address,
      create: () =>
        createClient({
          ...credentials,
          socket: { ...socket, host: m.host, port: m.port, reconnectStrategy: false },
        }),
    }));
  }

  async pubSub(): Promise<PubSubPort> {
    if (this.#closed) throw closedError(this);
    return pubSubPort(this.#cluster);
  }

  close(idle?: () => Promise<void>): Promise<void> {
    this.#closed = true;
    this.#closing ??= (idle?.() ?? Promise.resolve())
      .then(() => this.#drain())
      .then(() => this.destroy());
    return this.#closing;
  }

  /**
   * Lets the calls in flight finish: a PING queued behind every command on each ready master
   * answers after all of them, and the pooled blocking calls settle; at most `socketTimeoutMs`.
   */
  async #drain(): Promise<void> {
    this.#stopWatch?.();
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
    this.#stopWatch?.();
    await Promise.all(this.#reopening);
    await this.#cluster.disconnect().catch(() => undefined);
  }
}
