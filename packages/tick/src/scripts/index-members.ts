import type { CacheConnectionLike } from '@fullon/core';
import { defineScript } from '@fullon/core/author';
import { WRONG_TYPE } from './list-tickers.js';

/**
 * Reads an exchange's symbol index; a key of another type answers -1 instead of failing.
 *
 * KEYS[1] index. Returns the members, or -1.
 * @internal
 */
const INDEX_MEMBERS = defineScript(
  'tick.index-members',
  `
local members = redis.pcall('ZRANGE', KEYS[1], 0, -1)
if members.err then return ${WRONG_TYPE} end
return members
`,
);

/**
 * Runs {@link INDEX_MEMBERS}.
 * @internal
 * @param conn - Connection.
 * @param keys - The exchange's symbol `index`.
 * @returns The symbols, or {@link WRONG_TYPE}.
 */
export function indexMembersScript(
  conn: CacheConnectionLike,
  keys: { index: string },
): Promise<string[] | typeof WRONG_TYPE> {
  return conn.runScript(INDEX_MEMBERS, [keys.index], []);
}
