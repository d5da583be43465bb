import { defineLayout } from '@fullon/core/author';
import { validStoredBalance, validStoredPosition } from './fast-check.js';
import { Position, StoredBalance } from './schema.js';

/**
 * How a balance is stored in its account's hash: `[2, currency, total, free, used, exId]`. The
 * currency and the account travel with the value, so bytes copied under another field or into
 * another account's hash fail the identity check. (Version 1 lacked `exId`: such a value reads
 * as corrupt until the account's balances are written again.)
 * @internal
 */
export const BalanceLayout = defineLayout({
  name: 'balance',
  version: 2,
  schema: StoredBalance,
  fields: ['currency', 'total', 'free', 'used', 'exId'],
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
