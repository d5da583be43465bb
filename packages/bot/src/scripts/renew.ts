import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt, type ScriptReply } from '@fullon/core/author';
import { BOT_LUA } from './lua.js';

/**
 * Renews a lease for its holder: the expiry moves to now + TTL (server clock), the token stays.
 *
 * KEYS[1] the lease hash; KEYS[2] its kind's index.
 * ARGV[1] holder; ARGV[2] TTL (ms); ARGV[3] the token the lease must carry, or `''` for any;
 * ARGV[4] the index member.
 * Returns `{status, expiresAt}`: `ScriptReply.ok` renewed, `none` no lease (expired or
 * released), `stale` held by another holder or under another token (stolen), `corrupt` malformed
 * fields; or the corrupt reply naming a key
 * of a foreign type, or the lease when it names another key (`k`) — nothing written. A renewal
 * stamps the lease's own key name into `k` (a lease written before leases carried it).
 * @internal
 */
export const RENEW = defineScript(
  'bot.renew',
  `${BOT_LUA}
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'zset'})
if bad then return bad end
if redis.call('EXISTS', KEYS[1]) == 0 then return {ScriptReply.none} end
local foreign = lease_foreign(KEYS[1])
if foreign then return foreign end
local holder, token, expires, token_text = lease_read(KEYS[1])
if not holder then return {ScriptReply.corrupt} end
if holder ~= ARGV[1] or (ARGV[3] ~= '' and token_text ~= ARGV[3]) then return {ScriptReply.stale} end
local renewed = now_ms() + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'e', num(renewed), 'k', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], num(renewed), ARGV[4])
keep_index(KEYS[2], ARGV[2])
return {ScriptReply.ok, renewed}
`,
);

/**
 * Status of {@link renewLeaseScript}'s reply: `ok` renewed, `none` no lease, `stale` stolen,
 * `corrupt` malformed fields.
 */
export type RenewStatus =
  | typeof ScriptReply.ok
  | typeof ScriptReply.none
  | typeof ScriptReply.stale
  | typeof ScriptReply.corrupt;

/**
 * Runs {@link RENEW}.
 * @param conn - Connection.
 * @param keys - The lease and its index.
 * @param args - Holder, TTL, the expected token (or `undefined`), the index member.
 * @returns The status, and the new expiry when renewed.
 * @throws {DecodeError} naming a key of a foreign Redis type, or the lease when it names
 *   another key (nothing written).
 */
export function renewLeaseScript(
  conn: CacheConnectionLike,
  keys: { lease: string; index: string },
  args: { holder: string; ttl: string; token: number | undefined; member: string },
): Promise<[RenewStatus, number?]> {
  return conn.runScript(
    RENEW,
    [keys.lease, keys.index],
    [args.holder, args.ttl, args.token === undefined ? '' : String(args.token), args.member],
    undefined,
    (reply: [RenewStatus, number?]) => rejectCorrupt(reply),
  );
}
