import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type CacheConnection, connect, msgpackCodec } from '@fullon/core';
import { TickCache } from '@fullon/tick';
// Internals of @fullon/tick, imported by path so the raw baseline reads the very same keys.
import { TickKeys } from '../../../packages/tick/src/keys.js';
import { TickLayout } from '../../../packages/tick/src/layouts.js';
import type { Contest } from '../runner.js';
import type { BenchClients, BenchSuite } from '../suite.js';

const SYMBOLS = 1_000;
const EXCHANGE = 'nearbench';
const LATENCY_SYMBOL = 'LATENCY/USDT';
/** Symbols built once: every variant gets its input ready-made, as a bot holds its symbols. */
const SYMBOL_NAMES = Array.from({ length: SYMBOLS }, (_, i) => `NEAR${i}/USDT`);
const symbolAt = (i: number) => SYMBOL_NAMES[i % SYMBOLS] ?? '';

/** Wall-clock time in ms with sub-ms precision, comparable between processes on one machine. */
const wallMs = () => performance.timeOrigin + performance.now();

/** The near-cache TickCache, made live and filled by `seed`. */
let near: TickCache | undefined;

/** Writes the tickers, opens the near cache and reads each ticker once, so reads hit. */
async function seed(clients: BenchClients): Promise<void> {
  const now = Date.now();
  await new TickCache(clients.msgpack).setTickers(
    Array.from({ length: SYMBOLS }, (_, i) => ({
      symbol: symbolAt(i),
      exchange: EXCHANGE,
      price: 60_000 + i,
      time: now,
      bid: 59_999.5 + i,
      ask: 60_000.5 + i,
      volume: 1_234.5,
    })),
  );
  near = new TickCache(clients.msgpack, { nearCache: true });
  await near.nearCache?.ready();
  for (let i = 0; i < SYMBOLS; i++) await near.getTicker(symbolAt(i), EXCHANGE);
}

/** A near-cache hit against the network read it replaces and the raw node-redis HGET. */
function contests(clients: BenchClients): Contest[] {
  const cached = near ?? new TickCache(clients.msgpack, { nearCache: true });
  const plain = new TickCache(clients.msgpack);
  const keys = new TickKeys(clients.msgpack.keys);
  const tickerKeys = Array.from({ length: SYMBOLS }, (_, i) => keys.ticker(EXCHANGE, symbolAt(i)));
  const { nodeRedis } = clients;
  return [
    {
      op: 'getTicker, near cache hit',
      ours: { name: 'ours (near cache)', run: (i) => cached.getTicker(symbolAt(i), EXCHANGE) },
      baselines: [
        { name: 'plain getTicker (network)', run: (i) => plain.getTicker(symbolAt(i), EXCHANGE) },
        {
          name: '(a) raw node-redis HGET',
          run: async (i) => {
            const key = tickerKeys[i % SYMBOLS] ?? '';
            const bytes = await nodeRedis.sendCommand<Buffer | null>(['HGET', key, 'v'], {
              returnBuffers: true,
            });
            return bytes === null ? null : TickLayout.decode(msgpackCodec, bytes, key, 'v');
          },
        },
      ],
    },
  ];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

/**
 * Write → visible latency across two processes: a writer process (this module, run with
 * NEAR_BENCH_WRITER) writes one tick per request; this process reads through the near cache,
 * yielding to I/O between reads, until it sees the new price.
 */
async function crossProcessLatency(conn: CacheConnection, samples: number): Promise<string> {
  const reader = new TickCache(conn, { nearCache: true });
  await reader.nearCache?.ready();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@fullon/source', fileURLToPath(import.meta.url)],
    {
      env: {
        ...process.env,
        NEAR_BENCH_WRITER: JSON.stringify({ url: conn.config.url, prefix: conn.config.prefix }),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => String((await lines.next()).value ?? '');
  const fromIssued: number[] = [];
  const fromAcked: number[] = [];
  try {
    if ((await nextLine()) !== 'ready') throw new TypeError('the writer did not start');
    await reader.getTicker(LATENCY_SYMBOL, EXCHANGE);
    for (let i = 1; i <= samples; i++) {
      child.stdin.write(`${i}\n`);
      let visibleAt = 0;
      for (;;) {
        const tick = await reader.getTicker(LATENCY_SYMBOL, EXCHANGE);
        if (tick !== null && tick.price === i) {
          visibleAt = wallMs();
          break;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      const [issued = 0, acked = 0] = (await nextLine()).split(' ').map(Number);
      fromIssued.push(visibleAt - issued);
      fromAcked.push(visibleAt - acked);
    }
  } finally {
    child.stdin.end();
    await new Promise((resolve) => child.on('close', resolve));
    await reader.close();
  }
  fromIssued.sort((a, b) => a - b);
  fromAcked.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(3)} ms`;
  const stats = reader.nearCache?.stats();
  return [
    `- Near cache: getTicker hits are served from process memory; the table compares a hit with the network read it replaces (\`plain getTicker\`) and a raw node-redis HGET. Invalidation: CLIENT TRACKING ON REDIRECT <own id> BCAST PREFIX \`<prefix>:tick:\` on one dedicated connection per master, subscribed to \`__redis__:invalidate\` (RESP2).`,
    `- Write → visible in another process, ${samples} writes (setTicker in a writer process; this process polls getTicker through the near cache, yielding to I/O between reads): from the write issued p50 ${ms(percentile(fromIssued, 50))}, p99 ${ms(percentile(fromIssued, 99))}; from the writer's reply p50 ${ms(percentile(fromAcked, 50))}, p99 ${ms(percentile(fromAcked, 99))} (negative: visible before the writer had its reply).`,
    `- Reader's near-cache counters over that run: ${JSON.stringify(stats)}.`,
  ].join('\n');
}

/** The writer process of {@link crossProcessLatency}: one setTicker per line read on stdin. */
async function writerMain(config: { url: string; prefix: string }): Promise<void> {
  const conn = await connect(config);
  const ticks = new TickCache(conn);
  const base = Date.now();
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const i = Number(line);
    const issued = wallMs();
    await ticks.setTicker({ symbol: LATENCY_SYMBOL, exchange: EXCHANGE, price: i, time: base + i });
    process.stdout.write(`${issued} ${wallMs()}\n`);
  }
  await conn.close();
}

const writerConfig = process.env.NEAR_BENCH_WRITER;
if (writerConfig !== undefined) await writerMain(JSON.parse(writerConfig));

/** The near-cache suite: hits against network reads, and cross-process visibility latency. */
export const suite: BenchSuite = {
  name: 'near-cache',
  seed,
  contests,
  notes: (clients, quick) => crossProcessLatency(clients.msgpack, quick ? 200 : 2_000),
};
