import type { CacheConnection } from '@fullon/core';
import { testConnection, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import type { Trade } from './schema.js';
import { makeTrade } from './test-helpers.js';
import { TradesCache } from './trades-cache.js';

const PRODUCERS = 5;
const PER_PRODUCER = 2_000;
const IN_FLIGHT = 20;

describe('getTrades while producers push', () => {
  const conn = useTestConnection();

  it('loses and duplicates nothing: 5 producers push 10 000 trades while 2 consumers drain', async () => {
    const links: CacheConnection[] = [];
    try {
      for (let i = 0; i < PRODUCERS + 2; i++) {
        links.push(await testConnection({ prefix: conn().config.prefix }));
      }
      const producerLinks = links.slice(0, PRODUCERS);
      const consumerLinks = links.slice(PRODUCERS);
      let producing = true;

      const produce = async (link: CacheConnection, p: number) => {
        const trades = new TradesCache(link);
        for (let start = 0; start < PER_PRODUCER; start += IN_FLIGHT) {
          await Promise.all(
            Array.from({ length: IN_FLIGHT }, (_, k) =>
              trades.pushTrade(
                'race',
                // Both spellings of the market, which name one list.
                makeTrade({ tradeId: `${p}-${start + k}`, symbol: k % 2 ? 'BTC/USDT' : 'BTCUSDT' }),
              ),
            ),
          );
        }
      };
      const consume = async (link: CacheConnection) => {
        const trades = new TradesCache(link);
        const batches: Trade[][] = [];
        while (producing) {
          const batch = await trades.getTrades('BTC/USDT', 'race');
          if (batch.length > 0) batches.push(batch);
        }
        return batches;
      };

      const consumers = consumerLinks.map(consume);
      await Promise.all(producerLinks.map(produce));
      producing = false;
      const batches = (await Promise.all(consumers)).flat();
      const remaining = await new TradesCache(conn()).peekTrades('BTCUSDT', 'race');

      const drained = batches.flat();
      expect(batches.length).toBeGreaterThan(1);
      expect(drained.length + remaining.length).toBe(PRODUCERS * PER_PRODUCER);
      const seen = [...drained, ...remaining].map((t) => String(t.tradeId));
      expect(new Set(seen).size).toBe(PRODUCERS * PER_PRODUCER);

      // FIFO: within every batch, and in the remainder, each producer's trades keep their order.
      for (const batch of [...batches, remaining]) {
        const last = new Map<string, number>();
        for (const trade of batch) {
          const [producer, n] = String(trade.tradeId).split('-');
          const previous = last.get(producer ?? '') ?? -1;
          expect(Number(n)).toBeGreaterThan(previous);
          last.set(producer ?? '', Number(n));
        }
      }
    } finally {
      await Promise.all(links.map((link) => link.close()));
    }
  }, 60_000);
});
