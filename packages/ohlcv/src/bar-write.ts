import type { CacheConnectionLike } from '@fullon/core';
import { encodeBars } from './bar-bytes.js';
import type { SeriesNames } from './keys.js';
import type { Bar } from './schema.js';
import { upsertBarsScript } from './scripts/upsert-bars.js';

/**
 * Writes checked bars into their series and publishes them, in one script.
 * @internal
 * @param conn - Connection.
 * @param names - The series' key and channel.
 * @param bars - Checked bars, ascending by time, each time once; at least one.
 * @param limits - TTL and cap of the series, as decimal strings.
 * @throws {DecodeError} when the series key holds another Redis type; nothing is written.
 */
export async function writeBars(
  conn: CacheConnectionLike,
  names: SeriesNames,
  bars: readonly Bar[],
  limits: { ttlMs: string; maxBars: string },
): Promise<void> {
  const { members, message } = encodeBars(conn.codec, bars);
  const times: string[] = new Array<string>(bars.length);
  for (let i = 0; i < bars.length; i++) times[i] = String((bars[i] as Bar)[0]);
  await upsertBarsScript(
    conn,
    { series: names.bars },
    {
      ttlMs: limits.ttlMs,
      maxBars: limits.maxBars,
      channel: names.channel,
      message,
      times,
      members,
    },
  );
}
