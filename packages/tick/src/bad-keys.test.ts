import type { DecodeError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import { makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

// One bad key or member never breaks a listing: it is skipped and reported through onCorrupt.
describe('TickCache listings over keys another writer broke', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const keys = () => new TickKeys(conn().keys);

  beforeEach(async () => {
    corrupt.length = 0;
    await conn().clear();
  });

  it('skips a listed ticker key of another Redis type', async () => {
    const ticks = new TickCache(conn());
    await ticks.setTicker(makeTick({ symbol: 'GOOD/USDT', exchange: 'typed' }));
    await ticks.setTicker(makeTick({ symbol: 'BAD/USDT', exchange: 'typed' }));
    const bad = keys().ticker('typed', 'BAD/USDT');
    await conn().send(bad, ['DEL', bad]);
    await conn().send(bad, ['SET', bad, 'not a hash']);
    expect((await ticks.getTickers('typed')).map((t) => t.symbol)).toEqual(['GOOD/USDT']);
    expect((await ticks.getAllTickers()).map((t) => t.symbol)).toEqual(['GOOD/USDT']);
    expect(await ticks.getAnyTicker('BAD/USDT')).toBeNull();
    expect(corrupt.map((e) => e.key)).toContain(bad);
  });

  it('skips an exchange whose index is of another Redis type', async () => {
    const ticks = new TickCache(conn());
    await ticks.setTicker(makeTick({ symbol: 'GOOD/USDT', exchange: 'fine' }));
    await ticks.setTicker(makeTick({ symbol: 'X/USDT', exchange: 'broken' }));
    const index = keys().index('broken');
    await conn().send(index, ['DEL', index]);
    await conn().send(index, ['SET', index, 'not a zset']);
    expect((await ticks.getAllTickers()).map((t) => t.exchange)).toEqual(['fine']);
    expect(await ticks.getTickers('broken')).toEqual([]);
    expect(corrupt.map((e) => e.key)).toContain(index);
  });

  it('skips an empty or over-long member of the exchange registry', async () => {
    const ticks = new TickCache(conn());
    await ticks.setTicker(makeTick({ symbol: 'GOOD/USDT', exchange: 'listed' }));
    const registry = keys().registry;
    const deadline = String(Date.now() + 60_000);
    await conn().send(registry, ['ZADD', registry, deadline, '', deadline, 'x'.repeat(300)]);
    expect((await ticks.getAllTickers()).map((t) => t.exchange)).toEqual(['listed']);
    expect(corrupt.filter((e) => e.key === registry)).toHaveLength(2);
  });

  it('a registry of another Redis type does not fail a stored write: it is reported', async () => {
    const ticks = new TickCache(conn());
    const registry = keys().registry;
    await conn().send(registry, ['SET', registry, 'not a zset']);
    // New symbols: each write registers its exchange after the script stored the tick.
    expect(await ticks.setTicker(makeTick({ symbol: 'A/USDT', exchange: 'reg' }))).toBe(true);
    expect(await ticks.setTickers([makeTick({ symbol: 'B/USDT', exchange: 'reg2' })])).toEqual([
      true,
    ]);
    expect(await ticks.getPrice('A/USDT', 'reg')).toBe(64_000.5);
    expect(await ticks.getPrice('B/USDT', 'reg2')).toBe(64_000.5);
    expect(corrupt.filter((e) => e.key === registry).length).toBeGreaterThanOrEqual(2);
  });
});
