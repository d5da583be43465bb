import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, rejectCorrupt, type ScriptReply } from '@fullon/core/author';
import { ACCOUNT_LUA } from './lua.js';

/**
 * Deletes one field of an account hash; the account leaves the index when both its hashes are
 * gone.
 *
 * KEYS[1] the hash; KEYS[2] the account's other hash; KEYS[3] the account index.
 * ARGV[1] exId; ARGV[2] field.
 * Returns `ScriptReply.ok` when the field existed, `ScriptReply.none` when not, or the corrupt
 * reply naming a key of a foreign type (nothing written).
 * @internal
 */
export const DELETE_FIELD = defineScript(
  'account.delete',
  `${ACCOUNT_LUA}
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'hash', KEYS[3], 'zset'})
if bad then return bad end
local removed = redis.call('HDEL', KEYS[1], ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then index_leave(KEYS[3], ARGV[1], KEYS[2]) end
if removed == 1 then return ScriptReply.ok end
return ScriptReply.none
`,
);

/** What {@link deleteFieldScript} answers: `ok` (deleted) or `none` (absent). */
export type DeleteReply = typeof ScriptReply.ok | typeof ScriptReply.none;

/**
 * Runs {@link DELETE_FIELD}.
 * @param conn - Connection.
 * @param keys - The hash, the account's other hash, the account index.
 * @param args - The account and the field.
 * @returns `ScriptReply.ok` when deleted, `ScriptReply.none` when absent.
 * @throws {DecodeError} naming a key of a foreign Redis type (nothing written).
 */
export function deleteFieldScript(
  conn: CacheConnectionLike,
  keys: { hash: string; other: string; index: string },
  args: { exId: string; field: string },
): Promise<DeleteReply> {
  return conn.runScript(
    DELETE_FIELD,
    [keys.hash, keys.other, keys.index],
    [args.exId, args.field],
    undefined,
    (reply: DeleteReply) => rejectCorrupt(reply),
  );
}
