import { ConnectionError } from '@fullon/core';
import { rejection, testConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import { makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

const CALLS = 1000;

describe('close() under load drains every setTicker whole (issue R3 defect 11)', () => {
  for (const fresh of [true, false]) {
    const server = fresh ? 'a fresh server (SCRIPT FLUSH first)' : 'a warm server';

    it(`${CALLS} setTicker calls then close(): each resolves and is stored, on ${server}`, async () => {
      const conn = await testConnection();
      const prefix = conn.keys.prefix;
      const cache = new TickCache(conn);
      const exchange = fresh ? 'drainfresh' : 'drainwarm';
      const symbols = Array.from({ length: CALLS }, (_, i) => `S${i}/USDT`);
      if (fresh) {
        // Every ticker of an exchange shares a slot: this reaches the master its scripts run on.
        const ticker = new TickKeys(conn.keys).ticker(exchange, 'S0/USDT');
        await conn.send(ticker, ['SCRIPT', 'FLUSH']);
      } else {
        await cache.setTicker(makeTick({ symbol: 'WARM/USDT', exchange }));
        symbols.push('WARM/USDT');
      }
      const calls = symbols
        .slice(0, CALLS)
        .map((symbol) => cache.setTicker(makeTick({ symbol, exchange })));
      const closing = conn.close();
      const late = rejection(cache.setTicker(makeTick({ symbol: 'LATE/USDT', exchange })));
      const results = await Promise.allSettled(calls);
      await closing;

      expect(results.filter((r) => r.status === 'rejected')).toStrictEqual([]);
      expect(results.map((r) => r.status === 'fulfilled' && r.value)).toStrictEqual(
        Array.from({ length: CALLS }, () => true),
      );
      const refused = await late;
      expect(ConnectionError.is(refused)).toBe(true);
      expect((refused as { outcome?: unknown }).outcome).toBe('not-sent');

      await using check = await testConnection({ prefix });
      const reader = new TickCache(check);
      const stored = (await reader.getTickers(exchange)).map((t) => t.symbol).sort();
      expect(stored).toStrictEqual([...symbols].sort());
      // The registry touch after the script ran too: listings through the registry find them.
      const listed = await reader.getAllTickers();
      expect(listed.filter((t) => t.exchange === exchange)).toHaveLength(symbols.length);
      await check.clear();
    });
  }
});
