import type { CacheConnectionLike } from '@fullon/core';
import {
  defineScript,
  LUA_CHECK_TYPES,
  LUA_SCRIPT_REPLY,
  rejectCorrupt,
} from '@fullon/core/author';

/**
 * Checks, without writing, that a batch of pushes to one exchange's lists will not meet stored
 * garbage: every list is a list (or absent), the drop-counter hash is a hash (or absent), and
 * the counter of every list that the batch overflows is a whole number. `pushTrades` runs it
 * before a batch that takes more than one push script, so a batch that meets garbage writes
 * nothing rather than some markets. (Each push script checks again for itself.)
 *
 * KEYS[1] the exchange's drop-counter hash; KEYS[2..n+1] the n lists (same hash tag).
 * ARGV[1] cap; ARGV[2..n+1] each list's counter field; ARGV[n+2..2n+1] how many trades each
 * list receives.
 * Returns `ScriptReply.ok`, or core's corrupt reply naming the first spoiled key.
 * @internal
 */
export const CHECK_PUSH = defineScript(
  'trades.check-push',
  `-- KEYS[1] drop counters, KEYS[2..] lists | ARGV[1] cap, ARGV[2..] fields, then counts
${LUA_CHECK_TYPES}${LUA_SCRIPT_REPLY}
local n = #KEYS - 1
local checks = {KEYS[1], 'hash'}
for i = 1, n do
  checks[#checks + 1] = KEYS[1 + i]
  checks[#checks + 1] = 'list'
end
local bad = check_types(checks)
if bad then return bad end
local cap = tonumber(ARGV[1])
for i = 1, n do
  if redis.call('LLEN', KEYS[1 + i]) + tonumber(ARGV[1 + n + i]) > cap then
    local count = redis.call('HGET', KEYS[1], ARGV[1 + i])
    if count and (not string.match(count, '^%d+$') or #count > 15) then
      return corrupt(KEYS[1], ARGV[1 + i], 'the drop counter is not a whole number; nothing was pushed')
    end
  end
end
return ScriptReply.ok
`,
);

/** The keys of a checked batch: the exchange's drop-counter hash, then every list. */
export type CheckPushKeys = readonly [dropped: string, ...lists: string[]];

/** The arguments of a checked batch, one `fields` and `counts` entry per list of the keys. */
export interface CheckPushArgs {
  /** The list cap, as a decimal string. */
  readonly cap: string;
  /** Each list's field in the drop-counter hash. */
  readonly fields: readonly string[];
  /** How many trades the batch pushes to each list. */
  readonly counts: readonly number[];
}

/**
 * Runs {@link CHECK_PUSH}.
 * @param conn - The connection.
 * @param keys - The exchange's drop-counter hash, then the batch's lists.
 * @param args - The cap, and each list's counter field and trade count (in the keys' order).
 * @throws {DecodeError} naming the spoiled key (and counter field).
 * @internal
 */
export async function checkPushScript(
  conn: CacheConnectionLike,
  keys: CheckPushKeys,
  args: CheckPushArgs,
): Promise<void> {
  const argv = [args.cap, ...args.fields, ...args.counts.map(String)];
  await conn.runScript(CHECK_PUSH, keys, argv, undefined, rejectCorrupt);
}
