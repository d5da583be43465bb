import type { CacheConnectionLike } from '../connection/connection-like.js';
import { DecodeError } from '../errors.js';

/**
 * Decodes one entry of a listing: a corrupt entry is reported through the connection's
 * `onCorrupt` hook and skipped (`undefined`), as every listing must; any other error propagates.
 * @param conn - The connection whose hook receives the report.
 * @param decode - Decodes the entry (throws `DecodeError` on a corrupt value).
 * @returns The decoded entry, or `undefined` when it was corrupt.
 */
export function decodeListed<T>(conn: CacheConnectionLike, decode: () => T): T | undefined {
  try {
    return decode();
  } catch (error) {
    if (!DecodeError.is(error)) throw error;
    conn.reportCorrupt(error);
    return undefined;
  }
}
