import { defineScript } from '@fullon/core';

/**
 * Stores a user's complete exchange list as loaded from the source: the index is replaced (with
 * the completeness marker, so an empty list is remembered too) and every record is written.
 *
 * KEYS[1] the user's index set; KEYS[2..n+1] the n exchange records
 * ARGV[1] TTL in ms; ARGV[2] marker; ARGV[3..n+2] exchange ids; ARGV[n+3..2n+2] record bytes
 * Returns n.
 */
export const storeUserExchanges = defineScript(
  'exchange.store-user',
  `-- KEYS[1] index, KEYS[2..] records | ARGV[1] ttl ms, ARGV[2] marker, ARGV[3..] ids, then bytes
local n = #KEYS - 1
redis.call('DEL', KEYS[1])
redis.call('SADD', KEYS[1], ARGV[2])
for i = 1, n do
  redis.call('SADD', KEYS[1], ARGV[2 + i])
  redis.call('SET', KEYS[1 + i], ARGV[2 + n + i], 'PX', ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return n
`,
);
