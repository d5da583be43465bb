import type { ConnectOptions } from '../config/config.js';
import { hasConfiguredRedis, loadConfig } from '../config/config.js';
import { ConfigurationError } from '../errors.js';
import {
  findRedisServer,
  probeRedis,
  REDIS_INSTALL_HINT,
  startRedisServer,
} from './redis-server.js';

/** Options of {@link ensureRedis}. */
export interface EnsureRedisOptions {
  /** Environment to inspect. Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** The default address probed when nothing is configured. Defaults to localhost:6379. */
  probe?: { host: string; port: number };
  /** Where notices go. Defaults to stderr. */
  log?: (line: string) => void;
}

/** The Redis that {@link ensureRedis} settled on. */
export interface EnsuredRedis {
  /** Pass to `connect()`. */
  options: ConnectOptions;
  /** Where it is, for messages. */
  description: string;
  /** Whether a throwaway `redis-server` was started. */
  embedded: boolean;
  /** Stops the throwaway server, if one was started (also done on process exit). */
  stop(): Promise<void>;
}

/**
 * Finds a Redis for examples and the CLI.
 *
 * - Anything configured (`REDIS_URL`, `REDIS_HOST`, `REDIS_PORT`, `REDIS_CLUSTER_NODES`) is used
 *   as it is, even when unreachable: the later `connect()` reports that error.
 * - Otherwise, a server answering on the probe address (localhost:6379) is used.
 * - Otherwise a throwaway `redis-server` from `PATH` is started on a free port, announced on
 *   stderr and stopped on exit.
 * @param options - Environment, probe address, logger.
 * @returns What to connect to.
 * @throws {ConfigurationError} with install instructions when no `redis-server` is on `PATH`.
 */
export async function ensureRedis(options: EnsureRedisOptions = {}): Promise<EnsuredRedis> {
  const env = options.env ?? process.env;
  const probe = options.probe ?? { host: 'localhost', port: 6379 };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const nothing = async () => undefined;
  if (hasConfiguredRedis(env)) {
    return {
      options: loadConfig(env),
      description: 'the configured Redis',
      embedded: false,
      stop: nothing,
    };
  }
  if (await probeRedis(probe.host, probe.port)) {
    return {
      options: { host: probe.host, port: probe.port },
      description: `${probe.host}:${probe.port}`,
      embedded: false,
      stop: nothing,
    };
  }
  if ((await findRedisServer()) === null) {
    throw new ConfigurationError(
      'REDIS_URL',
      `no Redis configured, none answering on ${probe.host}:${probe.port}, and ${REDIS_INSTALL_HINT}`,
    );
  }
  const server = await startRedisServer();
  log(
    `fullon-cache: no Redis configured and none on ${probe.host}:${probe.port}; ` +
      `started a throwaway redis-server on ${server.url} (stopped on exit)`,
  );
  return {
    options: { url: server.url },
    description: server.url,
    embedded: true,
    stop: () => server.stop(),
  };
}
