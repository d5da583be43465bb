import { ConnectionError } from '@fullon/core';
import { rejection, testConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { TradeKeys } from './keys.js';
import { makeTrade } from './test-helpers.js';
import { TradesCache } from './trades-cache.js';

const CALLS = 1000;

describe('close() under load drains every pushTrade whole, push and stamp (issue R3 defect 11)', () => {
  for (const fresh of [true, false]) {
    const server = fresh ? 'a fresh server (SCRIPT FLUSH first)' : 'a warm server';

    it(`${CALLS} pushTrade calls then close(): each resolves, is stored and stamped, on ${server}`, async () => {
      const conn = await testConnection();
      const prefix = conn.keys.prefix;
      const trades = new TradesCache(conn, { maxTrades: CALLS * 2 });
      const exchange = fresh ? 'drainfresh' : 'drainwarm';
      if (fresh) {
        const market = new TradeKeys(conn.keys).market(exchange, 'BTC/USDT');
        const list = market?.pushKeys[0] ?? '';
        await conn.send(list, ['SCRIPT', 'FLUSH']);
      } else {
        await trades.pushTrade(exchange, makeTrade({ tradeId: 0 }));
      }
      const calls = Array.from({ length: CALLS }, (_, i) =>
        trades.pushTrade(exchange, makeTrade({ tradeId: i + 1 })),
      );
      const closing = conn.close();
      const late = rejection(trades.pushTrade(exchange, makeTrade({ tradeId: CALLS + 1 })));
      const results = await Promise.allSettled(calls);
      await closing;

      expect(results.filter((r) => r.status === 'rejected')).toStrictEqual([]);
      const refused = await late;
      expect(ConnectionError.is(refused)).toBe(true);
      expect((refused as { outcome?: unknown }).outcome).toBe('not-sent');

      await using check = await testConnection({ prefix });
      const reader = new TradesCache(check, { maxTrades: CALLS * 2 });
      const stored = await reader.peekTrades('BTC/USDT', exchange);
      expect(stored).toHaveLength(CALLS + (fresh ? 0 : 1));
      expect(await reader.getTradeStatus(exchange)).not.toBeNull();
      await check.clear();
    });
  }
});
