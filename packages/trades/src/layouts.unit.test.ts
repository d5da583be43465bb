import { DecodeError, msgpackCodec } from '@fullon/core';
import { describe, expect, it } from 'vitest';
import { TradeLayout } from './layouts.js';
import { makeTrade } from './test-helpers.js';

describe('TradeLayout', () => {
  it('decodes what it encodes, and refuses a stored trade that breaks a rule', () => {
    const trade = makeTrade({ exId: 4, orderType: 'market' });
    expect(TradeLayout.decode(msgpackCodec, TradeLayout.encode(msgpackCodec, trade), 'k')).toEqual(
      trade,
    );
    const tuple = TradeLayout.toTuple(trade);
    tuple[4] = -1; // volume
    expect(() => TradeLayout.decode(msgpackCodec, msgpackCodec.encode(tuple), 'k', 'f')).toThrow(
      DecodeError,
    );
    expect(() => TradeLayout.decode(msgpackCodec, Buffer.from([0xc1]), 'k')).toThrow(DecodeError);
  });
});
