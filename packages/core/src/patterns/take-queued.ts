import { randomBytes } from 'node:crypto';
import type { CacheConnectionLike } from '../connection/connection-like.js';
import { DecodeError, FullonCacheError } from '../errors.js';
import { ScriptReply } from '../scripts/script-reply.js';
import { TAKE_QUEUED, TAKE_TOKEN_LENGTH } from '../scripts/take-queued.js';
import { BUFFERS } from '../util/send-options.js';

/**
 * How long a taken item stays in flight before a later take puts it back at the head of its
 * queue, unless the taker confirmed it (ms). Only a take whose reply never reached the caller
 * (a connection lost, a stall, a process killed) waits for it. Defaults to 30 000 ms.
 */
export const DEFAULT_TAKE_LEASE_MS = 30_000;

/** Most in-flight entries a queue keeps; past it the oldest go back early. */
export const MAX_IN_FLIGHT = 10_000;

/** Most entries one take puts back (Lua's `unpack` has a stack limit). */
const PUT_BACK_LIMIT = 100;

/** The keys of a queue that {@link takeQueued} takes from. */
export interface TakeQueuedKeys {
  /** The list, oldest item first. */
  readonly queue: string;
  /** Its in-flight set: {@link inFlightKey} of the queue. */
  readonly inFlight: string;
}

/** Options of {@link takeQueued}. */
export interface TakeQueuedOptions {
  /** How long to wait for an item, in ms (already validated); `0` looks once. */
  readonly timeoutMs: number;
  /** See {@link DEFAULT_TAKE_LEASE_MS}. */
  readonly leaseMs?: number;
}

/**
 * The in-flight set of a queue: the queue's key with `:in-flight`, in the queue's hash slot —
 * the queue's own hash tag when it has one, else the whole queue key as the tag.
 * @param queue - The queue's key.
 * @returns The in-flight set's key.
 * @throws {FullonCacheError} when the key has a `{` but no non-empty hash tag (a key
 *   `KeyBuilder` never builds).
 */
export function inFlightKey(queue: string): string {
  const open = queue.indexOf('{');
  if (open < 0) return `${queue}:in-flight:{${queue}}`;
  const close = queue.indexOf('}', open + 1);
  if (close > open + 1) return `${queue}:in-flight`;
  // Redis hashes such a key whole, and no suffix or tag can keep that slot.
  throw new FullonCacheError(`queue key ${queue} has a "{" but no hash tag`);
}

type TakeReply =
  | [typeof ScriptReply.ok, Buffer]
  | [typeof ScriptReply.none, number]
  | [typeof ScriptReply.wrongType, number]
  | [typeof ScriptReply.corrupt];

/**
 * Takes the oldest item of a queue, at least once: an item is never lost by a call that is
 * abandoned (a stall, a lost connection, a killed process). The take moves the item into the
 * queue's in-flight set with a lease, in one script, and the call removes it from there once
 * it holds the item; an item whose lease ran out goes back to the head of the queue on a later
 * take. The wait blocks on a dedicated connection with `BLMOVE queue queue LEFT LEFT` — a move
 * of the head onto itself that takes nothing — so an abandoned wait cannot take an item; each
 * wake-up takes with the script. The wait ends by its deadline, and sooner when an in-flight
 * lease runs out (its item is taken then).
 *
 * An item may thus be delivered twice: when the reply reached the caller but the removal from
 * the in-flight set failed, or a taker kept it past its lease.
 * @param conn - The connection.
 * @param keys - The queue and its in-flight set (same hash slot).
 * @param options - `timeoutMs`, `leaseMs`.
 * @returns The item's bytes, or `null` when none came in time.
 * @throws {DecodeError} naming the key when the queue or the in-flight set holds another type
 *   or a malformed entry; nothing is written.
 * @throws {ConnectionError} when Redis is unreachable.
 */
export async function takeQueued(
  conn: CacheConnectionLike,
  keys: TakeQueuedKeys,
  options: TakeQueuedOptions,
): Promise<Buffer | null> {
  const deadline = Date.now() + options.timeoutMs;
  const token = randomBytes(TAKE_TOKEN_LENGTH / 2).toString('hex');
  const argv = [token, String(options.leaseMs ?? DEFAULT_TAKE_LEASE_MS), String(PUT_BACK_LIMIT)];
  argv.push(String(MAX_IN_FLIGHT));
  const scriptKeys = [keys.queue, keys.inFlight];
  for (;;) {
    const reply = await conn.runScript<TakeReply>(TAKE_QUEUED, scriptKeys, argv, BUFFERS);
    if (reply[0] === ScriptReply.ok) {
      const item = reply[1];
      // The caller holds the item: a failed removal means a possible second delivery, never
      // a loss, so the item is returned either way.
      await conn
        .send(keys.inFlight, ['ZREM', keys.inFlight, Buffer.concat([Buffer.from(token), item])])
        .catch(() => undefined);
      return item;
    }
    if (reply[0] === ScriptReply.wrongType) {
      const key = reply[1] === 1 ? keys.queue : keys.inFlight;
      throw new DecodeError(key, undefined, 'the key holds another Redis type');
    }
    if (reply[0] === ScriptReply.corrupt) {
      throw new DecodeError(keys.inFlight, undefined, 'an in-flight entry is malformed');
    }
    const remaining = deadline - Date.now();
    if (remaining < 1) return null;
    const nextLease = reply[1];
    const wait = nextLease >= 0 ? Math.min(remaining, nextLease + 1) : remaining;
    await conn.blocking(keys.queue, [
      'BLMOVE',
      keys.queue,
      keys.queue,
      'LEFT',
      'LEFT',
      (Math.max(wait, 1) / 1000).toFixed(3),
    ]);
  }
}
