import { DecodeError, ValidationError } from '@fullon/core';
import { checkName, Id, validate } from '@fullon/core/author';

/**
 * Checks an id (`exId`, `botId`): a name, or a whole number from 0 to `Number.MAX_SAFE_INTEGER`. The
 * common valid cases are decided without valibot (hot paths); anything else gets `Id`'s message.
 * @param value - Untrusted input.
 * @param field - Name for the error.
 * @returns The id's string form, which keys use (`7` and `'7'` are the same id).
 * @throws {ValidationError} naming `field`.
 * @internal
 */
export function idKey(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string') return checkName(value, field);
  return String(validate(Id, value, field));
}

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
    throw new DecodeError(key, undefined, 'a key of this call holds a foreign Redis type');
  }
  return reply;
}

/**
 * Checks that an options argument is an object (or absent).
 * @param value - Untrusted input.
 * @param field - Name for the error.
 * @returns The options as a record.
 * @throws {ValidationError} naming `field`.
 * @internal
 */
export function optionsObject(value: unknown, field = 'options'): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, `${field}: must be an object`);
  }
  return value as Record<string, unknown>;
}
