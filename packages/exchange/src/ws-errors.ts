import { type CacheConnection, WaitMs } from '@fullon/core';
import * as v from 'valibot';
import { wsErrorsKey } from './keys.js';
import { Id } from './schema.js';
import { pushWsErrorScript } from './scripts/push-ws-error.js';
import { check } from './validation.js';

/** A websocket error message: 1 to 65 536 characters. */
export const WsErrorMessage = v.pipe(
  v.string('must be a string'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(65_536, 'must be at most 65 536 characters'),
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
 * @param conn - Connection.
 * @param exId - Exchange account id.
 * @param message - The error text.
 * @param cap - List cap.
 * @param ttlMs - List TTL, renewed on every push.
 * @returns The list length after the push.
 * @throws {ValidationError} naming `exId` or `message`; nothing is written.
 */
export async function pushWsError(
  conn: CacheConnection,
  exId: Id,
  message: string,
  cap: number,
  ttlMs: number,
): Promise<number> {
  const id = check(Id, exId, 'exId');
  const text = check(WsErrorMessage, message, 'message');
  const key = wsErrorsKey(conn.keys, id);
  return conn.runScript<number>(pushWsErrorScript, [key], [text, String(cap), String(ttlMs)]);
}

/**
 * Takes the oldest websocket error of an exchange, waiting up to `timeoutMs` for one.
 * @param conn - Connection.
 * @param exId - Exchange account id.
 * @param options - `timeoutMs`.
 * @returns The message, or `null` when none came in time.
 * @throws {ValidationError} naming `exId` or `timeoutMs`.
 */
export async function popWsError(
  conn: CacheConnection,
  exId: Id,
  options: PopWsErrorOptions,
): Promise<string | null> {
  const id = check(Id, exId, 'exId');
  const timeoutMs = check(WaitMs, (options as Partial<PopWsErrorOptions>)?.timeoutMs, 'timeoutMs');
  const key = wsErrorsKey(conn.keys, id);
  if (timeoutMs === 0) return conn.send<string | null>(key, ['LPOP', key]);
  const reply = await conn.blocking<[string, string] | null>(key, [
    'BLPOP',
    key,
    (timeoutMs / 1000).toString(),
  ]);
  return reply === null ? null : reply[1];
}
