import { flatTupleEncoder } from '@fullon/core/author';
import { TradeLayout } from './layouts.js';

/**
 * A validated trade's layout bytes under `codec`: the very bytes of `TradeLayout.encode`, written
 * directly on the default msgpack codec (see `flatTupleEncoder` of `@fullon/core/author`). A
 * unit test checks the bytes against the general encoder on many trades.
 * @param codec - The connection's codec.
 * @param trade - A trade that passed the `Trade` rules (well-formed strings, finite numbers).
 * @returns The bytes, a `Buffer` of their own.
 * @internal
 */
export const encodeTrade = flatTupleEncoder(TradeLayout);
