import { ConfigurationError } from '../errors.js';

/** How a rejected value is shown in a message: its kind, never a secret's text. */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string option: absent, or a string (non-empty when `nonEmpty`). */
function checkString(options: Record<string, unknown>, name: string, nonEmpty: boolean): void {
  const value = options[name];
  if (value === undefined) return;
  if (typeof value !== 'string') {
    throw new ConfigurationError(name, `expected a string, got ${kind(value)}`);
  }
  if (nonEmpty && value.trim() === '') throw new ConfigurationError(name, 'must not be empty');
}

/** `clusterNodes`: a non-empty array of `{ host, port }`. */
function checkClusterNodes(value: unknown): void {
  if (value === undefined) return;
  const name = 'clusterNodes';
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigurationError(
      name,
      `expected a non-empty array of { host, port }, got ${Array.isArray(value) ? 'an empty array' : kind(value)}`,
    );
  }
  value.forEach((node: unknown, i) => {
    if (!plainObject(node)) {
      throw new ConfigurationError(name, `node ${i} must be { host, port }, got ${kind(node)}`);
    }
    const { host, port } = node;
    if (typeof host !== 'string' || host.trim() === '') {
      throw new ConfigurationError(name, `node ${i} needs a host name (a non-empty string)`);
    }
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigurationError(name, `node ${i} needs a port, an integer from 1 to 65535`);
    }
  });
}

/** `codec`: an object with a `name` and `encode` / `decode` functions. */
function checkCodec(value: unknown): void {
  if (value === undefined) return;
  const codec = value as Record<string, unknown> | null;
  if (
    !plainObject(value) ||
    typeof codec?.name !== 'string' ||
    codec.name === '' ||
    typeof codec.encode !== 'function' ||
    typeof codec.decode !== 'function'
  ) {
    throw new ConfigurationError(
      'codec',
      `expected a codec ({ name, encode(value), decode(bytes) }, e.g. msgpackCodec or jsonCodec), got ${kind(value)}`,
    );
  }
}

/**
 * Checks the argument of `connect()` by shape and every option by type, before anything is
 * read from the environment or any connection is made. Ranges (port, timeouts, prefix, URL,
 * TLS, logger, slowCallMs) are checked where the configuration is resolved.
 * @param input - What `connect()` was given.
 * @throws {ConfigurationError} naming `config` when it is neither options nor a URL string, or
 *   naming the option (`clusterNodes`, `username`, `password`, `host`, `url`, `prefix`,
 *   `codec`, `onCorrupt`) whose value has the wrong type.
 */
export function checkConnectInput(input: unknown): void {
  if (input === undefined || typeof input === 'string') return;
  if (!plainObject(input)) {
    throw new ConfigurationError(
      'config',
      `expected connect options or a redis:// URL, got ${kind(input)}`,
    );
  }
  for (const name of ['username', 'password', 'url']) checkString(input, name, false);
  for (const name of ['host', 'prefix']) checkString(input, name, true);
  checkClusterNodes(input.clusterNodes);
  checkCodec(input.codec);
  const { onCorrupt } = input;
  if (onCorrupt !== undefined && typeof onCorrupt !== 'function') {
    throw new ConfigurationError('onCorrupt', `expected a function, got ${kind(onCorrupt)}`);
  }
}

/**
 * Checks the arguments of `loadConfig()` by shape.
 * @param env - The variables, or `undefined` for `process.env`.
 * @param options - The options object.
 * @throws {ConfigurationError} naming `env`, `options` or `envFile`.
 */
export function checkLoadConfigArgs(env: unknown, options: unknown): void {
  if (env !== undefined && !plainObject(env)) {
    throw new ConfigurationError('env', `expected an object of variables, got ${kind(env)}`);
  }
  if (!plainObject(options)) {
    throw new ConfigurationError('options', `expected an options object, got ${kind(options)}`);
  }
  const { envFile } = options;
  if (envFile !== undefined && typeof envFile !== 'string') {
    throw new ConfigurationError('envFile', `expected a file path, got ${kind(envFile)}`);
  }
}
