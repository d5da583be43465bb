import { defineLayout } from '@fullon/core/author';
import { validStoredBalance, validStoredPosition } from './fast-check.js';
import { Position, StoredBalance } from './schema.js';

/**
 * How a balance is stored in its account's hash: `[1, currency, total, free, used]`. The
 * currency travels with the value, so bytes copied under another field fail the identity check.
 * @internal
 */
export const BalanceLayout = defineLayout({
  name: 'balance',
  version: 1,
  schema: StoredBalance,
  fields: ['currency', 'total', 'free', 'used'],
  isValid: validStoredBalance,
});

/**
 * How a position is stored in its account's hash:
 * `[1, symbol, volume, price, cost, fee, count, time, exId]` (absent optional fields as `null`).
 * @internal
 */
export const PositionLayout = defineLayout({
  name: 'position',
  version: 1,
  schema: Position,
  fields: ['symbol', 'volume', 'price', 'cost', 'fee', 'count', 'time', 'exId'],
  isValid: validStoredPosition,
});
