import { type CacheConnection, msgpackCodec } from '@fullon/core';
import { type Bar, OHLCVCache } from '@fullon/ohlcv';
// Internals of @fullon/ohlcv, imported by path so baseline (a) runs the very same script and keys.
import { encodeBars } from '../../../packages/ohlcv/src/bar-bytes.js';
import { OhlcvKeys } from '../../../packages/ohlcv/src/keys.js';
import { BarLayout, barFields } from '../../../packages/ohlcv/src/layouts.js';
import { UPSERT_BARS } from '../../../packages/ohlcv/src/scripts/upsert-bars.js';
import type { Contest, Variant } from '../runner.js';
import type { BenchClients, BenchSuite } from '../suite.js';

const MIN = 60_000;
const BATCH = 100;
const SERIES = 100;
const EXCHANGE = 'binance';
const TTL_MS = String(7 * 86_400_000);
const MAX_BARS = '10000';
/** A Monday 00:00 UTC, aligned to every timeframe. */
const T0 = Date.UTC(2024, 5, 3);

const symbolOf = (i: number) => `SYM${i % SERIES}/USDT`;

/** The 100 bars written by call `i`: 100 consecutive minutes of one series, rolling over 20 000 minutes. */
function batchAt(i: number): Bar[] {
  const start = T0 + ((Math.floor(i / SERIES) * BATCH) % 20_000) * MIN;
  return Array.from({ length: BATCH }, (_, j) => {
    const open = 60_000 + ((i + j) % 97);
    return [start + j * MIN, open, open + 5, open - 5, open + 1, 1.5 + j] as Bar;
  });
}

async function seedBars(clients: BenchClients): Promise<void> {
  const ohlcv = new OHLCVCache(clients.msgpack);
  for (let s = 0; s < SERIES; s++) {
    for (let k = 0; k < 5; k++) {
      await ohlcv.updateOhlcvBars(symbolOf(s), EXCHANGE, '1m', batchAt(s + k * SERIES));
    }
  }
}

function ohlcvContests(clients: BenchClients): Contest[] {
  const ohlcv = new OHLCVCache(clients.msgpack);
  const keys = new OhlcvKeys(clients.msgpack.keys);
  // Baselines get their names precomputed: only our layer builds names per call.
  const names = Array.from({ length: SERIES }, (_, s) => keys.series(symbolOf(s), EXCHANGE, '1m'));
  const { nodeRedis } = clients;

  const rawUpsert: Variant = {
    name: '(a) raw node-redis, same script',
    run: (i) => {
      const bars = batchAt(i);
      const series = names[i % SERIES];
      // The same bytes as ours, made the same way: the baseline measures what our layer adds.
      const { members, message } = encodeBars(msgpackCodec, bars);
      const args: (string | Buffer)[] = [
        'EVALSHA',
        UPSERT_BARS.sha,
        '1',
        series?.bars ?? '',
        TTL_MS,
        MAX_BARS,
        series?.channel ?? '',
        message,
      ];
      members.forEach((member, j) => {
        args.push(String(bars[j]?.[0]), member);
      });
      return nodeRedis.sendCommand(args);
    },
  };
  const rawLatest: Variant = {
    name: '(a) raw node-redis ZRANGE + decode',
    run: async (i) => {
      const key = names[i % SERIES]?.bars ?? '';
      const members = await nodeRedis.sendCommand<Buffer[]>(['ZRANGE', key, '-100', '-1'], {
        returnBuffers: true,
      });
      return members.map((m) => BarLayout.decode(msgpackCodec, m, key));
    },
  };
  return [
    {
      op: 'updateOhlcvBars(100)',
      ours: {
        name: 'ours',
        run: (i) => ohlcv.updateOhlcvBars(symbolOf(i), EXCHANGE, '1m', batchAt(i)),
      },
      baselines: [rawUpsert],
    },
    {
      op: 'getLatestOhlcvBars(100)',
      ours: {
        name: 'ours',
        run: (i) => ohlcv.getLatestOhlcvBars(symbolOf(i), EXCHANGE, '1m', 100),
      },
      baselines: [rawLatest],
    },
  ];
}

/** Bars/s of updateOhlcvBars in batches of 100, and memory per stored bar. */
async function ohlcvNotes(conn: CacheConnection, quick: boolean): Promise<string> {
  const ohlcv = new OHLCVCache(conn);
  const durationMs = quick ? 1_000 : 3_000;
  const inFlight = 16;
  let next = 0;
  let calls = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        const i = next++;
        await ohlcv.updateOhlcvBars(`RATE${i % SERIES}/USDT`, EXCHANGE, '1m', batchAt(i));
        calls++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  const barsPerSec = (calls * BATCH) / seconds;
  const key = new OhlcvKeys(conn.keys).series(symbolOf(0), EXCHANGE, '1m').bars;
  const card = await conn.send<number>(key, ['ZCARD', key]);
  const bytes =
    (await conn.send<number | null>(key, ['MEMORY', 'USAGE', key, 'SAMPLES', '0'])) ?? 0;
  const member = BarLayout.encode(msgpackCodec, barFields(batchAt(0)[0] as Bar)).length;
  return [
    `- updateOhlcvBars in batches of ${BATCH}, ${inFlight} calls in flight for ${durationMs} ms: **${Math.round(barsPerSec).toLocaleString('en-US')} bars/s** (target ≥ 100 000).`,
    `- A bar is ${member} bytes as a msgpack tuple; a series of ${card} bars takes ${bytes} bytes (\`MEMORY USAGE\`), ${(bytes / Math.max(1, card)).toFixed(0)} bytes per bar.`,
  ].join('\n');
}

/** The ohlcv suite: updateOhlcvBars(100), getLatestOhlcvBars(100), bars/s and memory. */
export const suite: BenchSuite = {
  name: 'ohlcv',
  seed: seedBars,
  contests: ohlcvContests,
  notes: (clients, quick) => ohlcvNotes(clients.msgpack, quick),
};
