import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import { BUFFERS, decodeListed } from '@fullon/core/author';
import type { BarRange } from './args.js';
import { BarLayout, barTuple } from './layouts.js';
import { type Bar, isAligned, type Timeframe } from './schema.js';

const NONE: Promise<Buffer[]> = Promise.resolve([]);

/**
 * The newest bars of a series.
 * @internal
 * @param conn - Connection.
 * @param key - The series key.
 * @param count - How many, already checked.
 * @param tf - The series' timeframe.
 * @returns Up to `count` bars, oldest first; corrupt ones skipped and reported.
 */
export async function readLatestBars(
  conn: CacheConnectionLike,
  key: string,
  count: number,
  tf: Timeframe,
): Promise<Bar[]> {
  const members = await conn.send<Buffer[]>(key, ['ZRANGE', key, String(-count), '-1'], BUFFERS);
  return decodeList(conn, members, key, tf);
}

/**
 * Bars of a series in a time range, `from` and `to` included.
 * @internal
 * @param conn - Connection.
 * @param key - The series key.
 * @param range - The checked range.
 * @param tf - The series' timeframe.
 * @returns The bars, oldest first; corrupt ones skipped and reported.
 */
export async function readBarRange(
  conn: CacheConnectionLike,
  key: string,
  range: BarRange,
  tf: Timeframe,
): Promise<Bar[]> {
  const { from, to, limit } = range;
  const low = from === undefined ? '-inf' : String(from);
  const high = to === undefined ? '+inf' : String(to);
  const newestFirst = from === undefined && limit !== undefined;
  const args = newestFirst
    ? ['ZRANGE', key, high, low, 'BYSCORE', 'REV', 'LIMIT', '0', String(limit)]
    : ['ZRANGE', key, low, high, 'BYSCORE'];
  if (!newestFirst && limit !== undefined) args.push('LIMIT', '0', String(limit));
  // A bar stored under a score that is not its time falls outside the range it belongs to.
  // The bars just outside the range are read with their scores too, so such a bar next to
  // the range is reported (onCorrupt) instead of silently missing from the answer.
  const [members, below, above] = await Promise.all([
    conn.send<Buffer[]>(key, args, BUFFERS),
    from === undefined ? NONE : neighbour(conn, key, [`(${from}`, '-inf', 'BYSCORE', 'REV']),
    to === undefined ? NONE : neighbour(conn, key, [`(${to}`, '+inf', 'BYSCORE']),
  ]);
  for (const [member, score] of [below, above]) {
    if (member !== undefined && score !== undefined) {
      decodeListed(conn, () => decodeScored(conn, member, score, key, tf));
    }
  }
  if (newestFirst) members.reverse();
  return decodeList(conn, members, key, tf);
}

/**
 * The newest bar of a series.
 * @internal
 * @param conn - Connection.
 * @param key - The series key.
 * @param tf - The series' timeframe.
 * @returns The bar, or `null` when the series does not exist.
 * @throws {DecodeError} when the stored bar is corrupt.
 */
export async function readLastBar(
  conn: CacheConnectionLike,
  key: string,
  tf: Timeframe,
): Promise<Bar | null> {
  const [member, score] = await conn.send<Buffer[]>(
    key,
    ['ZRANGE', key, '-1', '-1', 'WITHSCORES'],
    BUFFERS,
  );
  if (member === undefined) return null;
  return decodeScored(conn, member, score, key, tf);
}

/**
 * Checks that a decoded bar's time opens a candle of its series' timeframe.
 * @internal
 * @param bar - The decoded bar.
 * @param tf - The series' timeframe.
 * @param key - Key or channel it came from, for the error.
 * @returns The bar.
 * @throws {DecodeError} when the time is not aligned.
 */
export function checkAligned(bar: Bar, tf: Timeframe, key: string): Bar {
  if (!isAligned(bar[0], tf)) {
    throw new DecodeError(key, undefined, `stored bar time ${bar[0]} is not aligned to ${tf}`);
  }
  return bar;
}

/** The first member (and its score) of a `ZRANGE key <range> LIMIT 0 1`. */
function neighbour(
  conn: CacheConnectionLike,
  key: string,
  range: readonly string[],
): Promise<Buffer[]> {
  return conn.send<Buffer[]>(
    key,
    ['ZRANGE', key, ...range, 'LIMIT', '0', '1', 'WITHSCORES'],
    BUFFERS,
  );
}

function decodeBar(conn: CacheConnectionLike, member: Buffer, key: string, tf: Timeframe): Bar {
  return checkAligned(barTuple(BarLayout.decode(conn.codec, member, key)), tf, key);
}

/** Decodes a member read with its score: the bar's time must be the score. */
function decodeScored(
  conn: CacheConnectionLike,
  member: Buffer,
  score: Buffer | undefined,
  key: string,
  tf: Timeframe,
): Bar {
  const bar = decodeBar(conn, member, key, tf);
  if (String(bar[0]) !== score?.toString()) {
    throw new DecodeError(key, undefined, `stored bar time ${bar[0]} is not its score ${score}`);
  }
  return bar;
}

/** Decodes members read in score order, skipping and reporting corrupt bars. */
function decodeList(
  conn: CacheConnectionLike,
  members: readonly Buffer[],
  key: string,
  tf: Timeframe,
): Bar[] {
  const out: Bar[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const member of members) {
    const bar = decodeListed(conn, () => {
      const decoded = decodeBar(conn, member, key, tf);
      // Members sort by score; a time out of order means a member stored under a score
      // that is not its own time.
      if (decoded[0] <= previous) {
        throw new DecodeError(key, undefined, `stored bar time ${decoded[0]} is out of order`);
      }
      return decoded;
    });
    if (bar === undefined) continue;
    previous = bar[0];
    out.push(bar);
  }
  return out;
}
