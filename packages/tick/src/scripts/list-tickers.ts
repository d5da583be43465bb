import { defineScript } from '@fullon/core';

/**
 * Reads the stored bytes of several tickers of one exchange and drops from the index every
 * symbol whose ticker has expired, in one step (so a symbol written meanwhile is never dropped).
 *
 * KEYS[1] index `tick-index:{exchange}`; KEYS[1 + i] ticker hash of symbol i.
 * ARGV[i] symbol i.
 * Returns one entry per symbol: the layout bytes, or nil when the ticker is gone.
 * @internal
 */
export const LIST_TICKERS = defineScript(
  'tick.list',
  `
local out = {}
for i = 2, #KEYS do
  local bytes = redis.call('HGET', KEYS[i], 'v')
  if not bytes then
    redis.call('ZREM', KEYS[1], ARGV[i - 1])
  end
  out[i - 1] = bytes
end
return out
`,
);
