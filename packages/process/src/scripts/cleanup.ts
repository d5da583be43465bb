import type { CacheConnectionLike, RedisArg } from '@fullon/core';
import { defineScript, MAX_EPOCH_MS, MIN_EPOCH_MS, rejectCorrupt } from '@fullon/core/author';
import { PRUNE_LUA, RECORD_LUA } from './record-lua.js';

/**
 * Cleans one page of the live index, in one step. For each given process still in the live
 * index: no record (it expired or was deleted) → its entry is removed (dangling); a record
 * that does not decode, or a key of another Redis type in its place → its entry is removed and
 * its id returned (the record is left for
 * inspection); an index score that is not an epoch-ms time (`inf`, `-1`, `1e300`: garbage, it
 * says nothing about the heartbeat) → its entry is removed and its id returned (the record
 * stays; its next heartbeat enters it again); last heartbeat before the stale cutoff → stopped
 * (status `stopped`, the given message, moved to the stopped index, lives a TTL from now);
 * otherwise left in place. The stopped index loses entries older than the TTL.
 *
 * Every record is read and decoded, and every new record encoded, before the first write.
 *
 * KEYS[1] live index, KEYS[2] stopped index (KEYS[2..4] get their TTL renewed), KEYS[3]
 * components, KEYS[4] live index again (placeholder), then one record key per id.
 * ARGV[1] codec, ARGV[2] now, ARGV[3] TTL, ARGV[4] stale cutoff (ms), ARGV[5] message, then
 * the ids, aligned with KEYS[5..].
 * Returns `{stopped, dangling, kept, #corrupt, corrupt ids…, bad-score ids…}`, or core's
 * corrupt reply naming an index key that holds another Redis type (nothing written).
 * @internal
 */
const CLEANUP = defineScript(
  'process.cleanup',
  `-- KEYS live, stopped, components, live, records... | ARGV codec, now, ttl, cutoff, message, ids...
${RECORD_LUA}
${PRUNE_LUA}
local bad = check_types({KEYS[1], 'zset', KEYS[2], 'zset', KEYS[3], 'hash'})
if bad then return bad end
local now, ttl, cutoff = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local stale, dangling, corrupt, badScore, kept = {}, {}, {}, {}, 0
for i = 6, #ARGV do
  local id, key = ARGV[i], KEYS[i - 1]
  local score = redis.call('ZSCORE', KEYS[1], id)
  local at = score and tonumber(score)
  if score and (at == nil or at ~= at or at < ${MIN_EPOCH_MS} or at > ${MAX_EPOCH_MS}) then
    badScore[#badScore + 1] = id
  elseif score and at < cutoff then
    local kind = redis.call('TYPE', key).ok
    local raw = kind == 'string' and redis.call('GET', key)
    if kind == 'none' then
      dangling[#dangling + 1] = id
    elseif not raw then
      -- A key of another Redis type where the record should be: garbage, like bad bytes.
      corrupt[#corrupt + 1] = id
    else
      local t = decode(raw, id)
      if t then
        t[5] = 'stopped'
        t[6] = ARGV[5]
        t[9] = now
        stale[#stale + 1] = {id, key, encode(t)}
      else
        corrupt[#corrupt + 1] = id
      end
    end
  elseif score then
    if redis.call('EXISTS', key) == 0 then dangling[#dangling + 1] = id else kept = kept + 1 end
  end
end
for _, s in ipairs(stale) do
  redis.call('SET', s[2], s[3], 'PX', ttl)
  redis.call('ZREM', KEYS[1], s[1])
  redis.call('ZADD', KEYS[2], now, s[1])
end
for _, id in ipairs(dangling) do redis.call('ZREM', KEYS[1], id) end
for _, id in ipairs(corrupt) do redis.call('ZREM', KEYS[1], id) end
for _, id in ipairs(badScore) do redis.call('ZREM', KEYS[1], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ttl)))
if #stale > 0 then refresh(ttl) end
local reply = {#stale, #dangling, kept, #corrupt}
for _, id in ipairs(corrupt) do reply[#reply + 1] = id end
for _, id in ipairs(badScore) do reply[#reply + 1] = id end
return reply
`,
);

/** Keys of {@link cleanupScript}. */
export interface CleanupKeys {
  /** The live index. */
  live: string;
  /** The stopped index. */
  stopped: string;
  /** Component → processId. */
  components: string;
  /** The record keys of the page's ids, aligned with `ids`. */
  records: readonly string[];
}

/** Arguments of {@link cleanupScript}. */
export interface CleanupArgs {
  /** The connection's codec name. */
  codec: string;
  /** Current time (ms). */
  now: number;
  /** Record TTL (ms). */
  ttlMs: string;
  /** Heartbeats before this (ms) are stale. */
  cutoff: number;
  /** Message of the processes stopped. */
  message: string;
  /** The page of ids. */
  ids: readonly string[];
}

/** What one page of cleanup did. */
export interface CleanupPage {
  /** Stale processes stopped. */
  stopped: number;
  /** Entries removed because their record is gone. */
  dangling: number;
  /** Entries left in place (live). */
  kept: number;
  /** Ids whose stale record is corrupt (entry removed). */
  corrupt: string[];
  /** Ids whose index score is not an epoch-ms time (entry removed, record left). */
  badScore: string[];
}

/**
 * Runs the cleanup script on one page of ids.
 * @param conn - Connection.
 * @param keys - The shared keys and the page's record keys.
 * @param args - The page and its context.
 * @returns What it did.
 * @throws {DecodeError} naming an index key that holds another Redis type (nothing written).
 * @internal
 */
export async function cleanupScript(
  conn: CacheConnectionLike,
  keys: CleanupKeys,
  args: CleanupArgs,
): Promise<CleanupPage> {
  const argv: RedisArg[] = [
    args.codec,
    String(args.now),
    args.ttlMs,
    String(args.cutoff),
    args.message,
    ...args.ids,
  ];
  const reply = await conn.runScript<(number | string)[], (number | string)[]>(
    CLEANUP,
    [keys.live, keys.stopped, keys.components, keys.live, ...keys.records],
    argv,
    undefined,
    rejectCorrupt,
  );
  const [stopped, dangling, kept, corruptCount, ...ids] = reply;
  const split = Number(corruptCount);
  return {
    stopped: Number(stopped),
    dangling: Number(dangling),
    kept: Number(kept),
    corrupt: ids.slice(0, split).map(String),
    badScore: ids.slice(split).map(String),
  };
}
