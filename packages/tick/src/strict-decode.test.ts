import { type DecodeError, msgpackCodec, ValidationError } from '@fullon/core';
import { rejection, useTestConnection } from '@fullon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import { TickLayout } from './layouts.js';
import { makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

/** Bytes of a tuple in the tick layout, written without any check (what another writer could store). */
function rawTick(fields: Record<string, unknown>): Buffer {
  return msgpackCodec.encode([
    TickLayout.version,
    ...TickLayout.fields.map((f) => fields[f] ?? null),
  ]);
}

describe('TickCache strict decode of stored ticks', () => {
  const corrupt: DecodeError[] = [];
  const conn = useTestConnection({ onCorrupt: (error) => corrupt.push(error) });
  const keys = () => new TickKeys(conn().keys);
  const base = { symbol: 'BTC/USDT', exchange: 'strict', price: 100, time: Date.now() };

  beforeEach(async () => {
    corrupt.length = 0;
    await conn().clear();
  });

  const cases: [string, Record<string, unknown>][] = [
    ['a NaN price', { ...base, price: Number.NaN }],
    ['bid above ask', { ...base, bid: 10, ask: 5 }],
    ['another market under this key', { ...base, symbol: 'ETH/USDT' }],
    ['a time in seconds', { ...base, time: 1_700_000_000 }],
  ];

  for (const [label, stored] of cases) {
    it(`rejects ${label}: getTicker throws, listings skip and report, updateTicker leaves it`, async () => {
      const ticks = new TickCache(conn());
      // A valid neighbour registers the exchange and proves the listing still works.
      await ticks.setTicker(makeTick({ symbol: 'SOL/USDT', exchange: 'strict' }));
      const key = keys().ticker('strict', 'BTC/USDT');
      const bytes = rawTick(stored);
      await conn().send(key, ['HSET', key, 'v', bytes, 't', String(base.time)]);
      const index = keys().index('strict');
      await conn().send(index, ['ZADD', index, String(Date.now() + 60_000), 'BTC/USDT']);

      const error = await rejection(ticks.getTicker('BTC/USDT', 'strict'));
      expect(error).toMatchObject({ code: 'DECODE', key, field: 'v' });

      const listed = await ticks.getTickers('strict');
      expect(listed.map((t) => t.symbol)).toEqual(['SOL/USDT']);
      expect(corrupt.map((e) => e.key)).toContain(key);
      expect((await ticks.getAllTickers()).map((t) => t.symbol)).toEqual(['SOL/USDT']);

      const merged = await rejection(ticks.updateTicker('BTC/USDT', 'strict', { price: 1 }));
      expect(merged).toMatchObject({ code: 'DECODE', key });
      expect(await conn().send(key, ['HGET', key, 'v'], { buffers: true })).toEqual(bytes);
    });
  }

  it('rejects a truncated stored tuple in getTicker and updateTicker alike', async () => {
    const ticks = new TickCache(conn());
    const key = keys().ticker('strict', 'BTC/USDT');
    const short = msgpackCodec.encode([TickLayout.version, 100, base.time, 'BTC/USDT', 'strict']);
    await conn().send(key, ['HSET', key, 'v', short]);
    expect(await rejection(ticks.getTicker('BTC/USDT', 'strict'))).toMatchObject({
      code: 'DECODE',
    });
    expect(await rejection(ticks.updateTicker('BTC/USDT', 'strict', { price: 1 }))).toMatchObject({
      code: 'DECODE',
    });
    expect(await conn().send(key, ['HGET', key, 'v'], { buffers: true })).toEqual(short);
  });

  it('rejects a string where a number belongs without writing or publishing', async () => {
    const ticks = new TickCache(conn());
    const key = keys().ticker('strict', 'BTC/USDT');
    const bytes = rawTick({ ...base, bid: 'cheap' });
    await conn().send(key, ['HSET', key, 'v', bytes]);
    const sub = ticks.subscribe({ symbol: 'BTC/USDT', exchange: 'strict' });
    await sub.ready;
    expect(await rejection(ticks.updateTicker('BTC/USDT', 'strict', { price: 1 }))).toMatchObject({
      code: 'DECODE',
    });
    expect(await conn().send(key, ['HGET', key, 'v'], { buffers: true })).toEqual(bytes);
    await ticks.setTicker(makeTick({ symbol: 'BTC/USDT', exchange: 'strict', price: 7 }), {
      force: true,
    });
    // The first message the subscriber sees is the forced write, not a merge of the bad value.
    const first = await sub.next();
    expect(first.value).toMatchObject({ price: 7 });
    await sub.close();
  });
});

describe('TickCache names and options', () => {
  const conn = useTestConnection();

  it('rejects a name that is not well-formed text (a lone surrogate) before any command', async () => {
    const ticks = new TickCache(conn());
    await ticks.setTicker(makeTick({ symbol: 'OK/USDT', exchange: 'surrogates' }));
    for (const name of ['\uD800', '\uDBFF', 'A\uDC00B', '\uDC00\uD800']) {
      expect(await rejection(ticks.getTicker(name, 'surrogates'))).toMatchObject({
        code: 'VALIDATION',
        field: 'symbol',
      });
      expect(
        await rejection(ticks.setTicker(makeTick({ symbol: name, exchange: 'surrogates' }))),
      ).toMatchObject({ code: 'VALIDATION', field: 'symbol' });
      expect(await rejection(ticks.getTicker('OK/USDT', name))).toMatchObject({
        field: 'exchange',
      });
    }
    // A real U+FFFD and a well-formed pair are names like any other.
    for (const name of ['\uFFFD', '\uD83D\uDE80']) {
      await ticks.setTicker(makeTick({ symbol: name, exchange: 'surrogates' }));
      expect(await ticks.getTicker(name, 'surrogates')).toMatchObject({ symbol: name });
    }
  });

  it('rejects a ttlMs Redis could not apply at construction, naming ttlMs', () => {
    for (const ttlMs of [1e19, 315_576_000_001, Number.MAX_SAFE_INTEGER]) {
      expect(() => new TickCache(conn(), { ttlMs })).toThrow(ValidationError);
      expect(() => new TickCache(conn(), { ttlMs })).toThrow(/ttlMs/);
    }
    expect(new TickCache(conn(), { ttlMs: 315_576_000_000 }).ttlMs).toBe(315_576_000_000);
  });

  it('rejects a bad ttlMs in open() before connecting', async () => {
    const error = await rejection(TickCache.open({ url: 'redis://127.0.0.1:1' }, { ttlMs: 1e19 }));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'ttlMs' });
  });

  it('says what to pass when the constructor gets no connection', () => {
    const wrong: unknown[] = [undefined, null, {}, { sendCommand: () => undefined }, 'redis://x'];
    for (const value of wrong) {
      expect(() => new TickCache(value as never)).toThrow(
        expect.objectContaining({ code: 'CONFIGURATION', variable: 'conn' }),
      );
    }
    expect(() => new TickCache({} as never)).toThrow(/connect\(\)/);
    expect(() => new TickCache({ sendCommand: () => undefined } as never)).toThrow(
      /raw node-redis client/,
    );
  });
});
