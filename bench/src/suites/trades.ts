import { type CacheConnection, FullonCacheError, jsonCodec, msgpackCodec } from '@fullon/core';
import { type Trade, TradesCache } from '@fullon/trades';
import type { Redis } from 'ioredis';
// Internals of @fullon/trades, imported by path so baseline (a) runs the very same scripts and keys.
import { TradeKeys } from '../../../packages/trades/src/keys.js';
import { TradeLayout } from '../../../packages/trades/src/layouts.js';
import { PUSH_TRADES } from '../../../packages/trades/src/scripts/push-trades.js';
import { STAMP_STATUS } from '../../../packages/trades/src/scripts/stamp-status.js';
import type { Contest, Variant } from '../runner.js';
import type { BenchClients, BenchSuite } from '../suite.js';

const EXCHANGE = 'binance';
/** Markets pushTrade cycles through. */
const PUSH_MARKETS = 100;
/** Markets of the drain contest: more than the most concurrent callers, so no two share one. */
const DRAIN_MARKETS = 4_000;
/** Trades per drain. */
const BATCH = 100;
const CAP = '100000';
const TTL_MS = String(7 * 86_400_000);
const STATUS_CAP = '10000';
const BASE_TIME = Date.now();

/** The trade pushed by call `i`. */
function tradeAt(i: number, symbol = `SYM${i % PUSH_MARKETS}/USDT`): Trade {
  const price = 60_000 + (i % 997);
  return {
    tradeId: i,
    symbol,
    side: i % 2 ? 'sell' : 'buy',
    volume: 0.125,
    price,
    cost: price * 0.125,
    fee: 0.01,
    time: BASE_TIME + i,
    exTradeId: `ex-${i}`,
  };
}

/** Each drain list is the one market on an exchange of its own: `DRN/USDT` on `bx<n>`. */
const DRAIN_SYMBOL = 'DRN/USDT';
const drainExchange = (n: number) => `bx${n}`;

/** The 100 trades each drain finds, encoded once per codec. */
const batch = Array.from({ length: BATCH }, (_, i) => tradeAt(i, DRAIN_SYMBOL));

/** Fails the run when a drain did not get exactly the batch (a wrong benchmark, not a slow one). */
function whole<T>(items: readonly T[]): readonly T[] {
  if (items.length !== BATCH) {
    throw new FullonCacheError(`a drain returned ${items.length} trades, not ${BATCH}`);
  }
  return items;
}

/** Keys of the baselines' own data, in families of their own. */
function baselineKeys(conn: CacheConnection) {
  return {
    jsonPush: Array.from({ length: PUSH_MARKETS }, (_, n) =>
      conn.keys.tagged('bench-json', EXCHANGE, `SYM${n}USDT`),
    ),
    jsonStatus: conn.keys.key('bench-json-status'),
    jsonDrain: Array.from({ length: DRAIN_MARKETS }, (_, n) =>
      conn.keys.tagged('bench-json', drainExchange(n), 'DRNUSDT'),
    ),
    rawDrain: Array.from({ length: DRAIN_MARKETS }, (_, n) =>
      conn.keys.tagged('bench-raw', drainExchange(n), 'DRNUSDT'),
    ),
  };
}

/** pushTrade and getTrades(100) against baselines (a) raw node-redis and (c) ioredis JSON. */
function tradeContests(clients: BenchClients): Contest[] {
  const { nodeRedis, ioredis, ioredisPipelined } = clients;
  const ours = new TradesCache(clients.msgpack);
  const oursJson = new TradesCache(clients.json);
  const keys = new TradeKeys(clients.msgpack.keys);
  const jsonKeys = new TradeKeys(clients.json.keys);
  const own = baselineKeys(clients.msgpack);
  // Baselines get their keys precomputed: only our layer builds keys per call.
  const pushLists = Array.from({ length: PUSH_MARKETS }, (_, n) =>
    keys.trades(EXCHANGE, `SYM${n}USDT`),
  );
  const dropped = keys.dropped(EXCHANGE);
  const drainLists = Array.from({ length: DRAIN_MARKETS }, (_, n) =>
    keys.trades(drainExchange(n), 'DRNUSDT'),
  );
  const jsonDrainLists = Array.from({ length: DRAIN_MARKETS }, (_, n) =>
    jsonKeys.trades(drainExchange(n), 'DRNUSDT'),
  );
  const packed = batch.map((t) => TradeLayout.encode(msgpackCodec, t));
  const asJson = batch.map((t) => TradeLayout.encode(jsonCodec, t));
  const jsonText = batch.map((t) => JSON.stringify(t));

  /** Puts the 100 trades back, with the same raw command for every variant. */
  const refill = (key: string, items: readonly Buffer[]) =>
    nodeRedis.sendCommand(['RPUSH', key, ...items]);

  // By hand as a node-redis user would: the layout's general msgpack encoder. Ours sends the
  // very same bytes but writes them directly (encodeTrade), one of the things our layer does.
  const rawPush: Variant = {
    name: '(a) raw node-redis',
    run: async (i) => {
      const trade = tradeAt(i);
      await nodeRedis.sendCommand([
        'EVALSHA',
        PUSH_TRADES.sha,
        '2',
        pushLists[i % PUSH_MARKETS] ?? '',
        dropped,
        `SYM${i % PUSH_MARKETS}USDT`,
        CAP,
        TTL_MS,
        TradeLayout.encode(msgpackCodec, trade),
      ]);
      await nodeRedis.sendCommand([
        'EVALSHA',
        STAMP_STATUS.sha,
        '1',
        keys.status,
        EXCHANGE,
        String(Date.now()),
        STATUS_CAP,
        TTL_MS,
      ]);
    },
  };
  const ioJsonPush = (client: Redis, name: string): Variant => ({
    name,
    run: async (i) => {
      await client.rpush(own.jsonPush[i % PUSH_MARKETS] ?? '', JSON.stringify(tradeAt(i)));
      await client.zadd(own.jsonStatus, Date.now(), EXCHANGE);
    },
  });

  const rawDrain: Variant = {
    name: '(a) raw node-redis',
    run: async (i) => {
      const key = own.rawDrain[i % DRAIN_MARKETS] ?? '';
      await refill(key, packed);
      const items = await nodeRedis.sendCommand<Buffer[] | null>(['LPOP', key, '10000000'], {
        returnBuffers: true,
      });
      return whole(
        (items ?? []).map((bytes, k) => TradeLayout.decode(msgpackCodec, bytes, key, `${k}`)),
      );
    },
  };
  const ioJsonDrain = (client: Redis, name: string): Variant => ({
    name,
    run: async (i) => {
      const key = own.jsonDrain[i % DRAIN_MARKETS] ?? '';
      await client.rpush(key, ...jsonText);
      const items = await client.lpop(key, 10_000_000);
      return whole((items ?? []).map((text) => JSON.parse(text) as Trade));
    },
  });

  return [
    {
      op: 'pushTrade',
      ours: { name: 'ours', run: (i) => ours.pushTrade(EXCHANGE, tradeAt(i)) },
      baselines: [
        rawPush,
        ioJsonPush(ioredis, '(c) ioredis JSON'),
        ioJsonPush(ioredisPipelined, "(c') ioredis JSON, auto-pipelining"),
        { name: 'codec json (ours)', run: (i) => oursJson.pushTrade(EXCHANGE, tradeAt(i)) },
      ],
    },
    {
      op: `getTrades(${BATCH})`,
      ours: {
        name: 'ours',
        run: async (i) => {
          const n = i % DRAIN_MARKETS;
          await refill(drainLists[n] ?? '', packed);
          return whole(await ours.getTrades(DRAIN_SYMBOL, drainExchange(n)));
        },
      },
      baselines: [
        rawDrain,
        ioJsonDrain(ioredis, '(c) ioredis JSON'),
        ioJsonDrain(ioredisPipelined, "(c') ioredis JSON, auto-pipelining"),
        {
          name: 'codec json (ours)',
          run: async (i) => {
            const n = i % DRAIN_MARKETS;
            await refill(jsonDrainLists[n] ?? '', asJson);
            return whole(await oursJson.getTrades(DRAIN_SYMBOL, drainExchange(n)));
          },
        },
      ],
    },
  ];
}

/**
 * Measures Redis memory per pending trade: `MEMORY USAGE` of a list of 1 000 trades.
 * @returns A Markdown paragraph.
 */
async function tradeMemory(conn: CacheConnection): Promise<string> {
  const trades = new TradesCache(conn);
  const sample = Array.from({ length: 1_000 }, (_, i) => tradeAt(i, 'MEM/USDT'));
  await trades.pushTrades(EXCHANGE, sample);
  const key = new TradeKeys(conn.keys).trades(EXCHANGE, 'MEMUSDT');
  const bytes =
    (await conn.send<number | null>(key, ['MEMORY', 'USAGE', key, 'SAMPLES', '0'])) ?? 0;
  await trades.getTrades('MEM/USDT', EXCHANGE);
  const packed = TradeLayout.encode(msgpackCodec, sample[0] ?? tradeAt(0)).length;
  const json = Buffer.byteLength(JSON.stringify(sample[0]));
  return [
    `- A trade (id, symbol, side, volume, price, cost, fee, time, exTradeId) is ${packed} bytes as a msgpack tuple and ${json} bytes as a JSON object.`,
    `- \`MEMORY USAGE\` of a list of 1 000 pending trades: ${bytes} bytes, ${(bytes / 1_000).toFixed(0)} bytes per trade; a full list at the default cap (100 000) is about ${(((bytes / 1_000) * 100_000) / 1e6).toFixed(1)} MB.`,
  ].join('\n');
}

/** The trades suite: pushTrade and getTrades(100), and memory per pending trade. */
export const suite: BenchSuite = {
  name: 'trades',
  contests: tradeContests,
  notes: (clients) => tradeMemory(clients.msgpack),
};
