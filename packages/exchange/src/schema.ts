import { Id, Name, NonNegative } from '@fullon/core/author';
import * as v from 'valibot';

/** An update frame such as `1m`, `1h` or `1d` (Python's `updateframe`). */
export const UpdateFrame = v.pipe(
  v.string('must be a string'),
  v.regex(/^[1-9][0-9]{0,3}[smhdwM]$/, 'must be a timeframe such as 1m, 1h or 1d'),
);

/**
 * How `pricePrecision` and `amountPrecision` count, as ccxt's `precisionMode` says:
 * `'decimals'` — decimal places (ccxt `DECIMAL_PLACES`, e.g. `2`); `'tickSize'` — the smallest
 * step (ccxt `TICK_SIZE`, ccxt's default, e.g. `0.01`).
 */
export const PrecisionMode = v.picklist(
  ['decimals', 'tickSize'],
  'must be "decimals" or "tickSize"',
);
/** Output type of {@link PrecisionMode}. */
export type PrecisionMode = v.InferOutput<typeof PrecisionMode>;

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
  precisionMode: v.optional(PrecisionMode),
  pricePrecision: v.optional(NonNegative),
  amountPrecision: v.optional(NonNegative),
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

type PrecisionFields = {
  precisionMode?: PrecisionMode | undefined;
  pricePrecision?: number | undefined;
  amountPrecision?: number | undefined;
};

/** What is wrong with one precision value under the record's mode, or `undefined`. */
function precisionProblem(record: PrecisionFields, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  switch (record.precisionMode) {
    case undefined:
      return 'needs precisionMode ("decimals" or "tickSize") to say how it counts';
    case 'decimals':
      return Number.isInteger(value) && value <= 30
        ? undefined
        : 'must be a whole number of decimal places from 0 to 30 (precisionMode "decimals")';
    case 'tickSize':
      return value > 0 ? undefined : 'must be a tick size > 0 (precisionMode "tickSize")';
  }
}

/** The cross-field rule of the precision fields, naming the offending field. */
function precisionRule<T extends PrecisionFields>() {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const key of ['pricePrecision', 'amountPrecision'] as const) {
      const value = dataset.value[key];
      const message = precisionProblem(dataset.value, value);
      if (message === undefined) continue;
      addIssue({
        message,
        path: [{ type: 'object', origin: 'value', input: dataset.value, key, value }],
      });
      return;
    }
  });
}

/**
 * A tradable symbol of one exchange, as a loader or `setSymbols` gives it. Field names map from
 * Python's `fullon_orm` Symbol: `symbol_id` → `symbolId`, `cat_ex_id` → `catExId`,
 * `only_ticker` → `onlyTicker`, `updateframe` → `updateFrame`, `exchange_name` → `exchange`;
 * `symbol`, `base`, `quote`, `futures`, `decimals`, `backtest` keep their names.
 * `pricePrecision` / `amountPrecision` hold ccxt's `market.precision.price` / `.amount` as ccxt
 * gives them, and `precisionMode` says how they count (required when either is set): whole
 * decimal places 0–30 for `'decimals'`, a step > 0 for `'tickSize'`.
 * `exchange` is optional on input (the exchange argument decides it) and always set on read.
 */
export const SymbolInfo = v.pipe(
  v.object({ ...symbolEntries, exchange: v.optional(Name) }),
  precisionRule(),
);
/** Output type of {@link SymbolInfo}. */
export type SymbolInfo = v.InferOutput<typeof SymbolInfo>;

/** The stored part of a symbol (the exchange is the key, not a field): slot types. */
export const StoredSymbolFields = v.object(symbolEntries);

/** A stored symbol with its cross-field rules, re-checked on every read. */
export const StoredSymbol = v.pipe(StoredSymbolFields, precisionRule());
/** Output type of {@link StoredSymbol}. */
export type StoredSymbol = v.InferOutput<typeof StoredSymbol>;

/** A symbol as read from the cache: `exchange` is always set. */
export type CachedSymbol = StoredSymbol & { exchange: string };

/**
 * An exchange account of a user. Field names map from Python's `fullon_orm` Exchange:
 * `ex_id` → `exId`, `uid` → `userId`, `cat_ex_id` → `catExId`, `cat_exchange` → `catExchange`
 * (the catalog exchange's name, e.g. the ccxt id `kraken`); `name`, `active`, `test` keep their
 * names. `active` defaults to `true`, `test` (sandbox / testnet account) to `false`.
 */
export const Exchange = v.object({
  exId: Id,
  userId: Id,
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
