import type { DecodedSubscription } from '@fullon/core/author';
import type { Broadcast } from './schema.js';

/**
 * A live stream of broadcasts, returned by `ProcessCache.subscribeBroadcasts`. `ready`
 * resolves once the server confirmed the subscription; it ends on abort, `close()` or a
 * `break`; a payload that does not decode is skipped and reported through `onCorrupt`.
 */
export type BroadcastSubscription = DecodedSubscription<Broadcast>;
