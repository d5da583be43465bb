import { EventEmitter } from 'node:events';
import type { ConnectOptions } from '../config/config.js';
import { ConfigurationError, type DecodeError } from '../errors.js';
import { warnCorrupt } from './corrupt.js';
import type { ConnectionEvents, ConnectionLogger } from './types.js';

/** Default slow-call threshold, in ms. */
const DEFAULT_SLOW_CALL_MS = 500;
const LOG_LEVELS = ['debug', 'warn', 'error'] as const;

/**
 * Checks `logger` and `slowCallMs` of connect() options, for callers from plain JavaScript.
 * @param options - The options.
 * @returns The logger (or `undefined`) and the slow-call threshold.
 * @throws {ConfigurationError} naming `logger` or `slowCallMs`.
 */
export function observerOptions(options: Pick<ConnectOptions, 'logger' | 'slowCallMs'>): {
  logger: ConnectionLogger | undefined;
  slowCallMs: number;
} {
  const { logger, slowCallMs = DEFAULT_SLOW_CALL_MS } = options;
  if (logger !== undefined) {
    const missing = LOG_LEVELS.filter(
      (level) => typeof (logger as Partial<ConnectionLogger> | null)?.[level] !== 'function',
    );
    if (missing.length > 0) {
      throw new ConfigurationError('logger', `needs the methods ${missing.join(', ')}`);
    }
  }
  if (!Number.isInteger(slowCallMs) || slowCallMs < 1 || slowCallMs > 3_600_000) {
    throw new ConfigurationError(
      'slowCallMs',
      `must be an integer between 1 and 3600000, got ${String(slowCallMs)}`,
    );
  }
  return { logger, slowCallMs };
}

/** Replies that mean the server refused who we are, not that the network failed. */
const REFUSAL = /NOAUTH|WRONGPASS|NOPERM|certificate|self[- ]signed|SSL|TLS/i;

/**
 * Turns what the transport reports into the connection's events and log lines: one
 * `disconnected` per outage (not one per failed retry), `reconnecting` once per attempt,
 * `ready` when the link is back, `error` for every client error (only while somebody listens:
 * an `error` event without a listener would crash the process), and `end` once when the
 * connection has closed. Logs nothing unless a logger was given.
 * @internal
 */
export class ConnectionMonitor {
  /** The connection's events. */
  readonly events = new EventEmitter<ConnectionEvents>();
  readonly #target: string;
  readonly #logger: ConnectionLogger | undefined;
  /** Calls slower than this many ms are logged; `undefined`: calls are not timed. */
  readonly slowCallMs: number | undefined;
  #up = false;
  #ended = false;
  #lostAt = 0;
  #lastAttempt = 0;

  /**
   * @param target - `host:port` or the cluster seed list, for log lines.
   * @param logger - Where to log; `undefined` logs nothing.
   * @param slowCallMs - Slow-call threshold; taken only with a logger.
   */
  constructor(target: string, logger: ConnectionLogger | undefined, slowCallMs: number) {
    this.#target = target;
    this.#logger = logger;
    this.slowCallMs = logger === undefined ? undefined : slowCallMs;
  }

  /** The link is (again) ready: `ready` after an outage, or once at the first connect. */
  ready(): void {
    if (this.#up || this.#ended) return;
    this.#up = true;
    if (this.#lostAt !== 0) {
      const downMs = Math.round(performance.now() - this.#lostAt);
      this.#logger?.debug({ target: this.#target, downMs }, 'Redis connection restored');
    }
    this.events.emit('ready');
  }

  /**
   * The link failed: the first report of an outage emits `disconnected`; later ones (every
   * failed retry) are the same outage.
   * @param error - Why.
   */
  lost(error: Error): void {
    if (!this.#up || this.#ended) return;
    this.#up = false;
    this.#lostAt = performance.now();
    this.#lastAttempt = 0;
    this.#logger?.warn({ target: this.#target, error: error.message }, 'Redis connection lost');
    this.events.emit('disconnected', error);
  }

  /**
   * A reconnect was scheduled. Pooled connections share the strategy, so an attempt number
   * already reported in this outage is not reported again.
   * @param attempt - 1 for the first retry of this outage.
   * @param delayMs - The pause before it.
   */
  reconnecting(attempt: number, delayMs: number): void {
    if (this.#up || this.#ended || attempt <= this.#lastAttempt) return;
    this.#lastAttempt = attempt;
    this.#logger?.debug({ target: this.#target, attempt, delayMs }, 'reconnecting to Redis');
    this.events.emit('reconnecting', { attempt, delayMs });
  }

  /**
   * A client error (a failed connect attempt, a dropped socket). Refusals of the credentials
   * or the certificate are logged as errors, network failures at debug level.
   * @param error - The error node-redis reported.
   */
  error(error: Error): void {
    if (this.#ended) return;
    const details = { target: this.#target, error: error.message };
    if (REFUSAL.test(error.message)) this.#logger?.error(details, 'Redis refused the connection');
    else this.#logger?.debug(details, 'Redis client error');
    if (this.events.listenerCount('error') > 0) this.events.emit('error', error);
  }

  /**
   * Logs `call` when it settles later than `slowCallMs` after now.
   * @param call - The call, just issued.
   * @param command - What it runs (a command name, or `script <name>`).
   * @returns A promise settling as `call` does.
   */
  timed<T>(call: Promise<T>, command: string): Promise<T> {
    const threshold = this.slowCallMs ?? Number.POSITIVE_INFINITY;
    const started = performance.now();
    return call.finally(() => {
      const ms = performance.now() - started;
      if (ms < threshold) return;
      this.#logger?.warn({ target: this.#target, command, ms: Math.round(ms) }, 'slow Redis call');
    });
  }

  /**
   * The default corrupt-value report: to the logger when there is one, else a process warning.
   * @param error - The decode failure.
   */
  corrupt(error: DecodeError): void {
    if (this.#logger === undefined) warnCorrupt(error);
    else this.#logger.warn({ key: error.key, error: error.message }, 'corrupt value skipped');
  }

  /** The connection has closed: `end`, once; nothing is emitted after it. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#up = false;
    this.events.emit('end');
  }
}
