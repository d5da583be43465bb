import type { CacheConfig } from '../config/config.js';
import { ConnectionError } from '../errors.js';
import type { RedisArg } from './connection-like.js';
import type { TrackingNode } from './invalidation.js';
import { IsolatedCalls } from './isolated.js';
import {
  closedError,
  describeTarget,
  InFlight,
  type LinkState,
  ReadyWaiter,
  reconnectStrategy,
  retryOffline,
  settledWithin,
} from './link.js';
import { createClient, isOffline, type StandaloneClient } from './node-redis.js';
import { clientOptions } from './options.js';
import { nodePort, pubSubPort } from './ports.js';
import { startStallWatchdog } from './stall-watchdog.js';
import type { NodePort, PubSubPort, Transport, TransportHooks } from './transport.js';

/** Options object reused by every buffer read, so the hot path allocates none. */
const RETURN_BUFFERS = Object.freeze({ returnBuffers: true });

/**
 * The transport to one Redis server: one multiplexed client, a pool of blocking connections
 * duplicated from it, one subscriber connection, and a stall watchdog.
 * @internal
 */
export class StandaloneTransport implements Transport {
  readonly mode = 'standalone';
  readonly target: string;
  readonly socketTimeoutMs: number;
  readonly maxConnections: number;
  readonly #client: StandaloneClient;
  readonly #state: LinkState = { connected: false };
  readonly #hooks: TransportHooks;
  readonly #ready = new ReadyWaiter();
  #closed = false;
  #closing: Promise<void> | undefined;
  readonly #inFlight = new InFlight();
  readonly #isolated = new IsolatedCalls(this);
  #stopWatchdog: (() => void) | undefined;
  #subscriber: Promise<StandaloneClient> | undefined;
  /**
   * The watchdog's reconnect. node-redis 4 ignores a disconnect() that comes while its socket
   * is being created, and that socket then stays open: destroy() waits for this first.
   */
  #reopening: Promise<unknown> | undefined;

  /**
   * @param config - The configuration.
   * @param hooks - Readiness and disconnect notifications.
   */
  constructor(config: CacheConfig, hooks: TransportHooks) {
    this.target = describeTarget(config);
    this.socketTimeoutMs = config.socketTimeoutMs;
    this.maxConnections = config.maxConnections;
    this.#hooks = hooks;
    this.#state.retrying = hooks.reconnecting;
    const { socket, credentials, pool } = clientOptions(config, this.#state);
    const address =
      config.url === undefined
        ? {
            socket: { ...socket, host: config.host, port: config.port },
            database: config.db,
            ...credentials,
          }
        : // As in node-redis: what the URL carries wins; credentials it lacks come from options.
          { url: config.url, socket, ...credentials };
    this.#client = createClient({
      ...address,
      disableOfflineQueue: true,
      isolationPoolOptions: pool,
    });
    // node-redis emits every socket error here; a listener must exist or Node crashes. The
    // error that matters to a caller reaches it through the failed command instead.
    this.#client.on('error', (error: Error) => {
      if (!this.#state.connected) return;
      hooks.disconnected(error);
      hooks.error(error);
    });
    this.#client.on('ready', () => hooks.ready());
  }

  get closed(): boolean {
    return this.#closed;
  }

  async open(): Promise<void> {
    await this.#client.connect();
    // A server that accepts TCP but never answers (paused, or not Redis) is caught here.
    await this.#client.sendCommand(['PING']);
    this.#state.connected = true;
    const client = this.#client;
    this.#stopWatchdog = startStallWatchdog(
      client,
      this.socketTimeoutMs,
      async () => {
        this.#hooks.disconnected(
          new ConnectionError(
            `Redis at ${this.target} stopped answering for ${this.socketTimeoutMs} ms`,
          ),
        );
        this.#isolated.dropFor(client);
        // Dropping the link rejects every command waiting on it; then connect again (the
        // reconnect strategy backs off while the server stays unreachable).
        await client.disconnect().catch(() => undefined);
        if (!this.#closed) this.#reopening = client.connect().catch(() => undefined);
      },
      this.#hooks.replies,
    );
  }

  send<T>(
    _key: string | undefined,
    args: RedisArg[],
    buffers: boolean,
    admitted = false,
  ): Promise<T> {
    const client = this.#client;
    if (client.isReady && (!this.#closed || (admitted && this.#state.closing !== true))) {
      return buffers ? client.sendCommand<T>(args, RETURN_BUFFERS) : client.sendCommand<T>(args);
    }
    return this.#dispatch(args, buffers, false, undefined, admitted) as Promise<T>;
  }

  blocking<T>(_key: string, args: RedisArg[], buffers: boolean): Promise<T> {
    return this.#inFlight.track(this.#dispatch(args, buffers, true) as Promise<T>);
  }

  /**
   * Sends a command once the client is ready.
   *
   * The client runs with node-redis's offline queue disabled, and no `AbortSignal` goes to
   * node-redis: a command queued while the link was down could otherwise wait for a reconnect
   * without bound, and node-redis 4 keeps an abort listener after the command was written, so
   * a signal firing later rejects a command that already ran (a BLPOP lost the item it popped)
   * and costs quadratic time under load. Instead a call waits for `ready`, at most
   * `socketTimeoutMs` in all, and is written at once; a link that drops afterwards rejects
   * every command on it.
   */
  #dispatch(
    args: RedisArg[],
    buffers: boolean,
    isolated: boolean,
    deadline?: number,
    admitted = false,
  ) {
    // An admitted command (the rest of an operation begun before close()) passes until destroy.
    if (this.#closed && !(admitted && this.#state.closing !== true)) {
      return Promise.reject(closedError(this));
    }
    const client = this.#client;
    if (!client.isReady) {
      const until = deadline ?? Date.now() + this.socketTimeoutMs;
      return this.#ready
        .until(client, until, this)
        .then((): Promise<unknown> => this.#dispatch(args, buffers, isolated, until, admitted));
    }
    if (!isolated) {
      return buffers ? client.sendCommand(args, RETURN_BUFFERS) : client.sendCommand(args);
    }
    return this.#isolated.run(client, args, buffers).catch((error: unknown): Promise<unknown> => {
      if (!isOffline(error)) throw error;
      const until = deadline ?? Date.now() + this.socketTimeoutMs;
      return retryOffline(error, until, () => this.#dispatch(args, buffers, isolated, until));
    });
  }

  async masters(): Promise<NodePort[]> {
    if (this.#closed) throw closedError(this);
    return [nodePort(this.#client, this, this.#ready)];
  }

  async pubSub(): Promise<PubSubPort> {
    if (this.#closed) throw closedError(this);
    return pubSubPort(await this.#subscriberClient());
  }

  trackingNodes(): TrackingNode[] {
    const main = this.#client;
    const create = () =>
      main.duplicate({
        socket: { ...main.options?.socket, reconnectStrategy: false },
      } as Parameters<StandaloneClient['duplicate']>[0]);
    return [{ id: this.target, create }];
  }

  #subscriberClient(): Promise<StandaloneClient> {
    if (this.#subscriber === undefined) {
      const main = this.#client;
      const state: LinkState = { connected: false };
      const client = main.duplicate({
        socket: {
          ...main.options?.socket,
          reconnectStrategy: reconnectStrategy(state, this.socketTimeoutMs),
        },
      } as Parameters<StandaloneClient['duplicate']>[0]);
      client.on('error', () => {
        // Reconnects are automatic and node-redis resubscribes; nothing to do here.
      });
      this.#subscriber = client.connect().then(
        async () => {
          if (this.#closed) {
            // close() ran while this connection was being opened: do not leak it.
            await client.disconnect().catch(() => undefined);
            throw closedError(this);
          }
          state.connected = true;
          return client;
        },
        (cause: unknown) => {
          this.#subscriber = undefined;
          throw cause;
        },
      );
    }
    return this.#subscriber;
  }

  close(idle?: () => Promise<void>): Promise<void> {
    this.#closed = true;
    this.#closing ??= (idle?.() ?? Promise.resolve())
      .then(() => this.#drain())
      .then(() => this.destroy());
    return this.#closing;
  }

  /**
   * Lets the calls in flight finish: a PING queued behind every command on the shared
   * connection answers after all of them (one connection answers in order), and the pooled
   * blocking calls settle; at most `socketTimeoutMs`. Then QUIT.
   */
  async #drain(): Promise<void> {
    this.#stopWatchdog?.();
    const client = this.#client;
    const barrier = client.isReady ? client.sendCommand(['PING']) : Promise.resolve();
    const drained = await settledWithin(
      Promise.all([barrier, this.#inFlight.settled()]),
      this.socketTimeoutMs,
    );
    if (drained && client.isReady) await settledWithin(client.quit(), this.socketTimeoutMs);
  }

  async destroy(): Promise<void> {
    this.#closed = true;
    this.#state.closing = true;
    this.#stopWatchdog?.();
    const quiet = () => undefined;
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) await subscriber.then((c) => c.disconnect(), quiet).catch(quiet);
    await this.#reopening;
    if (this.#client.isOpen) await this.#client.disconnect().catch(quiet);
  }
}
