import type { BaseIssue } from 'valibot';

const MARKER = Symbol.for('@fullon/core.FullonCacheError');

/** Machine-readable error codes, one per error class. */
export type FullonCacheErrorCode =
  | 'FULLON_CACHE_ERROR'
  | 'CONNECTION'
  | 'CONFIGURATION'
  | 'COMMAND'
  | 'VALIDATION'
  | 'DECODE'
  | 'PUBSUB'
  | 'LOCK'
  | 'TIMEOUT';

/**
 * What a failed call may have done on the server: `not-sent` (never ran: safe to retry) or
 * `unknown` (written, then the link failed: the server may have applied it).
 */
export type CommandOutcome = 'not-sent' | 'unknown';

/** Options of {@link ConnectionError}. */
export interface ConnectionErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Whether the command may have run. Defaults to `unknown`. */
  outcome?: CommandOutcome;
}

/** Options shared by every error constructor. */
export interface FullonCacheErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Root of every error thrown by `@fullon` packages.
 *
 * Check with `FullonCacheError.is(err)` (or a subclass's `is`) rather than `instanceof`: the
 * marker is a `Symbol.for` key, so the check holds across duplicate installs of the package.
 *
 * @example
 * ```ts
 * try { await ticks.getTicker('BTC/USDT', 'binance'); }
 * catch (err) { if (ConnectionError.is(err)) retryLater(); else throw err; }
 * ```
 */
export class FullonCacheError extends Error {
  /** Stable string code; compare this, never the message. */
  readonly code: FullonCacheErrorCode;
  readonly [MARKER] = true;

  /**
   * @param message - Human-readable description.
   * @param code - Stable machine-readable code.
   * @param options - `cause`, the underlying error.
   */
  constructor(
    message: string,
    code: FullonCacheErrorCode = 'FULLON_CACHE_ERROR',
    options: FullonCacheErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FullonCacheError';
    this.code = code;
  }

  /**
   * Whether `value` is any `@fullon` cache error, even from another copy of this package.
   * @param value - Anything caught.
   * @returns `true` for every error of the family.
   */
  static is(value: unknown): value is FullonCacheError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** Builds the static `is` guard for a subclass from its code. */
function guardFor<T extends FullonCacheError>(code: FullonCacheErrorCode) {
  return (value: unknown): value is T => FullonCacheError.is(value) && value.code === code;
}

/** Redis is unreachable, the connection dropped, or a command failed at the transport level. */
export class ConnectionError extends FullonCacheError {
  /**
   * Whether the command may have run on the server: `not-sent` — it never ran, safe to retry
   * whatever the operation; `unknown` — it was written and the link failed before the reply,
   * so retry only idempotent operations (see docs/errors.md).
   */
  readonly outcome: CommandOutcome;
  /**
   * @param message - What failed, naming host:port where known.
   * @param options - `cause`, the underlying error; `outcome` (defaults to `unknown`).
   */
  constructor(message: string, options: ConnectionErrorOptions = {}) {
    super(message, 'CONNECTION', options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'ConnectionError';
    this.outcome = options.outcome ?? 'unknown';
  }
  /** Whether `value` is a {@link ConnectionError}. */
  static override is = guardFor<ConnectionError>('CONNECTION');
}

/** A configuration value (environment variable or option) is malformed or out of range. */
export class ConfigurationError extends FullonCacheError {
  /** The variable or option at fault, e.g. `REDIS_PORT`. */
  readonly variable: string;
  /**
   * @param variable - The variable or option name.
   * @param message - Why the value is rejected.
   */
  constructor(variable: string, message: string, options: FullonCacheErrorOptions = {}) {
    super(`${variable}: ${message}`, 'CONFIGURATION', options);
    this.name = 'ConfigurationError';
    this.variable = variable;
  }
  /** Whether `value` is a {@link ConfigurationError}. */
  static override is = guardFor<ConfigurationError>('CONFIGURATION');
}

/** Input rejected before anything was written; the message names the field. */
export class ValidationError extends FullonCacheError {
  /** The valibot issues behind the rejection (empty for checks made outside valibot). */
  readonly issues: readonly BaseIssue<unknown>[];
  /** Dotted path of the first offending field, e.g. `bid`. */
  readonly field: string;
  /**
   * @param field - Dotted path of the first offending field.
   * @param message - Full message, which names the field.
   * @param issues - valibot issues, if any.
   */
  constructor(field: string, message: string, issues: readonly BaseIssue<unknown>[] = []) {
    super(message, 'VALIDATION');
    this.name = 'ValidationError';
    this.field = field;
    this.issues = issues;
  }
  /** Whether `value` is a {@link ValidationError}. */
  static override is = guardFor<ValidationError>('VALIDATION');
}

/** A stored value could not be decoded. */
export class DecodeError extends FullonCacheError {
  /** Redis key that held the value. */
  readonly key: string;
  /** Hash field (or list index) within the key, when relevant. */
  readonly field: string | undefined;
  /**
   * @param key - Redis key of the value.
   * @param field - Hash field or position, when relevant.
   * @param message - What was wrong with it.
   */
  constructor(
    key: string,
    field: string | undefined,
    message: string,
    options: FullonCacheErrorOptions = {},
  ) {
    super(
      `${message} (key ${key}${field === undefined ? '' : `, field ${field}`})`,
      'DECODE',
      options,
    );
    this.name = 'DecodeError';
    this.key = key;
    this.field = field;
  }
  /** Whether `value` is a {@link DecodeError}. */
  static override is = guardFor<DecodeError>('DECODE');
}

/** A subscription failed or overflowed. */
export class PubSubError extends FullonCacheError {
  /** @param message - What failed. */
  constructor(message: string, options: FullonCacheErrorOptions = {}) {
    super(message, 'PUBSUB', options);
    this.name = 'PubSubError';
  }
  /** Whether `value` is a {@link PubSubError}. */
  static override is = guardFor<PubSubError>('PUBSUB');
}

/** A lock or lease could not be taken or was lost. */
export class LockError extends FullonCacheError {
  /** @param message - What failed. */
  constructor(message: string, options: FullonCacheErrorOptions = {}) {
    super(message, 'LOCK', options);
    this.name = 'LockError';
  }
  /** Whether `value` is a {@link LockError}. */
  static override is = guardFor<LockError>('LOCK');
}

/** An operation gave up after its time limit. */
export class TimeoutError extends FullonCacheError {
  /** @param message - What timed out, and after how long. */
  constructor(message: string, options: FullonCacheErrorOptions = {}) {
    super(message, 'TIMEOUT', options);
    this.name = 'TimeoutError';
  }
  /** Whether `value` is a {@link TimeoutError}. */
  static override is = guardFor<TimeoutError>('TIMEOUT');
}
