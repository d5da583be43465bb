import { DecodeError } from '@fullon/core';

/**
 * Throws when a script reported a key of a foreign type (nothing was written).
 * @param reply - The script's reply.
 * @param key - A key of the call, for the error.
 * @returns The reply, when it is not the foreign-type status.
 * @throws {DecodeError} when the reply is -1.
 * @internal
 */
export function checkWritten(reply: number, key: string): number {
  if (reply === -1) {
    throw new DecodeError(key, undefined, 'a key of this account holds a foreign Redis type');
  }
  return reply;
}
