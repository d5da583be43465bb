import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../errors.js';
import { type RedisServerHandle, rejection, startRedisServer } from '../testing/index.js';
import { connect } from './connect.js';

const PASSWORD = 's3cret';

// A refused handshake is a ConnectionError from connect() that says what to change, never a
// connection that "works" until the first command fails with NOAUTH.
describe('connect() against a server that refuses the credentials', () => {
  let guarded: RedisServerHandle;
  let open: RedisServerHandle;

  beforeAll(async () => {
    [guarded, open] = await Promise.all([
      startRedisServer({ args: ['--requirepass', PASSWORD] }),
      startRedisServer(),
    ]);
    await using admin = await connect({ url: guarded.url, password: PASSWORD });
    await admin.send(undefined, ['ACL', 'SETUSER', 'noping', 'on', '>pw', '~*', '+get']);
  });

  afterAll(async () => {
    await Promise.all([guarded?.stop(), open?.stop()]);
  });

  /** The error connect() throws for these options. */
  async function refusal(server: RedisServerHandle, options: object): Promise<ConnectionError> {
    const error = await rejection(connect({ url: server.url, connectTimeoutMs: 2000, ...options }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).outcome).toBe('not-sent');
    expect((error as ConnectionError).message).toContain(new URL(server.url).port);
    return error as ConnectionError;
  }

  it('says the server needs a password when none was given', async () => {
    const error = await refusal(guarded, {});
    expect(error.message).toContain('the server needs a password');
    expect(error.message).toContain('NOAUTH');
  });

  it('says the credentials were refused for a wrong password or an unknown user', async () => {
    for (const options of [{ password: 'wrong' }, { username: 'nobody', password: PASSWORD }]) {
      const error = await refusal(guarded, options);
      expect(error.message).toContain('the server refused the credentials');
      expect(error.message).toContain('WRONGPASS');
    }
  });

  it('says the server has no password when one was given to a server without', async () => {
    const error = await refusal(open, { password: PASSWORD });
    expect(error.message).toContain('the server has none set for the default user');
  });

  it('says which permission an ACL user lacks to open the connection', async () => {
    const error = await refusal(guarded, { username: 'noping', password: 'pw' });
    expect(error.message).toContain('may not run PING');
  });

  it('connects with the right password, given beside a URL that carries none', async () => {
    await using conn = await connect({ url: guarded.url, password: PASSWORD });
    await expect(conn.send(undefined, ['PING'])).resolves.toBe('PONG');
  });
});
