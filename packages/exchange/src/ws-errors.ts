import type { CacheConnectionLike } from '@fullon/core';
import {
  type Id,
  isWellFormed,
  plainRecord,
  takeQueued,
  validate,
  WaitMs,
} from '@fullon/core/author';
import * as v from 'valibot';
import type { ExchangeKeys } from './keys.js';
import { pushWsErrorScript } from './scripts/push-ws-error.js';

/**
 * A websocket error message: 1 to 65 536 characters of well-formed text (a lone UTF-16
 * surrogate has no UTF-8 form: it would be stored as U+FFFD and read back changed).
 */
export const WsErrorMessage = v.pipe(
  v.string('must be a string'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(65_536, 'must be at most 65 536 characters'),
  v.check(isWellFormed, 'must be well-formed text (it holds a lone UTF-16 surrogate)'),
);

/** Options of `popWsError`. */
export interface PopWsErrorOptions {
  /**
   * How long to wait for a message, in ms; `0` checks once and returns at once. The wait runs
   * on a dedicated connection, so it may exceed the socket timeout. Required: nothing waits
   * forever (Python's `timeout=0` meant "forever").
   */
  timeoutMs: number;
}

/**
 * Appends a websocket error to an exchange's list, keeping the newest `cap`.
 * @internal
 * @param id - Exchange account id, already validated.
 * @returns The list length after the push.
 * @throws {ValidationError} naming `message`; nothing is written.
 */
export function pushWsError(
  conn: CacheConnectionLike,
  keys: ExchangeKeys,
  id: Id,
  message: string,
  cap: number,
  ttlMs: number,
): Promise<number> {
  const text = validate(WsErrorMessage, message, 'message');
  return pushWsErrorScript(conn, { list: keys.wsErrors(id) }, { message: text, cap, ttlMs });
}

/**
 * Takes the oldest websocket error of an exchange, waiting up to `timeoutMs` for one, at least
 * once (see `takeQueued`): a pop that fails never takes a message with it.
 * @internal
 * @param id - Exchange account id, already validated.
 * @returns The message, or `null` when none came in time.
 * @throws {ValidationError} naming `options` (absent or not a plain object) or `timeoutMs`.
 * @throws {DecodeError} naming the key when the list or its in-flight set holds another type.
 */
export async function popWsError(
  conn: CacheConnectionLike,
  keys: ExchangeKeys,
  id: Id,
  options: PopWsErrorOptions,
): Promise<string | null> {
  const timeoutMs = validate(WaitMs, plainRecord(options, 'options').timeoutMs, 'timeoutMs');
  const bytes = await takeQueued(conn, keys.wsErrorQueue(id), { timeoutMs });
  return bytes === null ? null : bytes.toString('utf8');
}
