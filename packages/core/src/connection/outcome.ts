import { type CommandOutcome, ConnectionError, type FullonCacheErrorOptions } from '../errors.js';

export type { CommandOutcome };

/** Options of {@link OutcomeConnectionError}. */
export interface OutcomeErrorOptions extends FullonCacheErrorOptions {
  /** Whether the command may have run. */
  outcome: CommandOutcome;
}

/**
 * A {@link ConnectionError} whose `outcome` must be stated (the transport always knows it).
 */
export class OutcomeConnectionError extends ConnectionError {
  /**
   * @param message - What failed, naming host:port.
   * @param options - `outcome`, and `cause`.
   */
  constructor(message: string, options: OutcomeErrorOptions) {
    super(message, options);
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
