import type { InvalidationHandlers, InvalidationTracking } from './connection-like.js';
import type { StandaloneClient } from './node-redis.js';

/** The channel RESP2 tracking redirects invalidations to. */
const INVALIDATE_CHANNEL = '__redis__:invalidate';
const BACKOFF_BASE_MS = 50;
const BACKOFF_CAP_MS = 2_000;
/** How often a cluster's masters are compared with the nodes tracked. */
const TOPOLOGY_POLL_MS = 500;

/** One master to track: a stable id (its address) and a factory for a fresh client to it. @internal */
export interface TrackingNode {
  /** `host:port`, or any id that changes when the node does. */
  readonly id: string;
  /** A new, unconnected client to this node that does not reconnect by itself. */
  create(): StandaloneClient;
}

/** What the tracker needs of a transport. @internal */
export interface TrackingSource {
  /** Standalone server or cluster (a cluster's masters are watched for changes). */
  readonly mode: 'standalone' | 'cluster';
  /** @returns The masters to track now (one for a standalone server). */
  trackingNodes(): TrackingNode[];
}

/**
 * One dedicated connection to one master that is both the tracking client and the receiver of
 * its invalidations: `CLIENT TRACKING ON REDIRECT <its own id> BCAST PREFIX <prefix>`, then
 * `SUBSCRIBE __redis__:invalidate` (RESP2 delivers invalidations only to a subscribed redirect
 * target). Because tracking and its redirect live on one connection, a dropped connection
 * takes its tracking state with it: nothing can be left redirecting to a dead client. It never
 * reconnects by itself; the tracker opens a fresh one after a backoff, so tracking is always
 * enabled before the subscription, in that order.
 */
class TrackingLink {
  #client: StandaloneClient | undefined;
  /** Settles once the current client's connect attempt has. */
  #opening: Promise<unknown> = Promise.resolve();
  #live = false;
  #closed = false;
  #retries = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Bumped on every new client, so events of an old one are ignored. */
  #session = 0;

  constructor(
    readonly node: TrackingNode,
    private readonly prefix: string,
    private readonly events: {
      invalidate(keys: readonly string[] | null): void;
      live(): void;
      lost(): void;
    },
  ) {}

  get live(): boolean {
    return this.#live;
  }

  start(): void {
    if (this.#closed) return;
    const session = ++this.#session;
    const client = this.node.create();
    this.#client = client;
    // A listener must exist or Node crashes; any error on this connection means tracking may
    // have missed something, so it is dropped and opened afresh.
    client.on('error', () => this.#drop(session));
    client.on('end', () => this.#drop(session));
    const opening = client.connect();
    this.#opening = opening.catch(() => undefined);
    void this.#establish(client, opening, session).catch(() => this.#drop(session));
  }

  async #establish(client: StandaloneClient, opening: Promise<unknown>, session: number) {
    await opening;
    if (session !== this.#session) return;
    const id = await client.sendCommand<number>(['CLIENT', 'ID']);
    await client.sendCommand([
      'CLIENT',
      'TRACKING',
      'ON',
      'REDIRECT',
      String(id),
      'BCAST',
      'PREFIX',
      this.prefix,
    ]);
    await client.subscribe(INVALIDATE_CHANNEL, (keys: unknown) => {
      if (session !== this.#session || !this.#live) return;
      // node-redis hands the invalidation channel's payload over as an array (or null: flush).
      this.events.invalidate(Array.isArray(keys) ? (keys as string[]) : null);
    });
    if (session !== this.#session || this.#closed) return;
    this.#live = true;
    this.#retries = 0;
    this.events.live();
  }

  #drop(session: number): void {
    if (session !== this.#session) return;
    this.#session++;
    this.#live = false;
    void this.#dispose();
    this.events.lost();
    if (this.#closed) return;
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(this.#retries++, 10));
    this.#timer = setTimeout(
      () => this.start(),
      Math.round(ceiling / 2 + Math.random() * (ceiling / 2)),
    );
    this.#timer.unref();
  }

  /** Drops the connection and opens a fresh one at once (tracking may have missed something). */
  restart(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    const wasOpen = this.#client !== undefined;
    this.#retries = 0;
    if (wasOpen) this.#drop(this.#session);
    clearTimeout(this.#timer);
    this.start();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#session++;
    this.#live = false;
    clearTimeout(this.#timer);
    await this.#dispose();
  }

  /**
   * Disconnects the current client. node-redis 4 does not abort a connect in progress (a
   * `disconnect()` then leaves the socket open for ever), so it waits for the attempt first.
   */
  async #dispose(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client === undefined) return;
    await this.#opening;
    if (client.isOpen) await client.disconnect().catch(() => undefined);
  }
}

/**
 * Server-assisted invalidation for every master of a connection: one {@link TrackingLink} per
 * master, live only while all of them are. Any link lost, a data-connection drop
 * ({@link InvalidationTracker.reset}) or, on a cluster, a change of the set of masters calls
 * `onReset` and re-establishes tracking; `onLive` follows once every link is back.
 * @internal
 */
export class InvalidationTracker implements InvalidationTracking {
  readonly #source: TrackingSource;
  readonly #prefix: string;
  readonly #handlers: InvalidationHandlers;
  readonly #links = new Map<string, TrackingLink>();
  readonly #onClose: () => void;
  #poll: NodeJS.Timeout | undefined;
  #live = false;
  #closing: Promise<void> | undefined;

  /**
   * @param source - The transport.
   * @param prefix - Key prefix to track (BCAST PREFIX).
   * @param handlers - Invalidation, reset and live notifications.
   * @param onClose - Called once when closed (the facade forgets it).
   */
  constructor(
    source: TrackingSource,
    prefix: string,
    handlers: InvalidationHandlers,
    onClose: () => void,
  ) {
    this.#source = source;
    this.#prefix = prefix;
    this.#handlers = handlers;
    this.#onClose = onClose;
    this.#sync();
    if (source.mode === 'cluster') {
      this.#poll = setInterval(() => this.#sync(), TOPOLOGY_POLL_MS);
      this.#poll.unref();
    }
  }

  /**
   * Whether tracking is confirmed on every master. On a cluster it also compares the masters
   * the client routes to now with those tracked, so a read just routed to a master not tracked
   * yet is not kept (a change resets, as the periodic check does).
   */
  get live(): boolean {
    if (this.#live && this.#source.mode === 'cluster') this.#sync();
    return this.#live;
  }

  /** Opens links to new masters and closes those to masters gone; a change resets. */
  #sync(): void {
    if (this.#closing !== undefined) return;
    const nodes = this.#source.trackingNodes();
    const wanted = new Set(nodes.map((n) => n.id));
    let changed = false;
    for (const [id, link] of this.#links) {
      if (wanted.has(id)) continue;
      changed = true;
      this.#links.delete(id);
      void link.close();
    }
    for (const node of nodes) {
      if (this.#links.has(node.id)) continue;
      changed = true;
      const link = new TrackingLink(node, this.#prefix, {
        invalidate: (keys) => {
          if (this.#live) this.#handlers.onInvalidate(keys);
        },
        live: () => this.#check(),
        lost: () => this.#lost(),
      });
      this.#links.set(node.id, link);
      link.start();
    }
    if (changed) this.#lost();
  }

  #check(): void {
    if (this.#live || this.#closing !== undefined || this.#links.size === 0) return;
    for (const link of this.#links.values()) if (!link.live) return;
    this.#live = true;
    this.#handlers.onLive();
  }

  #lost(): void {
    if (this.#closing !== undefined) return;
    this.#live = false;
    this.#handlers.onReset();
    // A link still live may have become the last one needed (e.g. a master removed).
    this.#check();
  }

  /** The data connection dropped: flush, and re-establish tracking before serving again. */
  reset(): void {
    if (this.#closing !== undefined) return;
    this.#live = false;
    this.#handlers.onReset();
    for (const link of this.#links.values()) link.restart();
  }

  close(): Promise<void> {
    if (this.#closing === undefined) {
      clearInterval(this.#poll);
      const wasLive = this.#live;
      this.#live = false;
      this.#closing = Promise.all([...this.#links.values()].map((link) => link.close())).then(
        () => undefined,
      );
      this.#links.clear();
      this.#onClose();
      if (wasLive) this.#handlers.onReset();
    }
    return this.#closing;
  }
}
