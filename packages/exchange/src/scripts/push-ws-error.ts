import { defineScript } from '@fullon/core';

/**
 * Appends a websocket error, keeps only the newest `cap`, and renews the list's TTL.
 *
 * KEYS[1] the error list
 * ARGV[1] message; ARGV[2] cap; ARGV[3] TTL in ms
 * Returns the list length after trimming.
 */
export const pushWsErrorScript = defineScript(
  'exchange.push-ws-error',
  `-- KEYS[1] list | ARGV[1] message, ARGV[2] cap, ARGV[3] ttl ms
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
local cap = tonumber(ARGV[2])
if n > cap then
  redis.call('LTRIM', KEYS[1], -cap, -1)
  n = cap
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return n
`,
);
