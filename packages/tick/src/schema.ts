import { defineLayout, EpochMs, FiniteNumber, Name, NonNegative } from '@fullon/core';
import * as v from 'valibot';

const BID_ABOVE_ASK = 'must be ≤ ask (bid is above ask)';

/** The fields of a tick, without the cross-field rule; the layout is built from this object. */
const TickFields = v.object({
  symbol: Name,
  exchange: Name,
  price: NonNegative,
  time: EpochMs,
  volume: v.optional(NonNegative),
  bid: v.optional(NonNegative),
  ask: v.optional(NonNegative),
  last: v.optional(NonNegative),
  change: v.optional(FiniteNumber),
  percentage: v.optional(FiniteNumber),
});

/** Whether a bid and an ask, when both present, are in order. */
function bidNotAboveAsk(input: { bid?: number | undefined; ask?: number | undefined }): boolean {
  return input.bid === undefined || input.ask === undefined || input.bid <= input.ask;
}

/**
 * A ticker: the latest price of one symbol on one exchange.
 *
 * `price`, `volume`, `bid`, `ask` and `last` are finite and ≥ 0; `change` and `percentage` are
 * finite and may be negative; `time` is epoch **milliseconds** (a value below 1e11 looks like
 * seconds and is rejected with a message saying so); `bid` ≤ `ask` when both are present (the
 * error names `bid`). Unknown properties are dropped; an absent optional field is left out, not
 * `null`.
 *
 * @example
 * ```ts
 * const tick = v.parse(Tick, { symbol: 'BTC/USDT', exchange: 'binance', price: 64000, time: Date.now() });
 * ```
 */
export const Tick = v.pipe(
  TickFields,
  v.forward(v.partialCheck([['bid'], ['ask']], bidNotAboveAsk, BID_ABOVE_ASK), ['bid']),
);
/** A ticker; see the {@link Tick} schema for the rules. */
export type Tick = v.InferOutput<typeof Tick>;

/**
 * Fields that `updateTicker` may merge into a stored tick: every field of {@link Tick} except
 * `symbol` and `exchange` (they name the ticker), each optional and checked as in `Tick`. An
 * unknown property is rejected, so a typo does not silently merge nothing.
 */
export const TickUpdate = v.pipe(
  v.strictObject(v.partial(v.omit(TickFields, ['symbol', 'exchange'])).entries),
  v.forward(v.partialCheck([['bid'], ['ask']], bidNotAboveAsk, BID_ABOVE_ASK), ['bid']),
);
/** A partial tick for `updateTicker`; see the {@link TickUpdate} schema. */
export type TickUpdate = v.InferOutput<typeof TickUpdate>;

/**
 * How a tick is stored: a msgpack tuple `[version, price, time, symbol, exchange, bid, ask, last,
 * volume, change, percentage]`, hottest fields first. The same bytes are the pub/sub payload.
 * @internal Shared with the Lua merge and the benchmark; not exported from the package.
 */
export const TickLayout = defineLayout({
  name: 'tick',
  version: 1,
  schema: TickFields,
  fields: [
    'price',
    'time',
    'symbol',
    'exchange',
    'bid',
    'ask',
    'last',
    'volume',
    'change',
    'percentage',
  ],
});

/**
 * Where a field sits in the stored tuple, for the Lua merge.
 * @internal
 * @param field - A field of the tick.
 * @returns Its Lua (1-based) position in the stored tuple, whose first element is the version.
 */
export function luaSlot(field: keyof Tick & string): number {
  return TickLayout.fields.indexOf(field) + 2;
}
