import { DecodeError, PositiveMs, ValidationError, WaitMs } from '@fullon/core';
import * as v from 'valibot';

/**
 * Validates `input`, naming the field as `label.path` (e.g. `symbols[2].base`).
 * @param schema - A valibot schema.
 * @param input - Untrusted input.
 * @param label - The argument's name, e.g. `exchange` or `symbols[2]`.
 * @returns The parsed output.
 * @throws {ValidationError} naming the first offending field.
 */
export function check<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  label: string,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const [first] = result.issues;
  const path = first === undefined ? null : v.getDotPath(first);
  const field = path === null || path === '' ? label : `${label}.${path}`;
  throw new ValidationError(field, `${field}: ${first?.message ?? 'invalid'}`, result.issues);
}

/**
 * Validates a list item by item, naming the field as `label[i].path`, and rejects two items
 * with the same identity.
 * @param schema - Schema of one item.
 * @param items - Untrusted input.
 * @param label - The argument's name, e.g. `symbols`.
 * @param identity - The item's identity field, checked for duplicates.
 * @returns The parsed items.
 * @throws {ValidationError} naming the first offending item and field.
 */
export function checkList<TSchema extends v.GenericSchema, K extends string>(
  schema: TSchema,
  items: unknown,
  label: string,
  identity: K,
): v.InferOutput<TSchema>[] {
  if (!Array.isArray(items)) throw new ValidationError(label, `${label}: must be an array`);
  const seen = new Set<string>();
  return items.map((item: unknown, i) => {
    const parsed = check(schema, item, `${label}[${i}]`);
    const id = String((parsed as Record<K, unknown>)[identity]);
    if (seen.has(id)) {
      throw new ValidationError(
        `${label}[${i}].${identity}`,
        `${label}[${i}].${identity}: duplicate ${identity} ${JSON.stringify(id)}`,
      );
    }
    seen.add(id);
    return parsed;
  });
}

/**
 * Validates a TTL or timeout option.
 * @param value - The option, possibly absent.
 * @param fallback - Default when absent.
 * @param label - Option name for the error.
 * @returns The value in ms.
 * @throws {ValidationError} when it is not a whole number of ms > 0.
 */
export function checkMs(value: unknown, fallback: number, label: string): number {
  return value === undefined ? fallback : check(PositiveMs, value, label);
}

/**
 * Checks an optional wait in whole ms (0 to 2 147 483 647, the most a Node timer takes).
 * @param value - Untrusted input, or `undefined` for the default.
 * @param fallback - The default.
 * @param label - Name for the error.
 * @returns The wait.
 * @throws {ValidationError} naming `label`.
 */
export function checkWaitMs(value: unknown, fallback: number, label: string): number {
  return value === undefined ? fallback : check(WaitMs, value, label);
}

/**
 * Re-checks a decoded record against its schema: the layout checks slot types, this checks the
 * rules (an id that is neither string nor whole number, a negative decimals count…).
 * @param schema - The record's schema.
 * @param record - What the layout decoded.
 * @param name - Record name for the message.
 * @param key - Redis key, for the error.
 * @param field - Hash field, for the error.
 * @returns The record.
 * @throws {DecodeError} when a rule does not hold.
 */
export function checkStored<TSchema extends v.GenericSchema>(
  schema: TSchema,
  record: unknown,
  name: string,
  key: string,
  field?: string,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, record);
  if (result.success) return result.output;
  const [first] = result.issues;
  const path = first === undefined ? '' : (v.getDotPath(first) ?? '');
  throw new DecodeError(key, field, `${name}.${path}: ${first?.message ?? 'invalid'}`);
}

const PositiveCount = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be ≥ 1'),
  v.maxValue(10_000_000, 'must be at most 10 000 000'),
);

/**
 * Validates a cap option.
 * @param value - The option, possibly absent.
 * @param fallback - Default when absent.
 * @param label - Option name for the error.
 * @returns The count.
 * @throws {ValidationError} when it is not a whole number between 1 and 10 000 000.
 */
export function checkCount(value: unknown, fallback: number, label: string): number {
  return value === undefined ? fallback : check(PositiveCount, value, label);
}
