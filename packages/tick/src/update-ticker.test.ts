import { DecodeError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import { listKeys, makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

describe('TickCache.updateTicker', () => {
  const conn = useTestConnection();
  const cache = () => new TickCache(conn());
  const keys = () => new TickKeys(conn().keys);

  it('merges the given fields into the stored tick and keeps the others', async () => {
    const ticks = cache();
    const time = Date.now() - 5_000;
    await ticks.setTicker(
      makeTick({
        symbol: 'M/USDT',
        exchange: 'merge',
        price: 100,
        time,
        bid: 99,
        ask: 101,
        volume: 7,
      }),
    );
    const merged = await ticks.updateTicker('M/USDT', 'merge', {
      price: 100.5,
      last: 100.4,
      change: -0.25,
    });
    const expected = {
      symbol: 'M/USDT',
      exchange: 'merge',
      price: 100.5,
      time,
      bid: 99,
      ask: 101,
      volume: 7,
      last: 100.4,
      change: -0.25,
    };
    expect(merged).toEqual(expected);
    expect(await ticks.getTicker('M/USDT', 'merge')).toEqual(expected);

    const later = time + 1_000;
    expect(
      await ticks.updateTicker('M/USDT', 'merge', { time: later, bid: 100, ask: 100.1 }),
    ).toMatchObject({
      time: later,
      bid: 100,
      ask: 100.1,
      price: 100.5,
    });
    // The stored time moved with it: a tick between the old and the new time is now older.
    expect(
      await ticks.setTicker(makeTick({ symbol: 'M/USDT', exchange: 'merge', time: time + 500 })),
    ).toBe(false);
  });

  it('returns null and creates nothing when no tick is stored', async () => {
    const ticks = cache();
    const before = await listKeys(conn());
    expect(await ticks.updateTicker('MISSING/USDT', 'merge', { price: 1 })).toBeNull();
    expect(await listKeys(conn())).toEqual(before);
  });

  it('rejects a merge that would put the bid above the ask, writing nothing', async () => {
    const ticks = cache();
    const tick = makeTick({ symbol: 'BA/USDT', exchange: 'merge', bid: 10, ask: 11 });
    await ticks.setTicker(tick);
    const error = await ticks
      .updateTicker('BA/USDT', 'merge', { bid: 12 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'bid' });
    await expect(ticks.updateTicker('BA/USDT', 'merge', { ask: 9 })).rejects.toMatchObject({
      field: 'bid',
    });
    expect(await ticks.getTicker('BA/USDT', 'merge')).toEqual(tick);
  });

  it('validates the partial: ranges, types, unknown and naming fields', async () => {
    const ticks = cache();
    const tick = makeTick({ symbol: 'V/USDT', exchange: 'merge' });
    await ticks.setTicker(tick);
    const cases: [object, string][] = [
      [{ price: -1 }, 'price'],
      [{ price: 'x' }, 'price'],
      [{ time: 1_700_000_000 }, 'time'],
      [{ volume: Number.NaN }, 'volume'],
      [{ change: Number.POSITIVE_INFINITY }, 'change'],
      [{ bid: 2, ask: 1 }, 'bid'],
      [{ symbol: 'OTHER/USDT' }, 'symbol'],
      [{ colour: 'red' }, 'colour'],
    ];
    for (const [partial, field] of cases) {
      const error = await ticks
        .updateTicker('V/USDT', 'merge', partial as never)
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(partial)).toMatchObject({ code: 'VALIDATION', field });
      expect(String(error)).toContain(field);
    }
    await expect(ticks.updateTicker('V/USDT', '', { price: 1 })).rejects.toMatchObject({
      field: 'exchange',
    });
    await expect(ticks.updateTicker('', 'merge', { price: 1 })).rejects.toMatchObject({
      field: 'symbol',
    });
    expect(await ticks.getTicker('V/USDT', 'merge')).toEqual(tick);
  });

  it('publishes the merged tick', async () => {
    const ticks = cache();
    await ticks.setTicker(makeTick({ symbol: 'P/USDT', exchange: 'merge', price: 1 }));
    const sub = ticks.subscribe({ exchange: 'merge', symbol: 'P/USDT' });
    await sub.ready;
    await ticks.updateTicker('P/USDT', 'merge', { price: 2 });
    let next = await sub.next();
    // On a cluster, the first write's publication may still be crossing the cluster bus when the
    // subscription is confirmed on another node, and be delivered too.
    if (next.value?.price === 1) next = await sub.next();
    expect(next.value).toMatchObject({ symbol: 'P/USDT', price: 2 });
    await sub.close();
  });

  it('does not lose merges of concurrent updaters', async () => {
    const ticks = cache();
    await ticks.setTicker(makeTick({ symbol: 'C/USDT', exchange: 'merge', price: 1 }));
    const fields = ['volume', 'bid', 'ask', 'last', 'change', 'percentage'] as const;
    await Promise.all(
      fields.map((field, i) => ticks.updateTicker('C/USDT', 'merge', { [field]: 10 + i })),
    );
    expect(await ticks.getTicker('C/USDT', 'merge')).toMatchObject({
      volume: 10,
      bid: 11,
      ask: 12,
      last: 13,
      change: 14,
      percentage: 15,
    });
  });

  it('throws DecodeError on a corrupt stored value and leaves it alone', async () => {
    const ticks = cache();
    const key = keys().ticker('merge', 'BAD/USDT');
    const garbage = Buffer.from([0xc1, 0xff]);
    await conn().send(key, ['HSET', key, 'v', garbage]);
    const error = await ticks
      .updateTicker('BAD/USDT', 'merge', { price: 1 })
      .catch((e: unknown) => e);
    expect(DecodeError.is(error)).toBe(true);
    expect(error).toMatchObject({ key, field: 'v' });
    // A well-formed msgpack value that is not a tick tuple is rejected the same way.
    await conn().send(key, ['HSET', key, 'v', Buffer.from([0x93, 0x01, 0x02, 0x03])]);
    await expect(ticks.updateTicker('BAD/USDT', 'merge', { price: 1 })).rejects.toBeInstanceOf(
      DecodeError,
    );
    expect(await conn().send(key, ['HGET', key, 'v'], { buffers: true })).toEqual(
      Buffer.from([0x93, 0x01, 0x02, 0x03]),
    );
  });
});
