import type { CacheConnectionLike } from '@fullon/core';
import { BUFFERS, defineScript, rejectCorrupt, ScriptReply } from '@fullon/core/author';
import type { QueueKeys } from '../keys.js';
import { checkQueueTypes, QUEUE_LUA } from './queue-lua.js';

/**
 * Sweeps expired leases, then takes the order at the head of the queue: removes it (`pop`), or
 * leases it to the caller (`claim`: attempts + 1, token stored, lease deadline = now +
 * visibility); `sweep` only sweeps.
 *
 * KEYS: the seven queue keys (see QUEUE_LUA).
 * ARGV[1] mode `pop` | `claim` | `sweep`; ARGV[2] claim token; ARGV[3] visibility (ms);
 * ARGV[4] max attempts; ARGV[5] dead-letter cap; ARGV[6] `1` when the caller already took a
 * wake-up token (BLPOP on the signal list), else `0`; ARGV[7] most leases swept per call.
 * Returns `{ScriptReply.ok, id, bytes}` (pop), `{ScriptReply.ok, id, bytes, attempts}` (claim),
 * `{ScriptReply.none, ms}` when the queue is empty (ms until the next lease deadline, -1 when no lease), `{requeued, buried}` (sweep),
 * or core's corrupt reply (a key of another Redis type, a claim count that is not a whole
 * number) with nothing written.
 * @internal Imported by `bench/` by relative path, to run the very same script raw.
 */
export const TAKE_ORDER = defineScript(
  'orders.take',
  `-- KEYS: queue keys | ARGV[1] mode, [2] token, [3] visibility ms, [4] max attempts, [5] dead cap, [6] token taken, [7] sweep limit
${QUEUE_LUA}
${checkQueueTypes([1, 2, 3, 4, 5, 6, 7])}
local now = now_ms()
local expired = expired_leases(now, tonumber(ARGV[7]))
-- Every claim count this call may read, checked before the first write: the expired leases'
-- (the sweep reads them, and requeues them to the head) and, for a claim, those of the ids the
-- take loop visits: it drops ids without an order until it finds one.
local bad = check_attempts(expired)
if not bad and ARGV[1] == 'claim' then
  local from = 0
  local done = false
  while not done and not bad do
    local ids = redis.call('LRANGE', KEYS[1], from, from + 99)
    for i = 1, #ids do
      bad = check_attempts({ids[i]})
      if bad or redis.call('HEXISTS', KEYS[2], ids[i]) == 1 then
        done = true
        break
      end
    end
    if #ids < 100 then done = true end
    from = from + 100
  end
end
if bad then return bad end
local requeued, buried = sweep(expired, now, tonumber(ARGV[4]), tonumber(ARGV[5]))
if ARGV[1] == 'sweep' then return {requeued, buried} end
local token_taken = ARGV[6] == '1'
while true do
  local id = redis.call('LINDEX', KEYS[1], 0)
  if not id then
    -- Nothing to take: any token left would only wake a consumer for nothing.
    redis.call('DEL', KEYS[5])
    local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
    if first[2] then return {ScriptReply.none, tonumber(first[2]) - now} end
    return {ScriptReply.none, -1}
  end
  local attempts = 0
  if ARGV[1] == 'claim' then
    attempts = attempts_of(id)
    -- Checked above for every id the loop visits; kept so a miss can never write garbage.
    if not attempts then return check_attempts({id}) end
  end
  redis.call('LPOP', KEYS[1])
  if not token_taken then redis.call('LPOP', KEYS[5]) end
  token_taken = false
  local bytes = redis.call('HGET', KEYS[2], id)
  if bytes then
    if ARGV[1] == 'pop' then
      redis.call('HDEL', KEYS[2], id)
      redis.call('HDEL', KEYS[4], 'a:' .. id, 't:' .. id)
      return {ScriptReply.ok, id, bytes}
    end
    attempts = attempts + 1
    redis.call('HSET', KEYS[4], 'a:' .. id, attempts, 't:' .. id, ARGV[2])
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), id)
    return {ScriptReply.ok, id, bytes, attempts}
  end
  redis.call('HDEL', KEYS[4], 'a:' .. id, 't:' .. id)
end
`,
);

/** Most expired leases one script call sweeps (the rest go on the next call). */
export const SWEEP_LIMIT = 100;

/** Settings every take needs. */
export interface TakeSettings {
  /** Claims after which an expired or released order is dead-lettered. */
  maxAttempts: number;
  /** Dead letters kept per queue. */
  deadCap: number;
}

/** What {@link takeOrderScript} answers. */
export type TakeReply =
  | { taken: true; orderId: string; bytes: Buffer; attempts: number }
  | { taken: false; nextLeaseMs: number };

/** The arguments of one {@link takeOrderScript}; the wait loop reuses one object per call. */
export interface TakeOrderArgs {
  /** `pop` removes the order; `claim` leases it. */
  readonly mode: 'pop' | 'claim';
  /** The claim token (`''` for a pop). */
  readonly token: string;
  /** Lease length in ms (0 for a pop). */
  readonly visibilityMs: number;
  /** Whether the caller consumed a wake-up token from the signal list. */
  tokenTaken: boolean;
  /** Max attempts and dead-letter cap, as strings. */
  readonly settings: TakeArgs;
}

/** {@link TakeSettings} as script arguments, built once per cache. */
export interface TakeArgs {
  readonly maxAttempts: string;
  readonly deadCap: string;
}

/**
 * @param settings - Max attempts and dead-letter cap.
 * @returns Them as script arguments.
 * @internal
 */
export function takeArgs(settings: TakeSettings): TakeArgs {
  return { maxAttempts: String(settings.maxAttempts), deadCap: String(settings.deadCap) };
}

const SWEEP_LIMIT_ARG = String(SWEEP_LIMIT);

/**
 * Runs {@link TAKE_ORDER} in `pop` or `claim` mode.
 * @param conn - Connection.
 * @param keys - The queue's keys.
 * @param args - Mode, token, visibility, whether a wake-up token was taken, settings.
 * @param next - What to do with the reply (the order taken, or when the next lease expires),
 *   run in the script call's own promise step.
 * @returns What `next` returned.
 * @internal
 */
export function takeOrderScript<R>(
  conn: CacheConnectionLike,
  keys: QueueKeys,
  args: TakeOrderArgs,
  next: (reply: TakeReply) => R | PromiseLike<R>,
): Promise<R> {
  return conn.runScript(
    TAKE_ORDER,
    keys.all,
    [
      args.mode,
      args.token,
      String(args.visibilityMs),
      args.settings.maxAttempts,
      args.settings.deadCap,
      args.tokenTaken ? '1' : '0',
      SWEEP_LIMIT_ARG,
    ],
    BUFFERS,
    (raw: RawTakeReply) => next(toTakeReply(rejectCorrupt(raw))),
  );
}

/** The script's reply to a pop or claim. */
type RawTakeReply = [number, Buffer | number, Buffer?, number?];

/** Reads the script's reply: `[ok, id, bytes, attempts?]`, or `[none, next lease ms | -1]`. */
function toTakeReply([status, second, bytes, attempts]: RawTakeReply): TakeReply {
  if (status === ScriptReply.ok && Buffer.isBuffer(second) && Buffer.isBuffer(bytes)) {
    return { taken: true, orderId: second.toString(), bytes, attempts: attempts ?? 0 };
  }
  return { taken: false, nextLeaseMs: typeof second === 'number' ? second : -1 };
}

/**
 * Runs {@link TAKE_ORDER} in `sweep` mode.
 * @param conn - Connection.
 * @param keys - The queue's keys.
 * @param args - Max attempts and dead-letter cap.
 * @returns How many expired claims went back to the queue and how many to the dead letters.
 * @internal
 */
export async function sweepLeasesScript(
  conn: CacheConnectionLike,
  keys: QueueKeys,
  args: TakeSettings,
): Promise<{ requeued: number; deadLettered: number }> {
  const [requeued, deadLettered] = await conn.runScript<[number, number], [number, number]>(
    TAKE_ORDER,
    keys.all,
    ['sweep', '', '0', String(args.maxAttempts), String(args.deadCap), '0', String(SWEEP_LIMIT)],
    undefined,
    rejectCorrupt,
  );
  return { requeued, deadLettered };
}
