import type { DecodeError } from '../errors.js';

/**
 * The default `onCorrupt`: a process warning with code `FULLON_CACHE_CORRUPT_VALUE`.
 * @param error - The decode failure.
 */
export function warnCorrupt(error: DecodeError): void {
  process.emitWarning(error.message, { code: 'FULLON_CACHE_CORRUPT_VALUE' });
}
