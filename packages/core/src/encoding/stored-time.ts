import { DecodeError } from '../errors.js';
import { MAX_EPOCH_MS, MIN_EPOCH_MS } from '../validation/schemas.js';

/**
 * Whether `value` is a time an {@link EpochMs} input would accept: a finite number from
 * `MIN_EPOCH_MS` to `MAX_EPOCH_MS`.
 * @param value - Anything.
 * @returns `true` for a valid epoch-ms time.
 */
export function isEpochMs(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= MIN_EPOCH_MS &&
    value <= MAX_EPOCH_MS
  );
}

/**
 * Decodes an epoch-ms time read from Redis, e.g. a sorted-set score (`ZSCORE`, `WITHSCORES`
 * replies are strings such as `1717171717171`, `inf` or `-1`). A score is whatever was written
 * to the key, so a time outside the valid range (`±inf`, a negative number, `1e300`) is stored
 * garbage, never a time to hand back.
 * @param raw - The reply: a string or a number.
 * @param key - The key it was read from, for the error.
 * @param field - The member or field it belongs to, for the error.
 * @returns The time, epoch ms.
 * @throws {DecodeError} naming `key` (and `field`) when it is not a valid epoch-ms time.
 */
export function decodeStoredTime(raw: string | number, key: string, field?: string): number {
  const value = typeof raw === 'number' ? raw : raw.trim() === '' ? Number.NaN : Number(raw);
  if (isEpochMs(value)) return value;
  throw new DecodeError(
    key,
    field,
    `stored time ${JSON.stringify(String(raw))} is not epoch milliseconds from ${MIN_EPOCH_MS} to ${MAX_EPOCH_MS}`,
  );
}
