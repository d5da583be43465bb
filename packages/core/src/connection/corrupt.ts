import { DecodeError } from '../errors.js';

/**
 * Runs one decode of a listing: a `DecodeError` is reported and the entry skipped.
 * @param decode - Decodes the entry.
 * @param report - Receives a corrupt entry's error.
 * @returns The decoded entry, or `undefined` when it was corrupt.
 */
export function decodeOrReport<T>(
  decode: () => T,
  report: (error: DecodeError) => void,
): T | undefined {
  try {
    return decode();
  } catch (error) {
    if (!DecodeError.is(error)) throw error;
    report(error);
    return undefined;
  }
}

/**
 * The default `onCorrupt`: a process warning with code `FULLON_CACHE_CORRUPT_VALUE`.
 * @param error - The decode failure.
 */
export function warnCorrupt(error: DecodeError): void {
  process.emitWarning(error.message, { code: 'FULLON_CACHE_CORRUPT_VALUE' });
}
