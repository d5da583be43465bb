import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors.js';
import { CONFIG_VARIABLES, type ConnectOptions, loadConfig, resolveConfig } from './config.js';
import { tlsSocketOptions } from './config-tls.js';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGHfake\n-----END PRIVATE KEY-----\n';

const dir = mkdtempSync(join(tmpdir(), 'fullon-tls-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `fn`, expects a ConfigurationError, and returns it. */
function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(ConfigurationError.is(error)).toBe(true);
    return error as ConfigurationError;
  }
  throw new ConfigurationError('test', 'expected a ConfigurationError, nothing was thrown');
}

/** What plain JavaScript may pass: no type checks stop it. */
function fromJs(tls: unknown): ConnectOptions {
  return { host: '127.0.0.1', tls } as unknown as ConnectOptions;
}

describe('the tls option of connect()', () => {
  // Before the check, every one of these reached node-redis, which only turns TLS on for
  // `tls: true`: the connection was opened in plaintext without a word.
  const refused: [string, unknown, string, RegExp][] = [
    ['a CA of the wrong type', { ca: 123 }, 'tls.ca', /string or Buffer, got number 123/],
    ['a misspelled key', { cA: CERT }, 'tls', /unknown option "cA"/],
    ['a file name instead of PEM', { ca: '/etc/ssl/ca.pem' }, 'tls.ca', /looks like a file name/],
    ['a string flag', 'yes', 'tls', /expected true, false or a TLS options object/],
    ['an array', [CERT], 'tls', /got an array/],
    ['a certificate without its key', { cert: CERT }, 'tls.key', /required with tls.cert/],
    ['a key without its certificate', { key: KEY }, 'tls.cert', /required with tls.key/],
    ['a key that is a certificate', { cert: CERT, key: CERT }, 'tls.key', /PRIVATE KEY/],
    [
      'a string rejectUnauthorized',
      { rejectUnauthorized: 'false' },
      'tls.rejectUnauthorized',
      /boolean/,
    ],
    ['an empty servername', { servername: ' ' }, 'tls.servername', /host name/],
  ];
  it.each(refused)('refuses %s, naming the option', (_, tls, variable, message) => {
    const error = configurationError(() => resolveConfig(fromJs(tls)));
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
  });

  const accepted: [string, unknown][] = [
    ['true', true],
    ['false', false],
    ['an empty object (TLS with defaults)', {}],
    ['a CA as a string', { ca: CERT }],
    ['a CA as a Buffer', { ca: Buffer.from(CERT) }],
    [
      'every field',
      { ca: CERT, cert: CERT, key: KEY, servername: 'cache.internal', rejectUnauthorized: true },
    ],
  ];
  it.each(accepted)('accepts %s', (_, tls) => {
    expect(resolveConfig(fromJs(tls)).tls).toStrictEqual(tls);
  });
});

describe('TLS variables of loadConfig', () => {
  it('are listed in CONFIG_VARIABLES after REDIS_TLS', () => {
    const at = CONFIG_VARIABLES.indexOf('REDIS_TLS');
    expect(CONFIG_VARIABLES.slice(at, at + 6)).toEqual([
      'REDIS_TLS',
      'REDIS_TLS_CA_FILE',
      'REDIS_TLS_CERT_FILE',
      'REDIS_TLS_KEY_FILE',
      'REDIS_TLS_SERVERNAME',
      'REDIS_TLS_REJECT_UNAUTHORIZED',
    ]);
  });

  it('reads the files at load time and turns TLS on', () => {
    const config = loadConfig({
      REDIS_TLS_CA_FILE: file('ca.pem', CERT),
      REDIS_TLS_CERT_FILE: file('client.pem', CERT),
      REDIS_TLS_KEY_FILE: file('client.key', KEY),
      REDIS_TLS_SERVERNAME: 'cache.internal',
      REDIS_TLS_REJECT_UNAUTHORIZED: 'yes',
    });
    expect(config.tls).toStrictEqual({
      ca: Buffer.from(CERT),
      cert: Buffer.from(CERT),
      key: Buffer.from(KEY),
      servername: 'cache.internal',
      rejectUnauthorized: true,
    });
  });

  it('keeps REDIS_TLS a plain switch when no TLS setting is given', () => {
    expect(loadConfig({ REDIS_TLS: 'on' }).tls).toBe(true);
    expect(loadConfig({ REDIS_TLS_REJECT_UNAUTHORIZED: 'false' }).tls).toStrictEqual({
      rejectUnauthorized: false,
    });
  });

  const refused: [string, Record<string, string>, string, RegExp][] = [
    [
      'a missing file',
      { REDIS_TLS_CA_FILE: join(dir, 'nope.pem') },
      'REDIS_TLS_CA_FILE',
      /cannot read .*nope\.pem/,
    ],
    [
      'a file that is not PEM',
      { REDIS_TLS_CA_FILE: file('junk.txt', 'hello') },
      'REDIS_TLS_CA_FILE',
      /PEM/,
    ],
    [
      'a certificate without a key',
      { REDIS_TLS_CERT_FILE: file('c.pem', CERT) },
      'REDIS_TLS_KEY_FILE',
      /required/,
    ],
    [
      'a key without a certificate',
      { REDIS_TLS_KEY_FILE: file('k.pem', KEY) },
      'REDIS_TLS_CERT_FILE',
      /required/,
    ],
    [
      'REDIS_TLS=false beside a CA',
      { REDIS_TLS: 'false', REDIS_TLS_CA_FILE: file('ca2.pem', CERT) },
      'REDIS_TLS',
      /REDIS_TLS_CA_FILE/,
    ],
    [
      'a malformed boolean',
      { REDIS_TLS_REJECT_UNAUTHORIZED: 'maybe' },
      'REDIS_TLS_REJECT_UNAUTHORIZED',
      /true or false/,
    ],
  ];
  it.each(refused)('refuses %s, naming the variable', (_, env, variable, message) => {
    const error = configurationError(() => loadConfig(env));
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
  });
});

describe('TLS socket options', () => {
  it('a rediss:// URL means TLS, with the settings of the tls object', () => {
    expect(tlsSocketOptions({ url: 'rediss://h:6380', tls: false })).toStrictEqual({ tls: true });
    expect(tlsSocketOptions({ url: 'REDISS://h:6380', tls: { ca: CERT } })).toStrictEqual({
      tls: true,
      ca: CERT,
    });
  });

  it('tls set never falls back to plaintext, whatever the URL', () => {
    expect(tlsSocketOptions({ url: 'redis://h', tls: true })).toStrictEqual({ tls: true });
    expect(tlsSocketOptions({ tls: { servername: 'x' } })).toStrictEqual({
      tls: true,
      servername: 'x',
    });
    expect(tlsSocketOptions({ tls: false })).toStrictEqual({ tls: false });
  });
});
