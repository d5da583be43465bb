import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt, type ScriptReply } from '@fullon/core/author';
import { BOT_LUA } from './lua.js';

/**
 * Releases a lease: only its holder (under the expected token, when one is given) may, unless
 * forced.
 *
 * KEYS[1] the lease hash; KEYS[2] its kind's index.
 * ARGV[1] holder, or `''` to release whoever holds it (force); ARGV[2] the token the lease must
 * carry, or `''`; ARGV[3] the index member.
 * Returns `ScriptReply.ok` released, `none` no lease, `stale` held by another holder or token
 * (nothing written), `wrongType` (not a hash) or `corrupt` (malformed fields) for a malformed
 * lease (nothing written; a forced release deletes it); or the corrupt reply naming the
 * index when it holds a foreign type, or the lease when it names another key (`k`) — nothing
 * written; a forced release deletes such a lease too.
 * @internal
 */
export const RELEASE = defineScript(
  'bot.release',
  `${BOT_LUA}
local bad = check_types({KEYS[2], 'zset'})
if bad then return bad end
local lease_type = redis.call('TYPE', KEYS[1]).ok
if lease_type == 'none' then
  redis.call('ZREM', KEYS[2], ARGV[3])
  return ScriptReply.none
end
if ARGV[1] ~= '' then
  if lease_type ~= 'hash' then return ScriptReply.wrongType end
  local foreign = lease_foreign(KEYS[1])
  if foreign then return foreign end
  local holder, token, expires, token_text = lease_read(KEYS[1])
  if not holder then return ScriptReply.corrupt end
  if holder ~= ARGV[1] or (ARGV[2] ~= '' and token_text ~= ARGV[2]) then return ScriptReply.stale end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[3])
return ScriptReply.ok
`,
);

/**
 * What {@link releaseLeaseScript} answers: `ok` released, `none` no lease, `stale` held by
 * another holder or token, `wrongType` / `corrupt` a malformed lease.
 */
export type ReleaseStatus =
  | typeof ScriptReply.ok
  | typeof ScriptReply.none
  | typeof ScriptReply.stale
  | typeof ScriptReply.wrongType
  | typeof ScriptReply.corrupt;

/**
 * Runs {@link RELEASE}.
 * @param conn - Connection.
 * @param keys - The lease and its index.
 * @param args - The holder (`undefined`: whoever holds it), the expected token, the member.
 * @returns What happened.
 * @throws {DecodeError} naming the index when it holds a foreign Redis type, or the lease when
 *   it names another key and `holder` is given (nothing written).
 */
export function releaseLeaseScript(
  conn: CacheConnectionLike,
  keys: { lease: string; index: string },
  args: { holder: string | undefined; token: number | undefined; member: string },
): Promise<ReleaseStatus> {
  return conn.runScript(
    RELEASE,
    [keys.lease, keys.index],
    [args.holder ?? '', args.token === undefined ? '' : String(args.token), args.member],
    undefined,
    (reply: ReleaseStatus) => rejectCorrupt(reply),
  );
}
