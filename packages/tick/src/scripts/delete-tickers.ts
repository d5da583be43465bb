import { defineScript } from '@fullon/core';

/**
 * Deletes tickers of one exchange and their index entries together.
 *
 * KEYS[1] index `tick-index:{exchange}`; KEYS[1 + i] ticker hash of symbol i.
 * ARGV[i] symbol i.
 * Returns how many ticker keys existed and were deleted.
 * @internal
 */
export const DELETE_TICKERS = defineScript(
  'tick.delete',
  `
local deleted = 0
for i = 2, #KEYS do
  deleted = deleted + redis.call('DEL', KEYS[i])
  redis.call('ZREM', KEYS[1], ARGV[i - 1])
end
return deleted
`,
);
