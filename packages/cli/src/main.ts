import { ConfigurationError, FullonCacheError } from '@fullon/core';
import { CommanderError } from 'commander';
import { createProgram } from './program.js';

/** Exit codes of `fullon-cache`. */
export const ExitCode = {
  /** Done. */
  ok: 0,
  /** The command failed (Redis unreachable, a corrupt value…). */
  failure: 1,
  /**
   * The command line is wrong (the command's help was printed), or so is the configuration: an
   * invalid `--url` / `--prefix`, a malformed `REDIS_*` / `FULLON_CACHE_*` variable.
   */
  usage: 2,
} as const;

/** An exit code of `fullon-cache`. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Commander's own ends that are not errors. */
const CLEAN_ENDS = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Runs `fullon-cache` with a command line and returns its exit code (it never calls
 * `process.exit`).
 * @param argv - The command line, `process.argv` style (node, script, arguments…).
 * @returns 0 when done, 1 on failure (the message goes to stderr), 2 on a usage or
 *   configuration error.
 */
export async function main(argv: readonly string[] = process.argv): Promise<ExitCode> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (CLEAN_ENDS.has(error.code) || error.exitCode === 0) return ExitCode.ok;
      // Commander reports every command-line mistake with exit code 1; ours is 2.
      return ExitCode.usage;
    }
    // Commands turn these into usage errors with help; one raised elsewhere is one too.
    if (ConfigurationError.is(error)) {
      process.stderr.write(`fullon-cache: ${error.message}\n`);
      return ExitCode.usage;
    }
    const message = FullonCacheError.is(error)
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
    process.stderr.write(`fullon-cache: ${message}\n`);
    return ExitCode.failure;
  }
}
