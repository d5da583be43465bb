import { createMsgpackCodec, jsonCodec, msgpackCodec } from '@fullon/core';
import { MAX_EPOCH_MS } from '@fullon/core/author';
import { MSGPACK_EDGE_NUMBERS } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { isValidTrade } from './fast-check.js';
import { encodeTrade, TradeLayout } from './layouts.js';
import type { Trade } from './schema.js';
import { makeTrade } from './test-helpers.js';

/** Numbers at every boundary of the msgpack integer forms, and floats. */
const NUMBERS = MSGPACK_EDGE_NUMBERS;
/** Names of every msgpack string form, ASCII and not (CJK, accents, an astral pair). */
const NAMES = [
  'x',
  'BTC/USDT',
  'a'.repeat(31),
  'a'.repeat(32),
  'a'.repeat(255),
  'a'.repeat(256),
  'é',
  'é'.repeat(16),
  'é'.repeat(128),
  '比特币/USDT',
  '币'.repeat(256),
  '😀'.repeat(128),
  // The last one-byte and the first two-byte UTF-8 characters (U+007F, a control character,
  // is no name).
  'x~\u0080',
];

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)] as T;
}

/** A random trade: every field set or left out at random, values from the lists above. */
function randomTrade(): Record<string, unknown> {
  const id = () => (Math.random() < 0.5 ? Math.abs(Math.trunc(pick(NUMBERS))) : pick(NAMES));
  const trade: Record<string, unknown> = {
    tradeId: id(),
    symbol: pick(NAMES),
    side: Math.random() < 0.5 ? 'buy' : 'sell',
    volume: Math.abs(pick(NUMBERS)),
    price: Math.abs(pick(NUMBERS)),
    cost: Math.abs(pick(NUMBERS)),
    fee: pick(NUMBERS),
    // Capped at the last accepted time: larger edge numbers would only make invalid trades.
    time: Math.min(1e11 + Math.abs(pick(NUMBERS)), MAX_EPOCH_MS),
  };
  const optional: [string, () => unknown][] = [
    ['exTradeId', () => pick(NAMES)],
    ['exOrderId', () => pick(NAMES)],
    ['userId', id],
    ['exId', id],
    ['orderType', () => pick(NAMES)],
    ['leverage', () => Math.abs(pick(NUMBERS)) || 1],
    ['curVolume', () => pick(NUMBERS)],
    ['curAvgPrice', () => pick(NUMBERS)],
    ['curAvgCost', () => pick(NUMBERS)],
    ['curFee', () => pick(NUMBERS)],
    ['roi', () => pick(NUMBERS)],
    ['roiPct', () => pick(NUMBERS)],
    ['totalFee', () => pick(NUMBERS)],
  ];
  for (const [field, make] of optional) if (Math.random() < 0.5) trade[field] = make();
  return trade;
}

describe('encodeTrade (the direct msgpack writer of pushes)', () => {
  it('writes the very bytes of the general encoder, on every number and string form', () => {
    const trades: Trade[] = [makeTrade()];
    for (const n of NUMBERS) {
      trades.push(makeTrade({ fee: n, roi: n, curVolume: n }));
      if (Number.isSafeInteger(n) && n >= 0) trades.push(makeTrade({ tradeId: n, exId: n }));
    }
    for (const name of NAMES) {
      trades.push(makeTrade({ symbol: name, tradeId: name, exTradeId: name, orderType: name }));
    }
    for (const trade of trades) {
      expect(isValidTrade(trade)).toBe(true);
      const bytes = encodeTrade(msgpackCodec, trade);
      expect(bytes.equals(TradeLayout.encode(msgpackCodec, trade))).toBe(true);
    }
    // The bytes decode to the trade (-0 comes back as 0, as through the general encoder).
    const trade = makeTrade({ exTradeId: '比特币', fee: -3.2, time: 2 ** 45 });
    expect(TradeLayout.decode(msgpackCodec, encodeTrade(msgpackCodec, trade), 'k')).toEqual(trade);
  });

  it('writes the very bytes of the general encoder on random trades', () => {
    let checked = 0;
    for (let i = 0; i < 5_000; i++) {
      const trade = randomTrade();
      if (!isValidTrade(trade)) continue;
      const bytes = encodeTrade(msgpackCodec, trade);
      expect({ trade, hex: bytes.toString('hex') }).toEqual({
        trade,
        hex: TradeLayout.encode(msgpackCodec, trade).toString('hex'),
      });
      checked++;
    }
    expect(checked).toBeGreaterThan(4_000);
  });

  it('hands every trade its own buffer, and other codecs to the layout', () => {
    const a = encodeTrade(msgpackCodec, makeTrade({ tradeId: 1 }));
    const copy = Buffer.from(a);
    encodeTrade(msgpackCodec, makeTrade({ tradeId: 2, symbol: 'ETH/USDT' }));
    expect(a.equals(copy)).toBe(true);
    const trade = makeTrade({ exTradeId: 'x-1' });
    expect(encodeTrade(jsonCodec, trade)).toEqual(TradeLayout.encode(jsonCodec, trade));
    const own = createMsgpackCodec();
    expect(encodeTrade(own, trade)).toEqual(TradeLayout.encode(own, trade));
  });
});
