import { jsonCodec, msgpackCodec } from '@fullon/core';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isValidOrder } from './fast-check.js';
import { encodeOrder, OrderLayout } from './layouts.js';
import { Order } from './schema.js';

const base = { orderId: 1, symbol: 'BTC/USDT', side: 'buy', volume: 1 };
const values: unknown[] = [
  undefined,
  null,
  '',
  'x',
  '\ud800',
  'a\nb',
  'a\u0000b',
  'a'.repeat(257),
  'b'.repeat(4_097),
  -1,
  0,
  1.5,
  1e11,
  1_700_000_000_000,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  'buy',
  'sell',
  {},
  [],
];
const fields = [
  'orderId',
  'exOrderId',
  'exchange',
  'symbol',
  'side',
  'status',
  'volume',
  'price',
  'finalVolume',
  'plimit',
  'tick',
  'orderType',
  'futures',
  'leverage',
  'exId',
  'botId',
  'userId',
  'command',
  'reason',
  'timestamp',
];

describe('isValidOrder', () => {
  it('never accepts what the Order schema refuses, and accepts the common valid orders', () => {
    let accepted = 0;
    for (const field of fields) {
      for (const value of values) {
        for (const start of [base, { ...base, orderId: undefined, exOrderId: 'E1' }]) {
          const input = { ...start, [field]: value };
          const schema = v.safeParse(Order, input).success;
          if (isValidOrder(input)) {
            accepted++;
            expect(schema, `${field} = ${String(value)}`).toBe(true);
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(isValidOrder({ symbol: 'X', side: 'buy', volume: 1 })).toBe(false);
    expect(isValidOrder(null)).toBe(false);
    expect(isValidOrder(base)).toBe(true);
  });
});

describe('encodeOrder (the direct msgpack writer of pushes and saves)', () => {
  it('writes the bytes of the general encoder for every valid order above, on either codec', () => {
    let compared = 0;
    for (const field of fields) {
      for (const value of values) {
        for (const start of [base, { ...base, orderId: undefined, exOrderId: 'E1' }]) {
          const input = { ...start, [field]: value };
          if (!isValidOrder(input)) continue;
          for (const codec of [msgpackCodec, jsonCodec]) {
            const direct = encodeOrder(codec, input).toString('hex');
            expect(direct, `${field} = ${String(value)}`).toBe(
              OrderLayout.encode(codec, input).toString('hex'),
            );
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
