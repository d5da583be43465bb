import { FIELD_ORDER, RULE_CHECKS, TICK_FIELDS } from './fields.js';
import type { Tick } from './schema.js';

const CHECKS = FIELD_ORDER.map((field) => {
  const { rule, optional } = TICK_FIELDS[field];
  return { field, check: RULE_CHECKS[rule], optional };
});

/**
 * The {@link Tick} schema's rules, written out for the hot path. `true` when every rule holds;
 * otherwise the caller asks valibot, which either accepts the input or produces the error naming
 * the field. It never accepts what the schema rejects (a unit test checks it against the schema).
 * @internal
 * @param input - Untrusted input.
 * @returns Whether `input` is a valid tick.
 */
export function isValidTick(input: unknown): input is Tick {
  if (typeof input !== 'object' || input === null) return false;
  const record = input as Record<string, unknown>;
  for (const { field, check, optional } of CHECKS) {
    const value = record[field];
    if (value === undefined ? !optional : !check(value)) return false;
  }
  const { bid, ask } = record;
  return bid === undefined || ask === undefined || (bid as number) <= (ask as number);
}
