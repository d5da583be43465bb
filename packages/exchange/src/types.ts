import { Id } from '@fullon/core/author';
import * as v from 'valibot';

/** What `ExchangeCache.invalidate` drops; give at least one. */
export interface InvalidateTarget {
  /** This exchange account's record. */
  exId?: Id;
  /** This user's exchange list. */
  userId?: Id;
  /** The catalog of exchanges. */
  catExchanges?: boolean;
}

/**
 * The schema an {@link InvalidateTarget} is checked against.
 * @internal
 */
export const InvalidateTargetSchema = v.object({
  exId: v.optional(Id),
  userId: v.optional(Id),
  catExchanges: v.optional(v.boolean('must be a boolean')),
});
