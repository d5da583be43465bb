import { type Caches, createCaches } from '@fullon/cache';
import {
  type CacheConnection,
  ConfigurationError,
  ConnectionError,
  type ConnectOptions,
  connect,
  hasConfiguredRedis,
  ValidationError,
} from '@fullon/core';
import type { Command } from 'commander';
import { createOutput, type Output } from './output.js';

/** Options every command accepts (`--url`, `--prefix` on the program, `--json` on each). */
export interface GlobalOptions {
  /** `--url`: a `redis://` / `rediss://` URL. */
  url?: string;
  /** `--prefix`: the key prefix of the cache to inspect. */
  prefix?: string;
  /** `--json`: JSON for scripts. */
  json?: boolean;
}

/** What a command runs with: the connection, every cache on it, and its output. */
export interface Session {
  /** The connection (closed when the command ends). */
  readonly conn: CacheConnection;
  /** Every cache on `conn`. */
  readonly caches: Caches;
  /** Where and how to print. */
  readonly out: Output;
}

/** How to point the CLI at a Redis (it never starts one: an empty server has nothing to show). */
export const NO_REDIS_HINT = [
  'Point fullon-cache at the Redis of your cache:',
  '  fullon-cache --url redis://host:6379 <command>',
  '  or set REDIS_URL (or REDIS_HOST / REDIS_PORT, REDIS_CLUSTER_NODES for a cluster),',
  '  and --prefix / FULLON_CACHE_PREFIX when the cache does not use the default prefix "fullon".',
].join('\n');

/**
 * The advice printed after a failed connect.
 * @param configured - Whether an address was given (`--url` or the environment).
 * @returns The advice, starting on its own line.
 */
export function connectionHint(configured: boolean): string {
  const first = configured
    ? 'Check that this Redis is running and reachable.'
    : 'No Redis is configured and nothing answers on localhost:6379.';
  return `${first}\n${NO_REDIS_HINT}`;
}

/**
 * Opens the connection of a run: the library's environment variables (and `.env`), with
 * `--url` and `--prefix` on top.
 * @param options - The global options.
 * @returns An open connection.
 * @throws {ConnectionError} with {@link connectionHint} appended.
 */
export async function openConnection(options: GlobalOptions): Promise<CacheConnection> {
  const config: ConnectOptions = {
    ...(options.url === undefined ? {} : { url: options.url }),
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  };
  try {
    return await connect(config);
  } catch (error) {
    if (ConnectionError.is(error)) {
      const configured = options.url !== undefined || hasConfiguredRedis();
      throw new ConnectionError(`${error.message}\n${connectionHint(configured)}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** The command-line options that `connect()` names by their option name. */
const FLAGS: Readonly<Record<string, string>> = { url: '--url', prefix: '--prefix' };

/**
 * The usage message of a configuration error: the flag when it came from `--url` / `--prefix`,
 * else the environment variable (`REDIS_PORT`…) that `connect()` named.
 * @param error - The error `connect()` threw.
 * @returns The message for stderr.
 */
export function configurationMessage(error: ConfigurationError): string {
  const flag = Object.hasOwn(FLAGS, error.variable) ? FLAGS[error.variable] : undefined;
  return flag === undefined
    ? `error: environment variable ${error.variable} is invalid (${error.message})`
    : `error: option ${flag} is invalid (${error.message})`;
}

/**
 * Runs a command body with a session and closes the connection afterwards. Input the caches
 * reject (a `ValidationError`) and a malformed `--url`, `--prefix` or environment variable (a
 * `ConfigurationError`) are usage errors: exit 2 with the command's help.
 * @param cmd - The command being run.
 * @param body - What the command does.
 * @returns Once done and closed.
 */
export async function withSession(
  cmd: Command,
  body: (session: Session) => Promise<void>,
): Promise<void> {
  const options = cmd.optsWithGlobals<GlobalOptions>();
  const out = createOutput(options.json === true);
  let conn: CacheConnection;
  try {
    conn = await openConnection(options);
  } catch (error) {
    if (ConfigurationError.is(error)) cmd.error(configurationMessage(error), usage);
    throw error;
  }
  try {
    await body({ conn, caches: createCaches(conn), out });
  } catch (error) {
    if (ValidationError.is(error)) cmd.error(`error: ${error.message}`, usage);
    throw error;
  } finally {
    await conn.close();
  }
}

/** How a usage error found by a command exits. */
export const usage = { exitCode: 2, code: 'fullon.usage' } as const;
