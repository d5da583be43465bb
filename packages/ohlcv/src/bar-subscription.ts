import type { DecodedSubscription } from '@fullon/core/author';
import type { Bar } from './schema.js';

/**
 * A live stream of bars, returned by `OHLCVCache.subscribe`: each upsert publishes its bars as
 * one message, yielded one by one, oldest first. `ready` resolves once the server confirmed the
 * subscription; it ends on abort, `close()` or a `break`; a payload that does not decode is
 * skipped and reported through `onCorrupt`.
 */
export type BarSubscription = DecodedSubscription<Bar>;
