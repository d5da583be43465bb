import { defineScript } from '@fullon/core';
import { INDEX_LUA } from './index-lua.js';

/** ARGV entries per tick in {@link SET_TICKERS}. */
export const SET_TICKERS_STRIDE = 4;

/**
 * {@link SET_TICKER} for many ticks of one exchange (one slot) in one call, in order.
 *
 * KEYS[1] index `tick-index:{exchange}`; KEYS[1 + i] ticker hash of tick i.
 * ARGV[1] `1` to force; ARGV[2] TTL (ms); then per tick i, from ARGV[3 + 4(i-1)]:
 * time (ms), layout bytes, channel, symbol.
 * Returns one status per tick, as {@link SET_TICKER} does (0 older, 1 written, 2 written and new).
 * @internal
 */
export const SET_TICKERS = defineScript(
  'tick.set-many',
  `${INDEX_LUA}
local force = ARGV[1] == '1'
local ttl = ARGV[2]
local out = {}
for i = 2, #KEYS do
  local base = 3 + (i - 2) * ${SET_TICKERS_STRIDE}
  local time = ARGV[base]
  local status = 1
  if not force then
    local stored = redis.call('HGET', KEYS[i], 't')
    local stored_time = stored and tonumber(stored)
    if stored_time and stored_time > tonumber(time) then status = 0 end
  end
  if status == 1 then
    redis.call('HSET', KEYS[i], 'v', ARGV[base + 1], 't', time)
    redis.call('PEXPIRE', KEYS[i], ttl)
    status = status + index_touch(KEYS[1], ARGV[base + 3], ttl)
    redis.call('PUBLISH', ARGV[base + 2], ARGV[base + 1])
  end
  out[i - 1] = status
end
return out
`,
);
