import { defineScript } from '@fullon/core';
import { INDEX_LUA } from './index-lua.js';

/**
 * Write-if-newer of one tick, its index entry, its TTL and its publication, in one step.
 *
 * KEYS[1] ticker hash `tick:{exchange}:symbol`; KEYS[2] index `tick-index:{exchange}`.
 * ARGV[1] tick time (ms); ARGV[2] layout bytes; ARGV[3] `1` to write even when older;
 * ARGV[4] TTL (ms); ARGV[5] channel; ARGV[6] symbol.
 * Returns 0 when the stored tick is newer (nothing written or published), 1 when written,
 * 2 when written and the symbol was new to the index (the caller then registers the exchange).
 * A tick with the same time as the stored one is written.
 * @internal Imported by `bench/` by relative path, to run the very same script raw.
 */
export const SET_TICKER = defineScript(
  'tick.set',
  `${INDEX_LUA}
if ARGV[3] ~= '1' then
  local stored = redis.call('HGET', KEYS[1], 't')
  local stored_time = stored and tonumber(stored)
  if stored_time and stored_time > tonumber(ARGV[1]) then return 0 end
end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local added = index_touch(KEYS[2], ARGV[6], ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[2])
return 1 + added
`,
);
