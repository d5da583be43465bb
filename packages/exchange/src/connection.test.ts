import { ConnectionError, connect } from '@fullon/core';
import { redisTarget, startRedisServer, testConnection, uniquePrefix } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { ExchangeCache } from './exchange-cache.js';
import { SymbolCache } from './symbol-cache.js';

const isConnectionError = (e: unknown) => ConnectionError.is(e);

describe('connection handling', () => {
  it('open() owns its connection and closes it on dispose', async () => {
    const target = redisTarget();
    const config =
      target.mode === 'cluster'
        ? { clusterNodes: target.nodes, prefix: 'exchange-open' }
        : { url: target.url, prefix: 'exchange-open' };
    let symbols: SymbolCache | undefined;
    let exchanges: ExchangeCache | undefined;
    {
      await using s = await SymbolCache.open(config);
      await using e = await ExchangeCache.open(config);
      symbols = s;
      exchanges = e;
      await s.setSymbols('open', [{ symbol: 'A/B', base: 'A', quote: 'B' }]);
      expect(await s.symbolExists('A/B', 'open')).toBe(true);
      expect(await s.invalidate('open')).toBe(true);
      expect(await e.getExchange(1)).toBeNull();
    }
    await expect(symbols.getSymbols('open')).rejects.toSatisfy(isConnectionError);
    await expect(exchanges.getExchange(1)).rejects.toSatisfy(isConnectionError);
  });

  it('leaves a connection it was given open', async () => {
    const conn = await testConnection();
    try {
      const cache = new SymbolCache(conn);
      await cache.close();
      expect(await cache.getSymbols('still-open')).toEqual([]);
    } finally {
      await conn.close();
    }
  });

  it('throws ConnectionError, not a default, when Redis is unreachable', async () => {
    const server = await startRedisServer();
    // A server this test owns, whichever project (standalone or cluster) runs the file.
    const conn = await connect({ url: server.url, socketTimeoutMs: 500, prefix: uniquePrefix() });
    try {
      const symbols = new SymbolCache(conn);
      const exchanges = new ExchangeCache(conn);
      await symbols.setSymbols('down', [{ symbol: 'A/B', base: 'A', quote: 'B' }]);
      await server.killServer();
      await expect(symbols.getSymbols('down')).rejects.toSatisfy(isConnectionError);
      await expect(symbols.getSymbol('A/B', 'down')).rejects.toSatisfy(isConnectionError);
      await expect(exchanges.getExchanges(1)).rejects.toSatisfy(isConnectionError);
      await expect(exchanges.pushWsError(1, 'x')).rejects.toSatisfy(isConnectionError);
      await expect(exchanges.popWsError(1, { timeoutMs: 100 })).rejects.toSatisfy(
        isConnectionError,
      );
    } finally {
      await conn.close();
      await server.stop();
    }
  });
});
