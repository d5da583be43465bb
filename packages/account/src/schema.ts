import { EpochMs, FiniteNumber, Id, Name, NonNegative, ownRecord } from '@fullon/core/author';
import * as v from 'valibot';

/**
 * The balance of one currency in one exchange account, as ccxt reports it: `total` =
 * `free` + `used` (not enforced: exchanges round differently). Each is a finite number;
 * negative values are accepted (borrowed amounts on margin accounts). Unknown properties are
 * dropped.
 *
 * @example
 * ```ts
 * const btc: Balance = { total: 1.5, free: 1.2, used: 0.3 };
 * ```
 */
export const Balance = v.object({
  total: FiniteNumber,
  free: FiniteNumber,
  used: FiniteNumber,
});
/** One currency's balance; see the {@link Balance} schema. */
export type Balance = v.InferOutput<typeof Balance>;

/**
 * Every balance of one account: a plain object (prototype `Object.prototype` or `null`) of
 * currency (a name of 1–256 characters, any text — `date`, `constructor` or `__proto__` is a
 * currency like any other) → {@link Balance}. A `Map`, array, `Date` or other object is
 * refused, never read as "no currencies".
 */
export const Balances = ownRecord(
  Name,
  Balance,
  'must be a plain object of currency → { total, free, used }',
);
/** Currency → balance; see the {@link Balances} schema. */
export type Balances = Record<string, Balance>;

/** The fields of a position, without the account (its key names it). */
const positionEntries = {
  symbol: Name,
  volume: FiniteNumber,
  price: NonNegative,
  cost: v.optional(FiniteNumber),
  fee: v.optional(FiniteNumber),
  count: v.optional(NonNegative),
  time: v.optional(EpochMs),
};

/**
 * An open position of one exchange account, as `setPosition` takes it. Field names map from
 * Python's `fullon_orm` Position: `symbol`, `volume`, `price`, `cost`, `fee`, `count` keep their
 * names, `timestamp` (epoch seconds) → `time` (epoch **milliseconds**), `ex_id` → `exId`.
 *
 * `volume` is signed (negative for a short); `price` is the average entry price (≥ 0); `cost`,
 * `fee` (finite) and `count` (≥ 0) are optional and left out when absent. `exId` may be given;
 * it must then name the account passed to the call.
 */
export const PositionInput = v.object({ ...positionEntries, exId: v.optional(Id) });
/** A position as written; see the {@link PositionInput} schema. */
export type PositionInput = v.InferOutput<typeof PositionInput>;

/**
 * A position as stored and read back: every field of {@link PositionInput}, with `exId` always
 * set (in the type it was written with: `7` or `'7'`).
 */
export const Position = v.object({ ...positionEntries, exId: Id });
/** A position as read; see the {@link Position} schema. */
export type Position = v.InferOutput<typeof Position>;

/**
 * @internal A balance as stored: the currency and the account (exId, string form) it belongs to
 * travel with it (identity check: bytes copied under another currency or another account are
 * refused).
 */
export const StoredBalance = v.object({ currency: Name, ...Balance.entries, exId: Name });
/** @internal Output type of {@link StoredBalance}. */
export type StoredBalance = v.InferOutput<typeof StoredBalance>;
