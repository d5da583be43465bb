import * as v from 'valibot';
import {
  FIELD_ORDER,
  IDENTITY_FIELDS,
  RULE_SCHEMAS,
  TICK_FIELDS,
  type TickField,
} from './fields.js';

const BID_ABOVE_ASK = 'must be ≤ ask (bid is above ask)';

type RuleSchema<F extends TickField> = (typeof RULE_SCHEMAS)[(typeof TICK_FIELDS)[F]['rule']];
type FieldSchema<F extends TickField> = (typeof TICK_FIELDS)[F]['optional'] extends true
  ? v.OptionalSchema<RuleSchema<F>, undefined>
  : RuleSchema<F>;
type FieldEntries = { [F in TickField]: FieldSchema<F> };

function fieldEntries(): FieldEntries {
  const entries: Record<string, v.GenericSchema> = {};
  for (const field of FIELD_ORDER) {
    const { rule, optional } = TICK_FIELDS[field];
    const schema = RULE_SCHEMAS[rule];
    entries[field] = optional ? v.optional(schema) : schema;
  }
  return entries as FieldEntries;
}

/**
 * The fields of a tick, without the cross-field rule; the layout is built from this object.
 * @internal
 */
export const TickFields = v.object(fieldEntries());

/** Whether a bid and an ask, when both present, are in order. */
function bidNotAboveAsk(input: { bid?: number | undefined; ask?: number | undefined }): boolean {
  return input.bid === undefined || input.ask === undefined || input.bid <= input.ask;
}

/**
 * A ticker: the latest price of one symbol on one exchange.
 *
 * `price`, `volume`, `bid`, `ask` and `last` are finite and ≥ 0; `change` and `percentage` are
 * finite and may be negative; `time` is epoch **milliseconds** (a value below 1e11 looks like
 * seconds and is rejected with a message saying so); `symbol` and `exchange` are 1–256
 * characters of well-formed text; `bid` ≤ `ask` when both are present (the error names `bid`).
 * Unknown properties are dropped; an absent optional field is left out, not `null`.
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
  v.strictObject(v.partial(v.omit(TickFields, IDENTITY_FIELDS)).entries),
  v.forward(v.partialCheck([['bid'], ['ask']], bidNotAboveAsk, BID_ABOVE_ASK), ['bid']),
);
/** A partial tick for `updateTicker`; see the {@link TickUpdate} schema. */
export type TickUpdate = v.InferOutput<typeof TickUpdate>;
