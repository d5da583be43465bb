import { LUA_CHECK_TYPES } from './lua-snippets.js';
import { defineScript } from './script.js';
import { LUA_SCRIPT_REPLY } from './script-reply.js';

/**
 * Writes one field of a complete-copy hash and renews its TTL. When the hash is absent it is
 * created (with the completeness marker) only if ARGV[2] is `1`: with a loader configured, an
 * absent hash means "not loaded yet", and a one-field hash would pass for the complete set.
 *
 * KEYS[1] the hash
 * ARGV[1] TTL in ms; ARGV[2] `1` to create when absent; ARGV[3] marker; ARGV[4] field; ARGV[5] value
 * Returns `ScriptReply.ok` when written, `ScriptReply.none` when the hash was absent and not created, or the corrupt reply of
 * `LUA_CHECK_TYPES` when the key holds another Redis type (nothing written).
 */
export const UPSERT_HASH_FIELD = defineScript(
  'core.upsert-hash-field',
  `-- KEYS[1] hash | ARGV[1] ttl ms, ARGV[2] create flag, ARGV[3] marker, ARGV[4] field, ARGV[5] value
${LUA_CHECK_TYPES}${LUA_SCRIPT_REPLY}
local bad = check_types({KEYS[1], 'hash'})
if bad then return bad end
if redis.call('EXISTS', KEYS[1]) == 0 then
  if ARGV[2] ~= '1' then return ScriptReply.none end
  redis.call('HSET', KEYS[1], ARGV[3], '')
end
redis.call('HSET', KEYS[1], ARGV[4], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return ScriptReply.ok
`,
);
