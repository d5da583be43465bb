import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { ConnectionLogger } from '../connection/types.js';
import type { Codec } from '../encoding/codec.js';
import { ConfigurationError, type DecodeError } from '../errors.js';
import { checkConnectInput, checkLoadConfigArgs } from './config-options.js';
import { checkTlsOption, readTlsEnv, TLS_VARIABLES, type TlsOptions } from './config-tls.js';

/** One node of a Redis Cluster seed list. */
export interface ClusterNode {
  /** Host name or IP address. */
  host: string;
  /** TCP port. */
  port: number;
}

/** Everything needed to open a {@link CacheConnection}; see docs/configuration.md. */
export interface CacheConfig {
  /**
   * `redis://` or `rediss://` URL. When set, its host, port, database and credentials win over
   * `host`, `port` and `db`; a `username` or `password` the URL does not carry is taken from
   * those options (as node-redis does). `rediss://` turns TLS on, with the settings of `tls`
   * when it is an object.
   */
  url?: string;
  /** Host name. Defaults to `localhost`. */
  host: string;
  /** TCP port, 1–65535. Defaults to 6379. */
  port: number;
  /** Logical database, 0–15 (standalone only). Defaults to 0. */
  db: number;
  /** ACL user name. */
  username?: string;
  /** Password (or ACL password). */
  password?: string;
  /**
   * Use TLS: `true`, or the settings (CA, client certificate, server name). A `rediss://` URL
   * turns it on as well. Defaults to `false`.
   */
  tls: boolean | TlsOptions;
  /** Cluster seed nodes; when present the connection runs in cluster mode. */
  clusterNodes?: ClusterNode[];
  /** Upper bound on dedicated connections for blocking pops. Defaults to 50. */
  maxConnections: number;
  /**
   * How long a command waits for a lost connection to come back before throwing
   * `ConnectionError`. Defaults to 5 000 ms.
   */
  socketTimeoutMs: number;
  /** How long the first connect may take. Defaults to 5 000 ms. */
  connectTimeoutMs: number;
  /** Prefix of every key and channel. Defaults to `fullon`. */
  prefix: string;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * A dotenv file to read; values in `env` win over it. A file named here must exist
   * (`ConfigurationError` naming `envFile` otherwise). Defaults to `.env` in the working
   * directory, read only when `env` is omitted and skipped when absent.
   */
  envFile?: string;
}

/** Environment variables {@link loadConfig} reads, in the order of docs/configuration.md. */
export const CONFIG_VARIABLES = [
  'REDIS_URL',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_DB',
  'REDIS_USERNAME',
  'REDIS_PASSWORD',
  'REDIS_TLS',
  ...TLS_VARIABLES,
  'REDIS_CLUSTER_NODES',
  'REDIS_MAX_CONNECTIONS',
  'REDIS_SOCKET_TIMEOUT',
  'REDIS_CONNECT_TIMEOUT',
  'FULLON_CACHE_PREFIX',
] as const;

type Env = Record<string, string | undefined>;

const PREFIX_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** Databases a URL path (`/2`), `REDIS_DB` or `db` may select. */
const DB_RANGE = { min: 0, max: 15 } as const;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigurationError(name, `expected an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigurationError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

/** Timeouts are given in seconds in the environment (as in the Python library), kept in ms. */
function readSeconds(env: Env, names: readonly string[], fallbackMs: number): number {
  const name = names.find((n) => env[n] !== undefined && env[n]?.trim() !== '');
  if (name === undefined) return fallbackMs;
  const raw = (env[name] ?? '').trim();
  const seconds = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new ConfigurationError(name, `expected seconds in (0, 3600], got "${raw}"`);
  }
  return Math.round(seconds * 1000);
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigurationError(name, `expected true or false, got "${raw}"`);
}

/**
 * Parses a `host:port` list such as `10.0.0.1:7000,10.0.0.2:7000`.
 * @param raw - Comma-separated list.
 * @param variable - Name used in errors.
 * @returns The nodes, in order.
 * @throws {ConfigurationError} when an entry is not `host:port` with a valid port.
 */
export function parseClusterNodes(raw: string, variable = 'REDIS_CLUSTER_NODES'): ClusterNode[] {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0) throw new ConfigurationError(variable, 'lists no node');
  return entries.map((entry) => {
    const match = /^(.+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (match?.[1] === undefined || port < 1 || port > 65535) {
      throw new ConfigurationError(variable, `"${entry}" is not host:port`);
    }
    return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
  });
}

/**
 * Checks a URL given as `REDIS_URL` or `url`: scheme, host, and the database in its path.
 * @param url - The URL.
 * @param variable - Name used in errors.
 * @returns The URL, unchanged.
 * @throws {ConfigurationError} unless it is a `redis://` or `rediss://` URL with a host whose
 *   path, if any, is a database number from 0 to 15.
 */
export function validateRedisUrl(url: string, variable = 'REDIS_URL'): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) {
    throw new ConfigurationError(
      variable,
      `"${url}" has no scheme: write it as redis://${url} (or rediss:// for TLS)`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ConfigurationError(variable, `"${url}" is not a URL`, { cause });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigurationError(
      variable,
      `must start with redis:// or rediss://, got "${parsed.protocol}//"`,
    );
  }
  if (parsed.hostname === '') throw new ConfigurationError(variable, 'has no host');
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && (!/^\d{1,2}$/.test(db) || Number(db) > DB_RANGE.max)) {
    throw new ConfigurationError(
      variable,
      `selects database "${db}": the path must be a database number from ${DB_RANGE.min} to ${DB_RANGE.max}`,
    );
  }
  return url;
}

/**
 * Checks a key prefix: 1–64 characters of letters, digits, `_`, `.` or `-`, so that it can
 * never contain a hash tag or a glob character.
 * @param prefix - The prefix.
 * @param variable - Name used in errors.
 * @throws {ConfigurationError} when it does not match.
 */
export function validatePrefix(prefix: string, variable = 'FULLON_CACHE_PREFIX'): string {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new ConfigurationError(variable, `must match ${PREFIX_PATTERN.source}, got "${prefix}"`);
  }
  return prefix;
}

/**
 * Reads a dotenv file. The default `.env` may be absent; a file named explicitly must exist.
 * @param path - The file.
 * @param required - `true` when the caller named the file.
 */
function readEnvFile(path: string, required: boolean): Env {
  const full = resolve(path);
  if (!existsSync(full)) {
    if (!required) return {};
    throw new ConfigurationError('envFile', `${full} does not exist`);
  }
  try {
    return parseEnv(readFileSync(full, 'utf8'));
  } catch (cause) {
    throw new ConfigurationError('envFile', `cannot read ${full}`, { cause });
  }
}

/**
 * Builds a {@link CacheConfig} from environment variables (see {@link CONFIG_VARIABLES}).
 *
 * When `env` is omitted, `process.env` is used and a `.env` file in the working directory is
 * read first (with Node's own dotenv parser; real environment variables win). Timeouts are given
 * in seconds in the environment.
 *
 * @param env - Variables to read. Defaults to `process.env`.
 * @param options - `envFile`, a dotenv file to read as well.
 * @returns The complete configuration, defaults filled in.
 * @throws {ConfigurationError} naming the variable when a value is malformed or out of range,
 *   `envFile` when the file named there does not exist (or is not a path), or `env` /
 *   `options` when one is not an object.
 */
export function loadConfig(env?: Env, options: LoadConfigOptions = {}): CacheConfig {
  checkLoadConfigArgs(env, options);
  const envFile = options.envFile ?? (env === undefined ? '.env' : undefined);
  const merged: Env = {
    ...(envFile === undefined ? {} : readEnvFile(envFile, options.envFile !== undefined)),
    ...(env ?? process.env),
  };
  const config: CacheConfig = {
    host: merged.REDIS_HOST?.trim() || 'localhost',
    port: readInteger(merged, 'REDIS_PORT', 6379, 1, 65535),
    db: readInteger(merged, 'REDIS_DB', 0, DB_RANGE.min, DB_RANGE.max),
    tls: readTlsEnv(
      merged,
      merged.REDIS_TLS?.trim() ? readBoolean(merged, 'REDIS_TLS', false) : undefined,
    ),
    maxConnections: readInteger(merged, 'REDIS_MAX_CONNECTIONS', 50, 1, 10_000),
    socketTimeoutMs: readSeconds(merged, ['REDIS_SOCKET_TIMEOUT'], 5000),
    connectTimeoutMs: readSeconds(
      merged,
      ['REDIS_CONNECT_TIMEOUT', 'REDIS_SOCKET_CONNECT_TIMEOUT'],
      5000,
    ),
    prefix: validatePrefix(merged.FULLON_CACHE_PREFIX?.trim() || 'fullon'),
  };
  const url = merged.REDIS_URL?.trim();
  if (url) config.url = validateRedisUrl(url);
  const username = merged.REDIS_USERNAME;
  if (username) config.username = username;
  const password = merged.REDIS_PASSWORD;
  if (password) config.password = password;
  const nodes = merged.REDIS_CLUSTER_NODES?.trim();
  if (nodes) config.clusterNodes = parseClusterNodes(nodes);
  return config;
}

/**
 * Whether the environment names any Redis address at all (used by the embedded default).
 * @param env - Variables to inspect. Defaults to `process.env`.
 * @returns `true` when `REDIS_URL`, `REDIS_HOST`, `REDIS_PORT` or `REDIS_CLUSTER_NODES` is set.
 */
export function hasConfiguredRedis(env: Env = process.env): boolean {
  return ['REDIS_URL', 'REDIS_HOST', 'REDIS_PORT', 'REDIS_CLUSTER_NODES'].some(
    (name) => (env[name]?.trim() ?? '') !== '',
  );
}

/** Options given to `connect()` directly are checked like their variables (and `tls` by shape). */
export function checkConfig(config: CacheConfig): CacheConfig {
  const ranges: [keyof CacheConfig, number, number][] = [
    ['port', 1, 65535],
    ['db', DB_RANGE.min, DB_RANGE.max],
    ['maxConnections', 1, 10_000],
    ['socketTimeoutMs', 1, 3_600_000],
    ['connectTimeoutMs', 1, 3_600_000],
  ];
  for (const [field, min, max] of ranges) {
    const value = config[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ConfigurationError(
        field,
        `must be an integer between ${min} and ${max}, got ${String(value)}`,
      );
    }
  }
  validatePrefix(config.prefix, 'prefix');
  checkTlsOption(config.tls);
  if (config.url !== undefined) validateRedisUrl(config.url, 'url');
  return config;
}

/**
 * Options accepted by `connect()`, beyond the {@link CacheConfig} fields. Every option is
 * checked at `connect()`: a value of the wrong type or out of range rejects with
 * `ConfigurationError` naming the option, before any connection is made.
 */
export interface ConnectOptions extends Partial<CacheConfig> {
  /** Value codec. Defaults to msgpack. */
  codec?: Codec;
  /**
   * Called when a listing skips a corrupt value. Defaults to the logger's `warn`, or a process
   * warning (code `FULLON_CACHE_CORRUPT_VALUE`) without a logger.
   */
  onCorrupt?: (error: DecodeError) => void;
  /**
   * Where to log lost connections, reconnects, slow calls and corrupt values (e.g. a pino
   * logger). Defaults to none: nothing is logged.
   */
  logger?: ConnectionLogger;
  /** With a logger, calls slower than this many ms are logged (`warn`). Defaults to 500. */
  slowCallMs?: number;
}

/**
 * Resolves the configuration for `connect()`: explicit fields win, the rest comes from the
 * environment (and `.env`).
 * @param input - Options, a `redis://`/`rediss://` URL, or nothing.
 * @returns The complete configuration.
 * @throws {ConfigurationError} naming the variable or option at fault.
 */
export function resolveConfig(input?: ConnectOptions | string): CacheConfig {
  checkConnectInput(input);
  const options: ConnectOptions =
    typeof input === 'string' ? { url: validateRedisUrl(input, 'url') } : (input ?? {});
  const {
    codec: _codec,
    onCorrupt: _onCorrupt,
    logger: _logger,
    slowCallMs: _slowCallMs,
    ...fields
  } = options;
  const base = loadConfig();
  const merged: CacheConfig = { ...base };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[name] = value;
  }
  // An explicit host or port replaces a URL that came from the environment.
  if (options.url === undefined && (options.host !== undefined || options.port !== undefined))
    delete merged.url;
  if (
    options.clusterNodes === undefined &&
    (options.url !== undefined || options.host !== undefined)
  ) {
    delete merged.clusterNodes;
  }
  return checkConfig(merged);
}
