import { Name } from '@fullon/core';
import * as v from 'valibot';

/**
 * A database id as fullon uses them: a whole number ≥ 0 (Python's integer ids) or a non-empty
 * string. `1` and `'1'` address the same cache entry; a record keeps the type it was given.
 */
export const Id = v.union(
  [
    Name,
    v.pipe(
      v.number('must be a string or a whole number'),
      v.integer('must be a whole number'),
      v.minValue(0, 'must be ≥ 0'),
      v.maxValue(Number.MAX_SAFE_INTEGER, 'must be a safe integer'),
    ),
  ],
  'must be a non-empty string or a whole number ≥ 0',
);
/** Output type of {@link Id}. */
export type Id = v.InferOutput<typeof Id>;

/** An update frame such as `1m`, `1h` or `1d` (Python's `updateframe`). */
export const UpdateFrame = v.pipe(
  v.string('must be a string'),
  v.regex(/^[1-9][0-9]{0,3}[smhdwM]$/, 'must be a timeframe such as 1m, 1h or 1d'),
);

/** The fields of a symbol stored per exchange (everything but the exchange, which is the key). */
const symbolEntries = {
  symbol: Name,
  base: Name,
  quote: Name,
  symbolId: v.optional(Id),
  catExId: v.optional(Id),
  futures: v.optional(v.boolean('must be a boolean')),
  decimals: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(0, 'must be ≥ 0'),
      v.maxValue(30, 'must be ≤ 30'),
    ),
  ),
  updateFrame: v.optional(UpdateFrame),
  backtest: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number of days'),
      v.minValue(0, 'must be ≥ 0'),
    ),
  ),
  onlyTicker: v.optional(v.boolean('must be a boolean')),
};

/**
 * A tradable symbol of one exchange, as a loader or `setSymbols` gives it. Field names map from
 * Python's `fullon_orm` Symbol: `symbol_id` → `symbolId`, `cat_ex_id` → `catExId`,
 * `only_ticker` → `onlyTicker`, `updateframe` → `updateFrame`, `exchange_name` → `exchange`;
 * `symbol`, `base`, `quote`, `futures`, `decimals`, `backtest` keep their names.
 * `exchange` is optional on input (the exchange argument decides it) and always set on read.
 */
export const SymbolInfo = v.object({ ...symbolEntries, exchange: v.optional(Name) });
/** Output type of {@link SymbolInfo}. */
export type SymbolInfo = v.InferOutput<typeof SymbolInfo>;

/** @internal The stored part of a symbol: the exchange is the key, not a field. */
export const StoredSymbol = v.object(symbolEntries);
/** @internal Output type of {@link StoredSymbol}. */
export type StoredSymbol = v.InferOutput<typeof StoredSymbol>;

/** A symbol as read from the cache: `exchange` is always set. */
export type CachedSymbol = StoredSymbol & { exchange: string };

/**
 * An exchange account of a user. Field names map from Python's `fullon_orm` Exchange:
 * `ex_id` → `exId`, `cat_ex_id` → `catExId`, `uid` → `uid`, `name`, `active`, `test` keep their
 * names, `cat_exchange` → `catExchange` (the catalog exchange's name, e.g. the ccxt id `kraken`).
 * `active` defaults to `true`, `test` (sandbox / testnet account) to `false`.
 */
export const Exchange = v.object({
  exId: Id,
  uid: Id,
  name: Name,
  catExId: v.optional(Id),
  catExchange: v.optional(Name),
  active: v.optional(v.boolean('must be a boolean'), true),
  test: v.optional(v.boolean('must be a boolean'), false),
});
/** Output type of {@link Exchange}. */
export type Exchange = v.InferOutput<typeof Exchange>;
/** What {@link Exchange} accepts: `active` and `test` may be left out. */
export type ExchangeInput = v.InferInput<typeof Exchange>;

/**
 * A catalog exchange (an exchange the system can trade on). Python's `CatExchange`:
 * `cat_ex_id` → `catExId`, `name` keeps its name.
 */
export const CatExchange = v.object({ catExId: Id, name: Name });
/** Output type of {@link CatExchange}. */
export type CatExchange = v.InferOutput<typeof CatExchange>;
