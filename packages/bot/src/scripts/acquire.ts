import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt, type ScriptReply } from '@fullon/core/author';
import { BOT_LUA } from './lua.js';

/**
 * Takes or renews a lease (a block, or an opening marker) in one step.
 *
 * KEYS[1] the lease hash; KEYS[2] its kind's index; KEYS[3] the fencing counter.
 * ARGV[1] holder (botId string); ARGV[2] TTL (ms); ARGV[3] `1` to take it from any holder;
 * ARGV[4] the index member.
 *
 * Held by the same holder (and not forced): the expiry moves to now + TTL, the token stays.
 * Free, or forced: a new token = max(last token + 1, server time in µs) — strictly larger than
 * every token issued before, and, because it never falls behind the clock, larger than every
 * token issued before a restart or failover that lost the counter (while the servers' clocks
 * agree to within the outage).
 *
 * Returns `{status, holder, token, expiresAt}`: status `ScriptReply.added` taken (a new
 * holder), `ok` renewed by its holder, `conflict` held by another holder (its holder, token and
 * expiry), `wrongType` the lease is not a hash or `corrupt` its fields are malformed (`force`
 * overwrites either); or the corrupt reply naming the index or the counter when either holds a
 * foreign type or value, or naming the lease when it names another key (`k`; `force`
 * overwrites it) — nothing written in either case. Every write stores the lease's own key
 * name in `k` (a renewal stamps it into a lease written before leases carried it).
 * @internal Imported by `bench/` by relative path, to run the very same script raw.
 */
export const ACQUIRE = defineScript(
  'bot.acquire',
  `${BOT_LUA}
local force = ARGV[3] == '1'
local bad = check_types({KEYS[2], 'zset', KEYS[3], 'string'})
if bad then return bad end
local last = 0
local stored = redis.call('GET', KEYS[3])
if stored then
  last = tonumber(stored)
  if not last or not string.match(stored, '^%d+$') then
    return corrupt(KEYS[3], false, 'the fencing counter is not a whole number')
  end
end
local lease_type = redis.call('TYPE', KEYS[1]).ok
if lease_type ~= 'none' and not force then
  if lease_type ~= 'hash' then return {ScriptReply.wrongType} end
  local foreign = lease_foreign(KEYS[1])
  if foreign then return foreign end
  local holder, token, expires = lease_read(KEYS[1])
  if not holder then return {ScriptReply.corrupt} end
  if holder ~= ARGV[1] then return {ScriptReply.conflict, holder, token, expires} end
  local renewed = now_ms() + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'e', num(renewed), 'k', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('ZADD', KEYS[2], num(renewed), ARGV[4])
  keep_index(KEYS[2], ARGV[2])
  return {ScriptReply.ok, holder, token, renewed}
end
local now = now_us()
local token = math.max(last + 1, now)
local expires = math.floor(now / 1000) + tonumber(ARGV[2])
redis.call('SET', KEYS[3], num(token))
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 't', num(token), 'e', num(expires), 'k', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. num(math.floor(now / 1000)))
redis.call('ZADD', KEYS[2], num(expires), ARGV[4])
keep_index(KEYS[2], ARGV[2])
return {ScriptReply.added, ARGV[1], token, expires}
`,
);

/**
 * Status of {@link acquireLeaseScript}'s reply: `added` taken, `ok` renewed by its holder,
 * `conflict` held by another, `wrongType` / `corrupt` a malformed lease.
 */
export type AcquireStatus =
  | typeof ScriptReply.added
  | typeof ScriptReply.ok
  | typeof ScriptReply.conflict
  | typeof ScriptReply.wrongType
  | typeof ScriptReply.corrupt;

/** What {@link acquireLeaseScript} answers: status, then holder, token and expiry when known. */
export type AcquireReply = [AcquireStatus, string?, number?, number?];

/**
 * Runs {@link ACQUIRE}.
 * @param conn - Connection.
 * @param keys - The lease, its index and the fencing counter.
 * @param args - Holder, TTL, whether to force, the index member.
 * @returns The status and the lease as it stands.
 * @throws {DecodeError} naming the index or the counter when either is stored garbage, or the
 *   lease when it names another key and `force` is not set.
 */
export function acquireLeaseScript(
  conn: CacheConnectionLike,
  keys: { lease: string; index: string; fence: string },
  args: { holder: string; ttl: string; force: boolean; member: string },
): Promise<AcquireReply> {
  return conn.runScript(
    ACQUIRE,
    [keys.lease, keys.index, keys.fence],
    [args.holder, args.ttl, args.force ? '1' : '0', args.member],
    undefined,
    (reply: AcquireReply) => rejectCorrupt(reply),
  );
}
