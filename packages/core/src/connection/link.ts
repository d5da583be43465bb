import type { CacheConfig } from '../config/config.js';
import { sleep } from '../util/sleep.js';
import { OutcomeConnectionError } from './outcome.js';

/** Shared by a client and the pooled connections node-redis duplicates from it. */
export interface LinkState {
  /** The first connect succeeded: from now on, reconnect. */
  connected: boolean;
  /** close() was called: stop retrying, so a pooled connection still opening lets go. */
  closing?: boolean;
  /** Told of every scheduled retry (attempt from 1, pause in ms). */
  retrying?: (attempt: number, delayMs: number) => void;
}

/** What error messages and deadlines of a transport need to know. */
export interface LinkContext {
  /** `host:port` (or the cluster seed list), for messages. */
  readonly target: string;
  /** How long a call waits for a connection. */
  readonly socketTimeoutMs: number;
  /** Upper bound of pooled blocking connections (per node). */
  readonly maxConnections: number;
}

const BACKOFF_BASE_MS = 50;
const BACKOFF_CAP_MS = 2_000;

/** How often a call retries a connection that is still reconnecting. */
export const RETRY_OFFLINE_MS = 50;

/**
 * First connect fails fast; once connected, reconnects back off exponentially with jitter,
 * until the connection is closed. The pause never exceeds half the socket timeout, so a
 * connection (a pooled one too) is back within that much of the server, while a call issued
 * then still waits.
 * @param state - The link this strategy serves.
 * @param socketTimeoutMs - The socket timeout of the connection.
 * @returns A node-redis `reconnectStrategy`.
 */
export function reconnectStrategy(state: LinkState, socketTimeoutMs: number) {
  const cap = Math.max(BACKOFF_BASE_MS, Math.min(BACKOFF_CAP_MS, Math.floor(socketTimeoutMs / 2)));
  return (retries: number, cause: Error): number | Error => {
    if (!state.connected || state.closing === true) return cause;
    const ceiling = Math.min(cap, BACKOFF_BASE_MS * 2 ** Math.min(retries, 10));
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    state.retrying?.(retries + 1, delay);
    return delay;
  };
}

/**
 * The error of a call made on a closed connection.
 * @param context - The transport.
 * @returns A ConnectionError naming the target; the command was not sent.
 */
export function closedError(context: LinkContext): OutcomeConnectionError {
  return new OutcomeConnectionError(`the connection to Redis at ${context.target} is closed`, {
    outcome: 'not-sent',
  });
}

/**
 * The error of a call that found no ready connection in time.
 * @param context - The transport.
 * @returns A ConnectionError naming the target and the timeout; the command was not sent.
 */
export function noConnectionError(context: LinkContext): OutcomeConnectionError {
  return new OutcomeConnectionError(
    `no connection to Redis at ${context.target} within ${context.socketTimeoutMs} ms`,
    { outcome: 'not-sent' },
  );
}

/** What waiting for readiness needs of a node-redis client. */
export interface ReadyClient {
  readonly isReady: boolean;
  once(event: 'ready', listener: () => void): unknown;
}

/** Calls waiting for one client share one `ready` listener. */
export class ReadyWaiter {
  readonly #waiters = new WeakMap<ReadyClient, Promise<void>>();

  /**
   * Resolves once `client` is ready.
   * @param client - The client.
   * @returns A promise shared by every caller waiting for this client.
   */
  ready(client: ReadyClient): Promise<void> {
    let ready = this.#waiters.get(client);
    if (ready === undefined) {
      const waiter = new Promise<void>((resolve) => client.once('ready', () => resolve()));
      void waiter.then(() => this.#waiters.delete(client));
      this.#waiters.set(client, waiter);
      ready = waiter;
    }
    return ready;
  }

  /**
   * Waits at most `ms` for `client` to be ready.
   * @param client - The client.
   * @param ms - The bound.
   * @returns `true` once ready, `false` when `ms` passed first.
   */
  within(client: ReadyClient, ms: number): Promise<boolean> {
    return settledWithin(this.ready(client), ms);
  }

  /**
   * Resolves once `client` is ready, or rejects with ConnectionError at `until`.
   * @param client - The client.
   * @param until - Deadline, epoch ms.
   * @param context - For the error message.
   * @returns A promise that settles by the deadline.
   */
  until(client: ReadyClient, until: number, context: LinkContext): Promise<void> {
    const shared = this.ready(client);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(noConnectionError(context)),
        Math.max(0, until - Date.now()),
      );
      void shared.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * Rejects with ConnectionError when `promise` has not settled within `socketTimeoutMs`.
 * @param promise - The operation.
 * @param context - Timeout and target.
 * @returns The operation's result.
 */
export function bounded<T>(promise: Promise<T>, context: LinkContext): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(noConnectionError(context)), context.socketTimeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Waits a little, then calls `again`, while a deadline allows: a pooled blocking connection,
 * or a cluster node not known yet, may still be reconnecting while the main client is ready.
 * @param error - The offline error.
 * @param until - Deadline, epoch ms.
 * @param again - Re-dispatches the call with the same deadline.
 * @returns What `again` returns.
 * @throws the offline error once the deadline has passed.
 */
export function retryOffline(
  error: unknown,
  until: number,
  again: () => Promise<unknown>,
): Promise<unknown> {
  const wait = Math.min(RETRY_OFFLINE_MS, until - Date.now());
  if (wait <= 0) return Promise.reject(error);
  return sleep(wait).then(again);
}

/**
 * `host:port`, the URL's host and port, or the cluster seed list.
 * @param config - The configuration.
 * @returns The target, for messages.
 */
export function describeTarget(config: CacheConfig): string {
  if (config.clusterNodes !== undefined) {
    return `cluster ${config.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
  }
  if (config.url !== undefined) {
    const url = new URL(config.url);
    return `${url.hostname}:${url.port || '6379'}`;
  }
  return `${config.host}:${config.port}`;
}

/**
 * Settles when `promise` settles or `ms` have passed, whichever comes first; never rejects.
 * @param promise - What to wait for.
 * @param ms - The bound.
 * @returns `true` when `promise` settled in time.
 */
export function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(resolve, ms, false);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Calls in flight on pooled blocking connections, so close() can let them finish. */
export class InFlight {
  readonly #calls = new Set<Promise<unknown>>();

  /**
   * Tracks a call until it settles.
   * @param call - The call.
   * @returns The same promise.
   */
  track<T>(call: Promise<T>): Promise<T> {
    this.#calls.add(call);
    const done = () => this.#calls.delete(call);
    call.then(done, done);
    return call;
  }

  /** @returns A promise that settles once every call tracked now has settled. */
  settled(): Promise<unknown> {
    return Promise.allSettled([...this.#calls]);
  }
}
