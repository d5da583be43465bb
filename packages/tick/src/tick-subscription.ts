import type { DecodedSubscription } from '@fullon/core/author';
import type { Tick } from './schema.js';

/**
 * A live stream of ticks, returned by `TickCache.subscribe`. The subscription starts at once;
 * `ready` resolves when the server has confirmed it (every tick published afterwards is
 * delivered). Iterate it with `for await`; it ends when its signal aborts, when `close()` is
 * called, or when the loop breaks. A payload that does not decode is skipped and reported
 * through the connection's `onCorrupt` hook.
 */
export type TickSubscription = DecodedSubscription<Tick>;
