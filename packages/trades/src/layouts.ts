import { defineLayout, flatTupleEncoder } from '@fullon/core/author';
import { isValidTrade } from './fast-check.js';
import { Trade } from './schema.js';

/** Stored order of the trade fields, hottest first. Bump the layout version when it changes. */
const FIELDS = [
  'tradeId',
  'symbol',
  'side',
  'volume',
  'price',
  'cost',
  'fee',
  'time',
  'exTradeId',
  'exOrderId',
  'userId',
  'exId',
  'orderType',
  'leverage',
  'curVolume',
  'curAvgPrice',
  'curAvgCost',
  'curFee',
  'roi',
  'roiPct',
  'totalFee',
] as const satisfies readonly (keyof Trade)[];

/**
 * How a trade is stored: a msgpack tuple `[version, tradeId, symbol, side, volume, price, cost,
 * fee, time, …optional fields]`, absent fields as `null`. Decoding is strict: a stored trade
 * that breaks a rule (a NaN price, a time in seconds) is a `DecodeError`.
 * @internal Shared with the benchmark; not exported from the package.
 */
export const TradeLayout = defineLayout({
  name: 'trade',
  version: 1,
  schema: Trade,
  isValid: isValidTrade,
  fields: FIELDS,
});

/**
 * A validated trade's layout bytes under `codec`: the very bytes of `TradeLayout.encode`, written
 * directly on the default msgpack codec (see `flatTupleEncoder` of `@fullon/core/author`). A
 * unit test (`encode.unit.test.ts`) checks the bytes against the general encoder on many trades.
 * @param codec - The connection's codec.
 * @param trade - A trade that passed the `Trade` rules (well-formed strings, finite numbers).
 * @returns The bytes, a `Buffer` of their own.
 * @internal
 */
export const encodeTrade = flatTupleEncoder(TradeLayout);
