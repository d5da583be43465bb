import { beforeAll, describe, expect, it } from 'vitest';
import type { ConnectOptions } from '../config/config.js';
import { loadConfig } from '../config/config.js';
import { msgpackCodec } from '../encoding/codec.js';
import { ConfigurationError } from '../errors.js';
import { findFreePort } from '../server/redis-server.js';
import { connect } from './connect.js';

/** A port nobody listens on: a check that is missing shows as a ConnectionError, quickly. */
let closedPort = 0;
beforeAll(async () => {
  closedPort = await findFreePort();
});

/** Calls connect() (never expecting a synchronous throw) and returns its rejection. */
async function connectError(input: unknown): Promise<unknown> {
  let pending: Promise<unknown>;
  try {
    pending = connect(input as ConnectOptions);
  } catch (error) {
    return { thrownSynchronously: error };
  }
  return pending.then(
    async (conn) => {
      await (conn as { close(): Promise<void> }).close();
      return 'connected';
    },
    (error: unknown) => error,
  );
}

function expectConfigurationError(error: unknown, variable: string): void {
  expect(ConfigurationError.is(error), String(error)).toBe(true);
  expect((error as ConfigurationError).variable).toBe(variable);
}

describe('connect() and loadConfig() with a null or wrong-type argument (issue R3 defect 6)', () => {
  it.each([
    ['null', null],
    ['a number', 5],
    ['an array', []],
    ['a boolean', true],
  ])('connect(%s) rejects ConfigurationError naming config', async (_label, input) => {
    expectConfigurationError(await connectError(input), 'config');
  });

  it('loadConfig({}, null) throws ConfigurationError naming options', () => {
    expect(() => loadConfig({}, null as never)).toThrow(ConfigurationError);
    try {
      loadConfig({}, null as never);
    } catch (error) {
      expectConfigurationError(error, 'options');
    }
  });

  it.each([
    ['env', () => loadConfig(null as never), 'env'],
    ['env as a number', () => loadConfig(5 as never), 'env'],
    ['options as a string', () => loadConfig({}, 'x' as never), 'options'],
    ['envFile as a number', () => loadConfig({}, { envFile: 5 as never }), 'envFile'],
  ])('loadConfig with %s throws ConfigurationError naming it', (_label, call, variable) => {
    let caught: unknown;
    try {
      call();
    } catch (error) {
      caught = error;
    }
    expectConfigurationError(caught, variable);
  });
});

describe('connect() checks every option before connecting (issue R3 defect 8)', () => {
  const cases: [string, string, unknown][] = [
    ['clusterNodes', 'a string', '127.0.0.1:7000'],
    ['clusterNodes', 'an object', { host: '127.0.0.1', port: 7000 }],
    ['clusterNodes', 'an empty array', []],
    ['clusterNodes', 'a null node', [null]],
    ['clusterNodes', 'a node without a port', [{ host: '127.0.0.1' }]],
    ['clusterNodes', 'a node with port 0', [{ host: '127.0.0.1', port: 0 }]],
    ['clusterNodes', 'a node with an empty host', [{ host: '', port: 7000 }]],
    ['username', 'a number', 5],
    ['username', 'null', null],
    ['password', 'a number', 5],
    ['password', 'an object', {}],
    ['host', 'a number', 5],
    ['host', 'an empty string', ''],
    ['url', 'a number', 5],
    ['prefix', 'a number', 5],
    ['onCorrupt', 'a string', 'warn'],
    ['onCorrupt', 'an object', {}],
    ['onCorrupt', 'null', null],
    ['codec', 'an empty object', {}],
    ['codec', 'a number', 5],
    ['codec', 'a name', 'json'],
    ['codec', 'null', null],
    ['codec', 'a codec without decode', { name: 'x', encode: msgpackCodec.encode }],
    ['logger', 'a number', 5],
    ['logger', 'null', null],
    ['slowCallMs', 'a string', '500'],
    ['port', 'a string', '6379'],
    ['db', 'a string', '0'],
    ['tls', 'a string', 'yes'],
    ['maxConnections', 'null', null],
    ['socketTimeoutMs', 'NaN', Number.NaN],
    ['connectTimeoutMs', 'Infinity', Number.POSITIVE_INFINITY],
  ];

  it.each(cases)('%s as %s rejects ConfigurationError naming it', async (option, _label, value) => {
    // host and port point at nothing, so only a check that runs first can name the option.
    const base = { host: '127.0.0.1', port: closedPort, connectTimeoutMs: 500, prefix: 'opts' };
    const error = await connectError({ ...base, [option]: value });
    expectConfigurationError(error, option);
  });

  it('accepts a codec object with a name, encode and decode', async () => {
    const error = await connectError({
      host: '127.0.0.1',
      port: closedPort,
      connectTimeoutMs: 500,
      codec: msgpackCodec,
      onCorrupt: () => undefined,
    });
    // Past the checks: the connection itself fails (nothing listens).
    expect(ConfigurationError.is(error)).toBe(false);
  });
});
