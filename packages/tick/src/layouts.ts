import { defineLayout } from '@fullon/core/author';
import { isValidTick } from './fast-check.js';
import { FIELD_ORDER, TICK_LAYOUT_VERSION } from './fields.js';
import { Tick, TickFields } from './schema.js';

/**
 * How a tick is stored: a msgpack tuple `[version, price, time, symbol, exchange, bid, ask, last,
 * volume, change, percentage]`, hottest fields first. The same bytes are the pub/sub payload.
 * Decoding is strict: a stored tick that breaks a rule (NaN price, bid above ask) or names
 * another ticker than its key is a `DecodeError`.
 * @internal Shared with the Lua merge and the benchmark; not exported from the package.
 */
export const TickLayout = defineLayout({
  name: 'tick',
  version: TICK_LAYOUT_VERSION,
  schema: TickFields,
  check: Tick,
  isValid: isValidTick,
  fields: FIELD_ORDER,
});
