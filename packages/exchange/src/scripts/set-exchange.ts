import { defineScript } from '@fullon/core';

/**
 * Stores an exchange record and lists it in its owner's index, in one step. The index is
 * created only if ARGV[2] is `1` (no user-list loader: the cache is the source); otherwise an
 * absent index stays absent so the next read loads the complete list.
 *
 * KEYS[1] the exchange record; KEYS[2] the owner's index set
 * ARGV[1] TTL in ms; ARGV[2] `1` to create the index when absent; ARGV[3] marker;
 * ARGV[4] exchange id; ARGV[5] record bytes
 * Returns 1 when the index lists it, 0 when the index was absent and not created.
 */
export const setExchangeScript = defineScript(
  'exchange.set',
  `-- KEYS[1] record, KEYS[2] index | ARGV[1] ttl ms, ARGV[2] create flag, ARGV[3] marker, ARGV[4] id, ARGV[5] bytes
redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 or ARGV[2] == '1' then
  redis.call('SADD', KEYS[2], ARGV[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
  return 1
end
return 0
`,
);
