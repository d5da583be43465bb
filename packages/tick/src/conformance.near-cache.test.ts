import { describeConformance } from '@fullon/core/testing';
import { expect } from 'vitest';
import { tickConformance } from './conformance.test-helpers.js';
import { TickCache } from './tick-cache.js';

// The same table with the near cache on: getTicker and getPrice then read through process
// memory (src/near-cache.ts), a path of its own that must keep every rule too.
describeConformance({
  ...tickConformance,
  name: 'tick (near cache)',
  create: (conn) => new TickCache(conn, { nearCache: true }),
  prototypeNames: {
    ...tickConformance.prototypeNames,
    async 'read twice from the near cache'(cache, name) {
      expect(await cache.nearCache?.ready()).toBe(true);
      const before = cache.nearCache?.stats().hits ?? 0;
      await cache.setTicker({ symbol: name, exchange: 'near', price: 2, time: 1_700_000_000_000 });
      expect(await cache.getPrice(name, 'near')).toBe(2);
      expect(await cache.getPrice(name, 'near')).toBe(2);
      // The second read was served from memory: this suite exercises the near-cache path.
      expect(cache.nearCache?.stats().hits).toBe(before + 1);
    },
  },
});
