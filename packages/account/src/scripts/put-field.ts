import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt, type ScriptReply } from '@fullon/core/author';
import { ACCOUNT_LUA } from './lua.js';

/**
 * Writes one field of an account hash (a balance or a position), renews the hash's TTL and
 * records the account in the index, in one step.
 *
 * KEYS[1] the hash; KEYS[2] the account index.
 * ARGV[1] exId; ARGV[2] TTL (ms); ARGV[3] field; ARGV[4] value bytes.
 * Returns `ScriptReply.added` when the field is new, `ScriptReply.ok` when it replaced a value,
 * or the corrupt reply naming a key of a foreign type (nothing written).
 * @internal Imported by `bench/` by relative path, to run the very same script raw.
 */
export const PUT_FIELD = defineScript(
  'account.put',
  `${ACCOUNT_LUA}
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'zset'})
if bad then return bad end
local added = redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
index_touch(KEYS[2], ARGV[1], ARGV[2])
if added == 1 then return ScriptReply.added end
return ScriptReply.ok
`,
);

/** What {@link putFieldScript} answers: `added` (a new field) or `ok` (a replaced value). */
export type PutReply = typeof ScriptReply.added | typeof ScriptReply.ok;

/**
 * Runs {@link PUT_FIELD}.
 * @param conn - Connection.
 * @param keys - The hash and the account index.
 * @param args - The account, its TTL, the field and its bytes.
 * @returns Whether the field was added or replaced.
 * @throws {DecodeError} naming a key of a foreign Redis type (nothing written).
 */
export function putFieldScript(
  conn: CacheConnectionLike,
  keys: { hash: string; index: string },
  args: { exId: string; ttl: string; field: string; bytes: Buffer },
): Promise<PutReply> {
  return conn.runScript(
    PUT_FIELD,
    [keys.hash, keys.index],
    [args.exId, args.ttl, args.field, args.bytes],
    undefined,
    (reply: PutReply) => rejectCorrupt(reply),
  );
}
