import { isDeepStrictEqual } from 'node:util';
import { ConnectionError, FullonCacheError } from '../../errors.js';
import type { MethodSpec } from './table.js';

/** How one call ended. */
export type Outcome =
  | { readonly kind: 'sync-throw'; readonly error: unknown }
  | { readonly kind: 'rejected'; readonly error: unknown }
  | { readonly kind: 'resolved'; readonly value: unknown };

/** How long a subscription's first `next()` is given before the call counts as accepted. */
const SUBSCRIPTION_LOOK_MS = 100;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

/** Pulls one item from a subscription (or gives up after a moment), then ends it. */
async function firstOf(iterable: AsyncIterable<unknown>): Promise<unknown> {
  const iterator = iterable[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      iterator.next(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, SUBSCRIPTION_LOOK_MS, 'no message yet');
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await iterator.return?.();
  }
}

/**
 * Calls a cache method as the table says, recording a synchronous throw apart from a rejection.
 * @param cache - The cache.
 * @param name - The method's name.
 * @param spec - Its table entry.
 * @param args - The arguments.
 * @returns How the call ended.
 */
export async function invokeMethod<C extends object>(
  cache: C,
  name: string,
  spec: MethodSpec<C>,
  args: unknown[],
): Promise<Outcome> {
  let returned: unknown;
  try {
    if (spec.invoke !== undefined) returned = spec.invoke(cache, args);
    else {
      const method = (cache as Record<string, unknown>)[name];
      if (typeof method !== 'function') {
        throw new FullonCacheError(`conformance: ${name} is not a method of the cache`);
      }
      returned = method.apply(cache, args);
    }
  } catch (error) {
    return { kind: 'sync-throw', error };
  }
  try {
    let value = await returned;
    if (spec.kind === 'subscription' && isAsyncIterable(value)) value = await firstOf(value);
    return { kind: 'resolved', value };
  } catch (error) {
    return { kind: 'rejected', error };
  }
}

/**
 * Describes an outcome for a failure message.
 * @param outcome - The outcome.
 * @returns e.g. `rejected TypeError: x is not a function`.
 */
export function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === 'resolved') {
    let shown: string;
    try {
      shown = JSON.stringify(outcome.value)?.slice(0, 120) ?? 'undefined';
    } catch {
      shown = String(outcome.value);
    }
    return `resolved ${shown}`;
  }
  const { error } = outcome;
  const text =
    error instanceof Error
      ? `${error.name}${FullonCacheError.is(error) ? `[${error.code}]` : ''}: ${error.message.slice(0, 200)}`
      : String(error);
  return `${outcome.kind === 'sync-throw' ? 'threw synchronously' : 'rejected'} ${text}`;
}

/**
 * Whether the outcome is the rejection a hostile argument must get: a `ValidationError` or
 * `ConfigurationError` that names `names` (in its field, option or message).
 * @param outcome - How the call ended.
 * @param names - The parameter or field the error must name.
 * @param syncAllowed - Whether a synchronous throw counts (a method returning an iterable).
 * @returns `null` when right, else what is wrong.
 */
export function hostileRejectionProblem(
  outcome: Outcome,
  names: string,
  syncAllowed = false,
): string | null {
  if (outcome.kind === 'resolved' || (outcome.kind === 'sync-throw' && !syncAllowed)) {
    return describeOutcome(outcome);
  }
  const { error } = outcome;
  if (
    !FullonCacheError.is(error) ||
    (error.code !== 'VALIDATION' && error.code !== 'CONFIGURATION')
  ) {
    return describeOutcome(outcome);
  }
  const named = [
    (error as { field?: unknown }).field,
    (error as { variable?: unknown }).variable,
    error.message,
  ].some((text) => typeof text === 'string' && text.includes(names));
  return named ? null : `${describeOutcome(outcome)} (does not name ${names})`;
}

/**
 * Whether an outcome is a typed settlement: resolved, or rejected with a `@fullon` error.
 * @param outcome - How the call ended.
 * @returns `null` when typed, else what is wrong.
 */
export function untypedProblem(outcome: Outcome): string | null {
  if (outcome.kind === 'resolved') return null;
  if (outcome.kind === 'rejected' && FullonCacheError.is(outcome.error)) {
    return outcome.error.code === 'COMMAND' ? describeOutcome(outcome) : null;
  }
  return describeOutcome(outcome);
}

/**
 * Whether a call made after `close()` was refused as it must be: `ConnectionError`, `not-sent`.
 * @param outcome - How the call ended.
 * @returns `null` when right, else what is wrong.
 */
export function afterCloseProblem(outcome: Outcome): string | null {
  if (
    outcome.kind === 'rejected' &&
    ConnectionError.is(outcome.error) &&
    outcome.error.outcome === 'not-sent'
  ) {
    return null;
  }
  return describeOutcome(outcome);
}

/**
 * Compares two results for the garbage check.
 * @param a - One result.
 * @param b - The other.
 * @returns Whether they are deeply equal.
 */
export function sameResult(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}
