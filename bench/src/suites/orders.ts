import { randomUUID } from 'node:crypto';
import { type CacheConnection, msgpackCodec } from '@fullon/core';
import { type Order, OrdersCache } from '@fullon/orders';
import type { Redis } from 'ioredis';
// Internals of @fullon/orders, imported by path so baseline (a) runs the very same scripts and keys.
import { OrderKeys, type QueueKeys } from '../../../packages/orders/src/keys.js';
import { OrderLayout } from '../../../packages/orders/src/layouts.js';
import { PUSH_ORDER } from '../../../packages/orders/src/scripts/push-order.js';
import { SETTLE_CLAIM } from '../../../packages/orders/src/scripts/settle-claim.js';
import { SWEEP_LIMIT, TAKE_ORDER } from '../../../packages/orders/src/scripts/take-order.js';
import type { Contest, Variant } from '../runner.js';
import type { BenchClients, BenchSuite } from '../suite.js';

const MAX_ATTEMPTS = '5';
const DEAD_CAP = '10000';
const VISIBILITY_MS = '30000';

/** The order pushed by call `i` (ids never repeat: the runner's call numbers only grow). */
function orderAt(i: number): Order {
  return {
    orderId: i,
    exchange: 'binance',
    symbol: 'BTC/USDT',
    side: i % 2 === 0 ? 'buy' : 'sell',
    volume: 0.25,
    price: 64_000 + (i % 1_000),
    orderType: 'limit',
    status: 'new',
    botId: 7,
    timestamp: 1_750_000_000_000 + i,
  };
}

/**
 * The same pair of script calls as pushOpenOrder + popOpenOrder, on a raw node-redis client.
 * It encodes as a node-redis user would, with the layout's general msgpack encoder; ours sends
 * the very same bytes but writes them directly (`encodeOrder`), one of the things our layer does.
 */
function rawPair(clients: BenchClients, keys: QueueKeys, claim: boolean): Variant {
  const { nodeRedis } = clients;
  const all = keys.all;
  return {
    name: '(a) raw node-redis',
    run: async (i) => {
      const order = orderAt(i);
      await nodeRedis.sendCommand([
        'EVALSHA',
        PUSH_ORDER.sha,
        '3',
        keys.pending,
        keys.jobs,
        keys.signal,
        String(i),
        OrderLayout.encode(msgpackCodec, order),
      ]);
      const token = claim ? randomUUID() : '';
      const reply = await nodeRedis.sendCommand<[number, Buffer, Buffer, number?]>(
        [
          'EVALSHA',
          TAKE_ORDER.sha,
          '7',
          ...all,
          claim ? 'claim' : 'pop',
          token,
          VISIBILITY_MS,
          MAX_ATTEMPTS,
          DEAD_CAP,
          '0',
          String(SWEEP_LIMIT),
        ],
        { returnBuffers: true },
      );
      const id = reply[1].toString();
      const taken = OrderLayout.decode(msgpackCodec, reply[2], keys.jobs, id);
      if (claim) {
        await nodeRedis.sendCommand([
          'EVALSHA',
          SETTLE_CLAIM.sha,
          '7',
          ...all,
          'ack',
          id,
          token,
          '',
          MAX_ATTEMPTS,
          DEAD_CAP,
        ]);
      }
      return taken;
    },
  };
}

/** The plain list pattern: RPUSH the bytes, BLPOP them (no idempotence, no lease). */
function rawList(clients: BenchClients, key: string): Variant {
  const { nodeRedis } = clients;
  return {
    name: '(b) raw RPUSH+BLPOP',
    run: async (i) => {
      await nodeRedis.sendCommand(['RPUSH', key, OrderLayout.encode(msgpackCodec, orderAt(i))]);
      const reply = await nodeRedis.sendCommand<[Buffer, Buffer]>(['BLPOP', key, '1'], {
        returnBuffers: true,
      });
      return OrderLayout.decode(msgpackCodec, reply[1], key);
    },
  };
}

/** ioredis with JSON: RPUSH + LPOP, or the reliable-queue pattern RPUSH + LMOVE + LREM. */
function ioJson(client: Redis, key: string, processing: string, claim: boolean): Variant {
  return {
    name: '(c) ioredis JSON',
    run: async (i) => {
      await client.rpush(key, JSON.stringify(orderAt(i)));
      if (!claim) {
        const text = await client.lpop(key);
        return text === null ? null : JSON.parse(text);
      }
      const text = await client.lmove(key, processing, 'LEFT', 'RIGHT');
      if (text === null) return null;
      const parsed: unknown = JSON.parse(text);
      await client.lrem(processing, 1, text);
      return parsed;
    },
  };
}

function orderContests(clients: BenchClients): Contest[] {
  const ours = new OrdersCache(clients.msgpack);
  const conn: CacheConnection = clients.msgpack;
  const keys = new OrderKeys(conn.keys);
  const rawPop = keys.queue('bench-raw-pop');
  const rawClaim = keys.queue('bench-raw-claim');
  const list = conn.keys.tagged('bench-raw', 'orders-list');
  const json = conn.keys.tagged('bench-json', 'orders');
  const jsonProcessing = conn.keys.tagged('bench-json', 'orders', 'processing');
  return [
    {
      op: 'pushOpenOrder+popOpenOrder',
      ours: {
        name: 'ours',
        run: async (i) => {
          await ours.pushOpenOrder('bench-pop', orderAt(i));
          return ours.popOpenOrder('bench-pop', { timeoutMs: 1_000 });
        },
      },
      baselines: [
        rawPair(clients, rawPop, false),
        rawList(clients, list),
        ioJson(clients.ioredis, json, jsonProcessing, false),
      ],
    },
    {
      // A claim needs an order: each call pushes one, claims it and acks it.
      op: 'push+claimOpenOrder+ack',
      ours: {
        name: 'ours',
        run: async (i) => {
          await ours.pushOpenOrder('bench-claim', orderAt(i));
          const claim = await ours.claimOpenOrder('bench-claim', { timeoutMs: 1_000 });
          await claim?.ack();
          return claim;
        },
      },
      baselines: [
        rawPair(clients, rawClaim, true),
        ioJson(clients.ioredis, json, jsonProcessing, true),
      ],
    },
  ];
}

/** `MEMORY USAGE` of `key`, 0 when it does not exist. */
async function memoryUsage(conn: CacheConnection, key: string): Promise<number> {
  return (await conn.send<number | null>(key, ['MEMORY', 'USAGE', key, 'SAMPLES', '0'])) ?? 0;
}

/**
 * Measures Redis memory per order: a stored order (`saveOrder`: its own key plus its share of
 * the exchange's index and status set) and a queued one (`pushOpenOrder`: its share of the
 * queue's pending list and order-bytes hash), over 1 000 orders each.
 * @returns A Markdown paragraph.
 */
async function orderMemory(conn: CacheConnection): Promise<string> {
  const count = 1_000;
  const exchange = 'bench-mem';
  const orders = new OrdersCache(conn);
  const keys = new OrderKeys(conn.keys);
  const sample = Array.from({ length: count }, (_, i) => ({ ...orderAt(i), exchange }));
  for (const order of sample) await orders.saveOrder(exchange, order);
  const stored = await Promise.all(
    sample.slice(0, 100).map((o) => memoryUsage(conn, keys.order(exchange, String(o.orderId)))),
  );
  const perKey = stored.reduce((a, b) => a + b, 0) / stored.length;
  const state = keys.state(exchange);
  const indexes =
    (await memoryUsage(conn, state.index)) + (await memoryUsage(conn, state.byStatus));
  const queue = keys.queue('bench-mem');
  for (const order of sample) await orders.pushOpenOrder('bench-mem', order);
  const queued = (await memoryUsage(conn, queue.pending)) + (await memoryUsage(conn, queue.jobs));
  const packed = OrderLayout.encode(msgpackCodec, sample[0] ?? orderAt(0)).length;
  const json = Buffer.byteLength(JSON.stringify(sample[0]));
  return [
    `- An order (id, exchange, symbol, side, volume, price, type, status, botId, time) is ${packed} bytes as a msgpack tuple and ${json} bytes as a JSON object.`,
    `- A stored order (\`saveOrder\`, open status): \`MEMORY USAGE\` of its key ${perKey.toFixed(0)} bytes on average over ${stored.length} keys, plus ${(indexes / count).toFixed(0)} bytes of the exchange's index and status set (${indexes} bytes for ${count} orders); about ${(perKey + indexes / count).toFixed(0)} bytes per order.`,
    `- A queued order (\`pushOpenOrder\`): the queue's pending list and order-bytes hash take ${queued} bytes for ${count} orders, ${(queued / count).toFixed(0)} bytes per order.`,
  ].join('\n');
}

/** The orders suite: queue pairs and claim cycles, and memory per stored and queued order. */
export const suite: BenchSuite = {
  name: 'orders',
  contests: orderContests,
  notes: (clients) => orderMemory(clients.msgpack),
};
