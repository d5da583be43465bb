import { ConfigurationError, ValidationError } from '@fullon/core';
import { redisTarget, rejection, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { AccountCache } from './account-cache.js';

describe('AccountCache construction', () => {
  const conn = useTestConnection();

  it('refuses something that is not a connection, saying what to pass', () => {
    for (const wrong of [undefined, {}, { sendCommand: () => undefined }]) {
      const error = (() => {
        try {
          new AccountCache(wrong as never);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(ConfigurationError.is(error)).toBe(true);
      expect(String(error)).toContain('AccountCache');
    }
  });

  it('validates ttlMs, naming it', () => {
    for (const ttlMs of [0, -1, 1.5, Number.NaN, 315_576_000_001]) {
      const error = (() => {
        try {
          new AccountCache(conn(), { ttlMs });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(ValidationError.is(error)).toBe(true);
      expect((error as ValidationError).field).toBe('ttlMs');
    }
  });

  it('open() owns its connection; bad options open nothing', async () => {
    const target = redisTarget();
    const config =
      target.mode === 'cluster'
        ? { clusterNodes: target.nodes, prefix: conn().keys.prefix }
        : { url: target.url, prefix: conn().keys.prefix };
    const bad = await rejection(AccountCache.open(config, { ttlMs: 0 }));
    expect(ValidationError.is(bad)).toBe(true);
    {
      await using accounts = await AccountCache.open(config, { ttlMs: 60_000 });
      await accounts.updateUserBalance(1, 'BTC', { total: 1, free: 1, used: 0 });
    }
    const accounts = new AccountCache(conn());
    expect(await accounts.getUserBalance(1, 'BTC')).toEqual({ total: 1, free: 1, used: 0 });
    await accounts.close(); // a borrowed connection stays open
    expect(await accounts.getUserBalance(1, 'BTC')).not.toBeNull();
  });
});
