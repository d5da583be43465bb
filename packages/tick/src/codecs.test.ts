import { type Codec, ConfigurationError, jsonCodec, msgpackCodec } from '@fullon/core';
import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { TickKeys } from './keys.js';
import type { Tick } from './schema.js';
import { makeTick } from './test-helpers.js';
import { TickCache } from './tick-cache.js';

/** Numbers that a lossy re-encoding (14 digits, float32) would change. */
const PRECISE: Tick = {
  symbol: 'PREC/USDT',
  exchange: 'precise',
  price: 0.1 + 0.2,
  time: 1_717_171_717_123.5,
  volume: 123_456_789.123_456_79,
  bid: 1 / 3,
  ask: 0.333_333_333_333_333_5,
  change: -0.000_001_234_567_890_123,
};

describe.each([
  ['msgpack', msgpackCodec],
  ['json', jsonCodec],
])('TickCache with the %s codec', (name, codec) => {
  const conn = useTestConnection({ codec });

  it('stores the tuple under the connection codec', async () => {
    const ticks = new TickCache(conn());
    await ticks.setTicker(makeTick({ symbol: 'ENC/USDT', exchange: 'enc', price: 5, bid: 4 }));
    const key = new TickKeys(conn().keys).ticker('enc', 'ENC/USDT');
    const bytes = await conn().send<Buffer>(key, ['HGET', key, 'v'], { buffers: true });
    const tuple = codec.decode(bytes) as unknown[];
    expect(tuple.slice(0, 6)).toEqual([1, 5, expect.any(Number), 'ENC/USDT', 'enc', 4]);
    expect(name === 'json' ? bytes.toString('utf8').startsWith('[1,') : bytes[0] === 0x9b).toBe(
      true,
    );
  });

  it('merges in Lua without losing precision or absent fields', async () => {
    const ticks = new TickCache(conn());
    await ticks.setTicker(PRECISE);
    const merged = await ticks.updateTicker('PREC/USDT', 'precise', {
      last: 2 / 3,
      percentage: -1e-12,
    });
    const expected = { ...PRECISE, last: 2 / 3, percentage: -1e-12 };
    expect(merged).toEqual(expected);
    expect(await ticks.getTicker('PREC/USDT', 'precise')).toEqual(expected);
    expect(await ticks.getTickers('precise')).toEqual([expected]);
    // Unchanged optional fields stay absent after a merge.
    await ticks.setTicker(makeTick({ symbol: 'SPARSE/USDT', exchange: 'precise', price: 1 }));
    const sparse = await ticks.updateTicker('SPARSE/USDT', 'precise', { price: 2 });
    expect(Object.keys(sparse ?? {}).sort()).toEqual(['exchange', 'price', 'symbol', 'time']);
  });

  it('merges a tick with a hostile symbol', async () => {
    const ticks = new TickCache(conn());
    const symbol = '"quoted"\\ {x}:*\u00a0ü';
    await ticks.setTicker(makeTick({ symbol, exchange: 'hostile ex', price: 1 }));
    expect(await ticks.updateTicker(symbol, 'hostile ex', { price: 3 })).toMatchObject({
      symbol,
      price: 3,
    });
    expect(await ticks.getTicker(symbol, 'hostile ex')).toMatchObject({
      symbol,
      exchange: 'hostile ex',
      price: 3,
    });
  });
});

describe('TickCache with a codec the merge cannot read', () => {
  const custom: Codec = { ...msgpackCodec, name: 'custom' };
  const conn = useTestConnection({ codec: custom });

  it('reads and writes, but updateTicker throws ConfigurationError naming the codec', async () => {
    const ticks = new TickCache(conn());
    const tick = makeTick({ exchange: 'custom' });
    await ticks.setTicker(tick);
    expect(await ticks.getTicker(tick.symbol, 'custom')).toEqual(tick);
    const error = await ticks
      .updateTicker(tick.symbol, 'custom', { price: 1 })
      .catch((e: unknown) => e);
    expect(ConfigurationError.is(error)).toBe(true);
    expect(String(error)).toMatch(/custom/);
    expect(await ticks.getTicker(tick.symbol, 'custom')).toEqual(tick);
  });
});
