import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import { DecodedSubscription, decodeListed } from '@fullon/core/author';
import { checkAligned } from './bar-reads.js';
import { BarLayout, barTuple } from './layouts.js';
import type { Bar, Timeframe } from './schema.js';

/**
 * A live stream of bars, returned by `OHLCVCache.subscribe`: each upsert publishes its bars as
 * one message, yielded one by one, oldest first. `ready` resolves once the server confirmed the
 * subscription; it ends on abort, `close()` or a `break`; a payload that does not decode is
 * skipped and reported through `onCorrupt`.
 */
export type BarSubscription = DecodedSubscription<Bar>;

/**
 * Subscribes to one series' channel and decodes each message into its bars; a bar that does
 * not decode (or is not aligned to `tf`) is skipped and reported through `onCorrupt`.
 * @internal
 * @param conn - Connection.
 * @param channel - The series' channel.
 * @param tf - The series' timeframe.
 * @param options - `signal` and `bufferSize`, already checked.
 * @returns The stream of bars.
 */
export function subscribeBars(
  conn: CacheConnectionLike,
  channel: string,
  tf: Timeframe,
  options: { signal?: AbortSignal | undefined; bufferSize?: number | undefined },
): BarSubscription {
  const { signal, bufferSize } = options;
  const codec = conn.codec;
  const pending = conn.subscribe({
    channels: [channel],
    ...(signal === undefined ? {} : { signal }),
    ...(bufferSize === undefined ? {} : { bufferSize }),
  });
  return new DecodedSubscription<Bar>(conn, pending, (message, from) => {
    let tuples: unknown;
    try {
      tuples = codec.decode(message);
    } catch (cause) {
      throw new DecodeError(from, undefined, 'corrupt bar message', { cause });
    }
    if (!Array.isArray(tuples)) throw new DecodeError(from, undefined, 'not a list of bars');
    const out: Bar[] = [];
    for (const tuple of tuples) {
      const bar = decodeListed(conn, () =>
        checkAligned(barTuple(BarLayout.verify(BarLayout.fromTuple(tuple, from), from)), tf, from),
      );
      if (bar !== undefined) out.push(bar);
    }
    return out;
  });
}
