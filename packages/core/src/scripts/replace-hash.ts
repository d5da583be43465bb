import { LUA_HSET_PAIRS } from './lua-snippets.js';
import { defineScript } from './script.js';

/**
 * Replaces a whole hash: the old fields go, the new ones and the completeness marker are
 * written, and the TTL is set — one step, so a reader sees the old set or the new one.
 *
 * KEYS[1] the hash
 * ARGV[1] TTL in ms; ARGV[2] marker field; ARGV[3..] field, value, field, value, …
 * Returns the number of fields written (marker excluded).
 */
export const REPLACE_HASH = defineScript(
  'core.replace-hash',
  `-- KEYS[1] hash | ARGV[1] ttl ms, ARGV[2] marker, ARGV[3..] field/value pairs
${LUA_HSET_PAIRS}
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[2], '')
hset_pairs(KEYS[1], 3)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return (#ARGV - 2) / 2
`,
);
