import {
  EpochMs,
  FiniteNumber,
  isEpochMs,
  isNameText,
  MAX_NAME_LENGTH,
  Name,
  NonNegative,
} from '@fullon/core/author';

/** The rule a tick field follows; every other list of tick fields is derived from this one. */
export type FieldRule = 'name' | 'epochMs' | 'nonNegative' | 'finite';

/** One tick field: its rule, and whether it may be absent. */
export interface FieldSpec {
  readonly rule: FieldRule;
  readonly optional: boolean;
}

/**
 * Every field of a tick, in stored tuple order (hottest first). Adding a field here adds it to
 * the schema, the stored layout, the fast check, `updateTicker`'s patch and the Lua merge.
 * Bump `TICK_LAYOUT_VERSION` when this list changes. Not exported by the package; public in
 * the declarations only because the `Tick` type is derived from it.
 */
export const TICK_FIELDS = {
  price: { rule: 'nonNegative', optional: false },
  time: { rule: 'epochMs', optional: false },
  symbol: { rule: 'name', optional: false },
  exchange: { rule: 'name', optional: false },
  bid: { rule: 'nonNegative', optional: true },
  ask: { rule: 'nonNegative', optional: true },
  last: { rule: 'nonNegative', optional: true },
  volume: { rule: 'nonNegative', optional: true },
  change: { rule: 'finite', optional: true },
  percentage: { rule: 'finite', optional: true },
} as const satisfies Record<string, FieldSpec>;

/** Version stored as the first tuple element. */
export const TICK_LAYOUT_VERSION = 1;

/** A tick field name. */
export type TickField = keyof typeof TICK_FIELDS;

/** Fields in stored order. @internal */
export const FIELD_ORDER = Object.keys(TICK_FIELDS) as TickField[];

/** The fields that name a ticker (its key); `updateTicker` cannot change them. */
export const IDENTITY_FIELDS = ['symbol', 'exchange'] as const;

/** The fields `updateTicker` may merge. @internal */
export const UPDATABLE_FIELDS = FIELD_ORDER.filter(
  (field) => !(IDENTITY_FIELDS as readonly string[]).includes(field),
);

/** The valibot schema of each rule (in the declarations because `Tick` is derived from it). */
export const RULE_SCHEMAS = {
  name: Name,
  epochMs: EpochMs,
  nonNegative: NonNegative,
  finite: FiniteNumber,
} as const;

/**
 * The rule as a plain predicate, for the hot path (valibot costs about a microsecond per tick).
 * It never accepts what the rule's schema rejects (checked on generated inputs by a unit test).
 * @internal
 */
export const RULE_CHECKS: Record<FieldRule, (value: unknown) => boolean> = {
  name: (value) =>
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_NAME_LENGTH &&
    isNameText(value),
  epochMs: isEpochMs,
  nonNegative: (value) => Number.isFinite(value) && (value as number) >= 0,
  finite: (value) => Number.isFinite(value),
};

/**
 * Where a field sits in the stored tuple, for Lua (1-based; element 1 is the version).
 * @internal
 * @param field - A tick field.
 * @returns Its Lua position.
 */
export function luaSlot(field: TickField): number {
  return FIELD_ORDER.indexOf(field) + 2;
}
