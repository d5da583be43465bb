import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from '../errors.js';

/** PEM text: a string, or a `Buffer` holding one. */
export type Pem = string | Buffer;

/**
 * TLS settings of a connection (`tls` in `connect()` options and {@link CacheConfig}). Giving
 * the object turns TLS on; every field is optional. See docs/operations.md for a set-up recipe.
 */
export interface TlsOptions {
  /** CA certificate(s) to trust, PEM (concatenate several for a bundle). Defaults to Node's CA store. */
  ca?: Pem;
  /** Client certificate for mutual TLS, PEM; needs `key`. */
  cert?: Pem;
  /** Private key of `cert`, PEM (unencrypted). */
  key?: Pem;
  /** Name the server certificate must carry, and the SNI sent. Defaults to the host connected to. */
  servername?: string;
  /** Refuse a server whose certificate does not verify. Defaults to `true`; `false` is insecure. */
  rejectUnauthorized?: boolean;
}

/** The TLS variables {@link loadConfig} reads, beside `REDIS_TLS`. */
export const TLS_VARIABLES = [
  'REDIS_TLS_CA_FILE',
  'REDIS_TLS_CERT_FILE',
  'REDIS_TLS_KEY_FILE',
  'REDIS_TLS_SERVERNAME',
  'REDIS_TLS_REJECT_UNAUTHORIZED',
] as const;

type Env = Record<string, string | undefined>;

const PEM_FIELDS = { ca: 'CERTIFICATE', cert: 'CERTIFICATE', key: 'PRIVATE KEY' } as const;
type PemField = keyof typeof PEM_FIELDS;
const FILE_VARIABLES: Record<PemField, string> = {
  ca: 'REDIS_TLS_CA_FILE',
  cert: 'REDIS_TLS_CERT_FILE',
  key: 'REDIS_TLS_KEY_FILE',
};
const TLS_VARIABLE_OF: Record<keyof TlsOptions, string> = {
  ...FILE_VARIABLES,
  servername: 'REDIS_TLS_SERVERNAME',
  rejectUnauthorized: 'REDIS_TLS_REJECT_UNAUTHORIZED',
};

const TLS_KEYS = new Set(['ca', 'cert', 'key', 'servername', 'rejectUnauthorized']);

function readPemFile(env: Env, field: PemField): Buffer | undefined {
  const variable = FILE_VARIABLES[field];
  const path = env[variable]?.trim();
  if (path === undefined || path === '') return undefined;
  let pem: Buffer;
  try {
    pem = readFileSync(resolve(path));
  } catch (cause) {
    throw new ConfigurationError(variable, `cannot read ${resolve(path)}`, { cause });
  }
  checkPem(pem, field, variable);
  return pem;
}

function checkPem(value: Pem, field: PemField, name: string): void {
  const text = typeof value === 'string' ? value : value.toString('latin1');
  if (/-----BEGIN [A-Z ]*?[A-Z]+-----/.test(text) && text.includes(PEM_FIELDS[field])) return;
  const hint =
    typeof value === 'string' && !text.includes('\n') && text.length < 4096
      ? ` — "${text}" looks like a file name: pass the file's contents, or set ${FILE_VARIABLES[field]}`
      : '';
  throw new ConfigurationError(
    name,
    `expected PEM text (-----BEGIN …${PEM_FIELDS[field]}-----)${hint}`,
  );
}

/**
 * Reads the TLS part of the environment: `REDIS_TLS` and the `REDIS_TLS_*` variables (files are
 * read now, so a missing one fails at start-up, not at the first connect).
 * @param env - The variables.
 * @param flag - `REDIS_TLS` already parsed, or `undefined` when it is not set.
 * @returns `false`, `true`, or the settings (any `REDIS_TLS_*` variable turns TLS on).
 * @throws {ConfigurationError} naming the variable: an unreadable or non-PEM file, a malformed
 *   boolean, a certificate without its key, or `REDIS_TLS=false` beside TLS settings.
 */
export function readTlsEnv(env: Env, flag: boolean | undefined): boolean | TlsOptions {
  const settings: TlsOptions = {};
  for (const field of ['ca', 'cert', 'key'] as const) {
    const pem = readPemFile(env, field);
    if (pem !== undefined) settings[field] = pem;
  }
  const servername = env.REDIS_TLS_SERVERNAME?.trim();
  if (servername) settings.servername = servername;
  const reject = env.REDIS_TLS_REJECT_UNAUTHORIZED?.trim().toLowerCase();
  if (reject) {
    if (['1', 'true', 'yes', 'on'].includes(reject)) settings.rejectUnauthorized = true;
    else if (['0', 'false', 'no', 'off'].includes(reject)) settings.rejectUnauthorized = false;
    else
      throw new ConfigurationError(
        'REDIS_TLS_REJECT_UNAUTHORIZED',
        `expected true or false, got "${reject}"`,
      );
  }
  const named = Object.keys(settings).map((k) => TLS_VARIABLE_OF[k as keyof TlsOptions]);
  if (named.length === 0) return flag ?? false;
  if (flag === false) {
    throw new ConfigurationError('REDIS_TLS', `is false, but ${named.join(', ')} asks for TLS`);
  }
  checkPair(settings, 'REDIS_TLS_CERT_FILE', 'REDIS_TLS_KEY_FILE');
  return settings;
}

function checkPair(settings: TlsOptions, certName: string, keyName: string): void {
  if (settings.cert !== undefined && settings.key === undefined)
    throw new ConfigurationError(keyName, `is required with ${certName} (mutual TLS)`);
  if (settings.key !== undefined && settings.cert === undefined)
    throw new ConfigurationError(certName, `is required with ${keyName} (mutual TLS)`);
}

/**
 * Checks a `tls` option given to `connect()`: `true`, `false` or a {@link TlsOptions} object
 * with known keys of the right types. Without this, an object from plain JavaScript reached
 * node-redis, which only turns TLS on for `tls: true`, and the connection was plaintext.
 * @param value - The option.
 * @throws {ConfigurationError} naming `tls` or `tls.<field>`.
 */
export function checkTlsOption(value: unknown): void {
  if (typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value))
    throw new ConfigurationError(
      'tls',
      `expected true, false or a TLS options object, got ${describe(value)}`,
    );
  const options = value as Record<string, unknown>;
  const unknown = Object.keys(options).filter((k) => !TLS_KEYS.has(k));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      'tls',
      `unknown option ${unknown.map((k) => `"${k}"`).join(', ')}; expected ca, cert, key, servername, rejectUnauthorized`,
    );
  }
  for (const field of ['ca', 'cert', 'key'] as const) {
    const pem = options[field];
    if (pem === undefined) continue;
    if (typeof pem !== 'string' && !Buffer.isBuffer(pem))
      throw new ConfigurationError(
        `tls.${field}`,
        `expected PEM text as a string or Buffer, got ${describe(pem)}`,
      );
    checkPem(pem, field, `tls.${field}`);
  }
  const { servername, rejectUnauthorized } = options;
  if (servername !== undefined && (typeof servername !== 'string' || servername.trim() === ''))
    throw new ConfigurationError(
      'tls.servername',
      `expected a host name, got ${describe(servername)}`,
    );
  if (rejectUnauthorized !== undefined && typeof rejectUnauthorized !== 'boolean')
    throw new ConfigurationError(
      'tls.rejectUnauthorized',
      `expected a boolean, got ${describe(rejectUnauthorized)}`,
    );
  checkPair(options as TlsOptions, 'tls.cert', 'tls.key');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  return typeof value === 'string'
    ? `"${value}"`
    : typeof value === 'object'
      ? 'an object'
      : `${typeof value} ${String(value)}`;
}

/**
 * Whether a configuration connects with TLS: a `rediss://` URL, or `tls` set (`true` or an
 * object). Either one is enough, so a connection never falls back to plaintext silently.
 * @param config - `url` and `tls` of the configuration.
 * @returns `true` for TLS.
 */
export function usesTls(config: { url?: string; tls: boolean | TlsOptions }): boolean {
  return config.tls !== false || /^rediss:/i.test(config.url ?? '');
}

/**
 * The node-redis socket options of a configuration's TLS settings.
 * @param config - `url` and `tls` of the configuration.
 * @returns `{ tls: true, …settings }`, or `{ tls: false }` for plaintext.
 */
export function tlsSocketOptions(config: {
  url?: string;
  tls: boolean | TlsOptions;
}): { tls: false } | ({ tls: true } & TlsOptions) {
  if (!usesTls(config)) return { tls: false };
  const settings: TlsOptions = {};
  if (typeof config.tls === 'object') {
    for (const [name, value] of Object.entries(config.tls)) {
      if (value !== undefined) (settings as Record<string, unknown>)[name] = value;
    }
  }
  return { tls: true, ...settings };
}
