import { ValidationError } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Tick } from './schema.js';
import { listKeys, makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

/** Each rule of the Tick schema: a bad input and the field its error must name. */
const BAD_TICKS: [label: string, input: unknown, field: string, message?: RegExp][] = [
  ['missing symbol', { ...makeTick(), symbol: undefined }, 'symbol'],
  ['empty symbol', makeTick({ symbol: '' }), 'symbol'],
  ['overlong symbol', makeTick({ symbol: 'x'.repeat(257) }), 'symbol'],
  ['numeric exchange', { ...makeTick(), exchange: 7 }, 'exchange'],
  ['empty exchange', makeTick({ exchange: '' }), 'exchange'],
  ['missing price', { ...makeTick(), price: undefined }, 'price'],
  ['negative price', makeTick({ price: -0.01 }), 'price'],
  ['NaN price', makeTick({ price: Number.NaN }), 'price'],
  ['infinite price', makeTick({ price: Number.POSITIVE_INFINITY }), 'price'],
  ['string price', { ...makeTick(), price: '64000' }, 'price'],
  ['missing time', { ...makeTick(), time: undefined }, 'time'],
  ['time in seconds', makeTick({ time: 1_717_171_717 }), 'time', /seconds/],
  ['Date time', { ...makeTick(), time: new Date() }, 'time'],
  ['negative volume', makeTick({ volume: -1 }), 'volume'],
  ['negative bid', makeTick({ bid: -1 }), 'bid'],
  ['negative ask', makeTick({ ask: -1 }), 'ask'],
  ['negative last', makeTick({ last: -1 }), 'last'],
  ['infinite change', makeTick({ change: Number.NEGATIVE_INFINITY }), 'change'],
  ['NaN percentage', makeTick({ percentage: Number.NaN }), 'percentage'],
  ['null bid', { ...makeTick(), bid: null }, 'bid'],
  ['bid above ask', makeTick({ bid: 101, ask: 100 }), 'bid', /ask/],
  ['not an object', 'BTC/USDT', 'tick'],
  ['null', null, 'tick'],
];

describe('Tick schema', () => {
  const conn = useTestConnection();

  it('accepts a full tick, bid equal to ask, zero prices and negative change', () => {
    expect(v.parse(Tick, makeTick({ bid: 5, ask: 5, change: -3, percentage: -1.5 }))).toMatchObject(
      { bid: 5, ask: 5 },
    );
    expect(v.parse(Tick, makeTick({ price: 0, volume: 0, bid: 0 }))).toMatchObject({ price: 0 });
    expect(v.parse(Tick, makeTick({ bid: 100 }))).toMatchObject({ bid: 100 });
  });

  it('drops unknown properties', () => {
    expect(v.parse(Tick, { ...makeTick(), spread: 3 })).not.toHaveProperty('spread');
  });

  it.each(BAD_TICKS)(
    'rejects %s, naming the field, and writes nothing',
    async (_label, input, field, message) => {
      const ticks = new TickCache(conn());
      const error = await ticks.setTicker(input as Tick).catch((e: unknown) => e);
      expect(ValidationError.is(error)).toBe(true);
      expect(error).toMatchObject({ field });
      expect(String((error as Error).message)).toContain(field);
      if (message !== undefined) expect((error as Error).message).toMatch(message);
      expect(await listKeys(conn())).toEqual([]);

      const batch = await ticks
        .setTickers([makeTick({ symbol: 'FINE/USDT' }), input as Tick])
        .catch((e: unknown) => e);
      expect(batch).toMatchObject({ code: 'VALIDATION' });
      expect((batch as ValidationError).field.startsWith('ticks[1]')).toBe(true);
      expect(await listKeys(conn())).toEqual([]);
    },
  );

  it('the keyspace check sees a write (it can fail)', async () => {
    await new TickCache(conn()).setTicker(makeTick({ symbol: 'SEEN/USDT', exchange: 'seen' }));
    expect(await listKeys(conn())).toHaveLength(3);
    await conn().clear();
  });
});
