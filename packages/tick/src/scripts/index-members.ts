import type { CacheConnectionLike } from '@fullon/core';
import { defineScript, LUA_SCRIPT_REPLY, type ScriptReply } from '@fullon/core/author';

/**
 * Reads an exchange's symbol index; a key of another type answers `ScriptReply.wrongType` instead
 * of failing.
 *
 * KEYS[1] index. Returns the members, or `ScriptReply.wrongType`.
 * @internal
 */
const INDEX_MEMBERS = defineScript(
  'tick.index-members',
  `${LUA_SCRIPT_REPLY}
local members = redis.pcall('ZRANGE', KEYS[1], 0, -1)
if members.err then return ScriptReply.wrongType end
return members
`,
);

/**
 * Runs {@link INDEX_MEMBERS}.
 * @internal
 * @param conn - Connection.
 * @param keys - The exchange's symbol `index`.
 * @returns The symbols, or `ScriptReply.wrongType`.
 */
export function indexMembersScript(
  conn: CacheConnectionLike,
  keys: { index: string },
): Promise<string[] | typeof ScriptReply.wrongType> {
  return conn.runScript(INDEX_MEMBERS, [keys.index], []);
}
