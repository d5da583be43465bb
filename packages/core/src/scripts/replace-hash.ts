import { defineScript } from '../script.js';

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
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[2], '')
local batch = {}
for i = 3, #ARGV, 2 do
  batch[#batch + 1] = ARGV[i]
  batch[#batch + 1] = ARGV[i + 1]
  if #batch >= 1000 then
    redis.call('HSET', KEYS[1], unpack(batch))
    batch = {}
  end
end
if #batch > 0 then redis.call('HSET', KEYS[1], unpack(batch)) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return (#ARGV - 2) / 2
`,
);
