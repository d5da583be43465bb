import * as v from 'valibot';
import { ValidationError } from './errors.js';

/** Smallest accepted epoch-ms time; anything lower looks like seconds (year 1973 in ms). */
export const MIN_EPOCH_MS = 1e11;

/**
 * An epoch-milliseconds timestamp, as `Date.now()` and ccxt give. A value below 1e11 looks like
 * seconds and is rejected with a message saying so.
 */
export const EpochMs = v.pipe(
  v.number('must be a number of epoch milliseconds'),
  v.finite('must be finite'),
  v.minValue(MIN_EPOCH_MS, 'looks like seconds; times are epoch milliseconds (Date.now())'),
);
/** Output type of {@link EpochMs}. */
export type EpochMs = v.InferOutput<typeof EpochMs>;

/** A non-empty name (symbol, exchange, id), at most 256 characters. */
export const Name = v.pipe(
  v.string('must be a string'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(256, 'must be at most 256 characters'),
);
/** Output type of {@link Name}. */
export type Name = v.InferOutput<typeof Name>;

/** A finite number. */
export const FiniteNumber = v.pipe(v.number('must be a number'), v.finite('must be finite'));

/** A finite number ≥ 0. */
export const NonNegative = v.pipe(FiniteNumber, v.minValue(0, 'must be ≥ 0'));

/**
 * A wait in whole milliseconds, 0 (do not wait) up to 2 147 483 647: Node's timers fire at once
 * for anything longer, so a larger value would end the wait immediately instead of never.
 */
export const WaitMs = v.pipe(
  v.number('must be a number of milliseconds'),
  v.integer('must be a whole number of milliseconds'),
  v.minValue(0, 'must be ≥ 0'),
  v.maxValue(2_147_483_647, 'must be at most 2 147 483 647 ms'),
);

/** A whole number of milliseconds > 0, for TTLs and timeouts. */
export const PositiveMs = v.pipe(
  v.number('must be a number of milliseconds'),
  v.integer('must be a whole number of milliseconds'),
  v.minValue(1, 'must be > 0'),
);

/**
 * Validates `input` against `schema`, throwing a {@link ValidationError} that names the field.
 * @param schema - A valibot schema.
 * @param input - Untrusted input.
 * @param root - Name used for the value itself when the issue has no path (e.g. `exchange`).
 * @returns The parsed output.
 * @throws {ValidationError} naming the first offending field.
 */
export function validate<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  root = 'value',
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const [first] = result.issues;
  const path = first === undefined ? null : v.getDotPath(first);
  const field = path === null || path === '' ? root : path;
  throw new ValidationError(field, `${field}: ${first?.message ?? 'invalid'}`, result.issues);
}
