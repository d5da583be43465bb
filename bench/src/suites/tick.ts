import { type CacheConnection, msgpackCodec } from '@fullon/core';
import { TickCache } from '@fullon/tick';
import type { Redis } from 'ioredis';
// Internals of @fullon/tick, imported by path so baseline (a) runs the very same script and keys.
import { TickKeys } from '../../../packages/tick/src/keys.js';
import { TickLayout } from '../../../packages/tick/src/layouts.js';
import { SET_TICKER } from '../../../packages/tick/src/scripts/set-ticker.js';
import type { Contest, Variant } from '../runner.js';
import type { BenchClients, BenchSuite } from '../suite.js';

const SYMBOLS = 1_000;
const EXCHANGE = 'binance';
const TTL_MS = String(24 * 3_600_000);
const BASE_TIME = Date.now();

/** The ticks written by call `i`: 1 000 symbols in turn, time always moving forward. */
function tickAt(i: number) {
  const price = 60_000 + (i % 997);
  return {
    symbol: `SYM${i % SYMBOLS}/USDT`,
    exchange: EXCHANGE,
    price,
    time: BASE_TIME + i,
    bid: price - 0.5,
    ask: price + 0.5,
    volume: 1_234.5,
  };
}

/** Keys of the baselines' own data, one per symbol, in families of their own. */
function baselineKeys(conn: CacheConnection) {
  const symbols = Array.from({ length: SYMBOLS }, (_, i) => tickAt(i).symbol);
  return {
    json: symbols.map((symbol) => conn.keys.tagged('bench-json', EXCHANGE, symbol)),
    jsonChannels: symbols.map((symbol) => conn.keys.channel('bench-json', EXCHANGE, symbol)),
    raw: symbols.map((symbol) => conn.keys.tagged('bench-raw', EXCHANGE, symbol)),
  };
}

/**
 * Fills every symbol once so reads always hit.
 * @returns The number of tickers written.
 */
async function seedTickers(clients: BenchClients): Promise<void> {
  for (const conn of [clients.msgpack, clients.json]) {
    const ticks = new TickCache(conn);
    await ticks.setTickers(Array.from({ length: SYMBOLS }, (_, i) => tickAt(i)));
  }
  const own = baselineKeys(clients.msgpack);
  await Promise.all(
    Array.from({ length: SYMBOLS }, (_, i) => {
      const tick = tickAt(i);
      return Promise.all([
        clients.ioredis.hset(own.json[i] ?? '', 'v', JSON.stringify(tick)),
        clients.nodeRedis.sendCommand([
          'HSET',
          own.raw[i] ?? '',
          'v',
          TickLayout.encode(msgpackCodec, tick),
        ]),
      ]);
    }),
  );
}

/** setTicker and getTicker against baselines (a), (b), (c), (c') and the JSON codec. */
function tickContests(clients: BenchClients): Contest[] {
  const ours = new TickCache(clients.msgpack);
  const oursJson = new TickCache(clients.json);
  const keys = new TickKeys(clients.msgpack.keys);
  // Baselines get their keys precomputed: only our layer builds keys per call.
  const tickerKeys = Array.from({ length: SYMBOLS }, (_, i) =>
    keys.ticker(EXCHANGE, tickAt(i).symbol),
  );
  const channels = Array.from({ length: SYMBOLS }, (_, i) =>
    keys.channel(EXCHANGE, tickAt(i).symbol),
  );
  const index = keys.index(EXCHANGE);
  const own = baselineKeys(clients.msgpack);
  const { nodeRedis, ioredis, ioredisPipelined } = clients;

  const rawScript: Variant = {
    name: '(a) raw node-redis',
    run: (i) => {
      const tick = tickAt(i);
      const n = i % SYMBOLS;
      return nodeRedis.sendCommand([
        'EVALSHA',
        SET_TICKER.sha,
        '2',
        tickerKeys[n] ?? '',
        index,
        String(tick.time),
        TickLayout.encode(msgpackCodec, tick),
        '0',
        TTL_MS,
        channels[n] ?? '',
        tick.symbol,
      ]);
    },
  };
  const rawHset: Variant = {
    name: '(b) raw HSET',
    run: (i) => {
      const tick = tickAt(i);
      return nodeRedis.sendCommand([
        'HSET',
        own.raw[i % SYMBOLS] ?? '',
        'v',
        TickLayout.encode(msgpackCodec, tick),
      ]);
    },
  };
  const ioJsonSet = (client: Redis, name: string): Variant => ({
    name,
    run: async (i) => {
      const tick = tickAt(i);
      const n = i % SYMBOLS;
      const json = JSON.stringify(tick);
      await client.hset(own.json[n] ?? '', 'v', json);
      await client.publish(own.jsonChannels[n] ?? '', json);
    },
  });
  const ioJsonGet = (client: Redis, name: string): Variant => ({
    name,
    run: async (i) => {
      const text = await client.hget(own.json[i % SYMBOLS] ?? '', 'v');
      return text === null ? null : JSON.parse(text);
    },
  });
  const rawGet = (readKeys: readonly string[], name: string): Variant => ({
    name,
    run: async (i) => {
      const key = readKeys[i % SYMBOLS] ?? '';
      const bytes = await nodeRedis.sendCommand<Buffer | null>(['HGET', key, 'v'], {
        returnBuffers: true,
      });
      return bytes === null ? null : TickLayout.decode(msgpackCodec, bytes, key, 'v');
    },
  });

  return [
    {
      op: 'setTicker',
      ours: { name: 'ours', run: (i) => ours.setTicker(tickAt(i)) },
      baselines: [
        rawScript,
        rawHset,
        ioJsonSet(ioredis, '(c) ioredis JSON'),
        ioJsonSet(ioredisPipelined, "(c') ioredis JSON, auto-pipelining"),
        { name: 'codec json (ours)', run: (i) => oursJson.setTicker(tickAt(i)) },
      ],
    },
    {
      op: 'getTicker',
      ours: { name: 'ours', run: (i) => ours.getTicker(`SYM${i % SYMBOLS}/USDT`, EXCHANGE) },
      baselines: [
        rawGet(tickerKeys, '(a) raw node-redis'),
        rawGet(own.raw, '(b) raw HGET'),
        ioJsonGet(ioredis, '(c) ioredis JSON'),
        ioJsonGet(ioredisPipelined, "(c') ioredis JSON, auto-pipelining"),
        {
          name: 'codec json (ours)',
          run: (i) => oursJson.getTicker(`SYM${i % SYMBOLS}/USDT`, EXCHANGE),
        },
      ],
    },
  ];
}

/**
 * Measures Redis memory per stored ticker: `MEMORY USAGE` of ticker keys, and the index's share.
 * @returns A Markdown paragraph.
 */
async function tickMemory(conn: CacheConnection): Promise<string> {
  const keys = new TickKeys(conn.keys);
  const sample = Array.from({ length: 100 }, (_, i) => keys.ticker(EXCHANGE, tickAt(i).symbol));
  const usages = await Promise.all(
    sample.map((k) => conn.send<number | null>(k, ['MEMORY', 'USAGE', k, 'SAMPLES', '0'])),
  );
  const perKey = usages.reduce<number>((a, b) => a + (b ?? 0), 0) / sample.length;
  const index = keys.index(EXCHANGE);
  const indexBytes =
    (await conn.send<number | null>(index, ['MEMORY', 'USAGE', index, 'SAMPLES', '0'])) ?? 0;
  const bytes = TickLayout.encode(msgpackCodec, tickAt(0)).length;
  const jsonBytes = Buffer.byteLength(JSON.stringify(tickAt(0)));
  return [
    `- A ticker value (symbol, exchange, price, time, bid, ask, volume) is ${bytes} bytes as a msgpack tuple and ${jsonBytes} bytes as a JSON object.`,
    `- \`MEMORY USAGE\` of one ticker hash (\`v\` bytes + \`t\` time, with TTL): ${perKey.toFixed(0)} bytes on average over ${sample.length} keys.`,
    `- The exchange's symbol index (sorted set of ${SYMBOLS} symbols): ${indexBytes} bytes, ${(indexBytes / SYMBOLS).toFixed(0)} bytes per ticker.`,
    `- Total per stored ticker: about ${(perKey + indexBytes / SYMBOLS).toFixed(0)} bytes.`,
  ].join('\n');
}

/** The tick suite: setTicker and getTicker, and memory per ticker. */
export const suite: BenchSuite = {
  name: 'tick',
  seed: seedTickers,
  contests: tickContests,
  notes: (clients) => tickMemory(clients.msgpack),
};
