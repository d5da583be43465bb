import { ConnectionError, type FullonCacheErrorOptions } from '../errors.js';

/**
 * What a failed call may have done on the server:
 * - `not-sent`: the command never ran — it was never written (no link, connection closed, no
 *   pooled connection in time), or the server refused it before running it (`CLUSTERDOWN`,
 *   `TRYAGAIN`, `MOVED`/`ASK` after every redirect, `LOADING`, `MASTERDOWN`, `READONLY`).
 *   Safe to retry, whatever the operation.
 * - `unknown`: the command was written and the link failed before the reply; the server may
 *   have applied it. Retry only idempotent operations (see docs/errors.md).
 */
export type CommandOutcome = 'not-sent' | 'unknown';

/** Options of {@link OutcomeConnectionError}. */
export interface OutcomeErrorOptions extends FullonCacheErrorOptions {
  /** Whether the command may have run. */
  outcome: CommandOutcome;
}

/**
 * A {@link ConnectionError} that says whether the command may have run (`outcome`). It has
 * the name, code and `is()` of `ConnectionError`; every `ConnectionError` a connection throws
 * is one of these.
 */
export class OutcomeConnectionError extends ConnectionError {
  /** Whether the command may have run: `not-sent` is safe to retry, `unknown` is not. */
  readonly outcome: CommandOutcome;

  /**
   * @param message - What failed, naming host:port.
   * @param options - `outcome`, and `cause`.
   */
  constructor(message: string, options: OutcomeErrorOptions) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.outcome = options.outcome;
  }
}

/**
 * The outcome an error reports: `not-sent` or `unknown` for a connection error, `unknown` for
 * anything that does not say.
 * @param error - Anything caught.
 * @returns The outcome.
 */
export function outcomeOf(error: unknown): CommandOutcome {
  const outcome = (error as { outcome?: unknown } | null)?.outcome;
  return outcome === 'not-sent' ? 'not-sent' : 'unknown';
}
