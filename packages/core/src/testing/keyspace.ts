import type { CacheConnection } from '../connection/connection.js';
import type { RedisReply } from '../connection/connection-like.js';
import { createClient } from '../connection/node-redis.js';
import { redisTarget } from './index.js';

/** A plain node-redis client to one node. */
export type NodeClient = ReturnType<typeof createClient>;

/**
 * Plain node-redis clients to every node of the suite's Redis (one for standalone, each master
 * of a cluster), for checks a prefixed connection cannot make. Disconnect them when done.
 * @returns Connected clients.
 */
export async function nodeClients(): Promise<NodeClient[]> {
  const target = redisTarget();
  const options =
    target.mode === 'standalone'
      ? [{ url: target.url }]
      : target.nodes.map((n) => ({ socket: { host: n.host, port: n.port } }));
  return Promise.all(
    options.map(async (o) => {
      const client = createClient(o);
      client.on('error', () => undefined);
      await client.connect();
      return client;
    }),
  );
}

/** Routing keys per connection: a test cluster's slot ranges do not move while it runs. */
const routes = new WeakMap<CacheConnection, Promise<(string | undefined)[]>>();

/** For each master's slot range, a key routing there (SCAN is per node on a cluster). */
function routingKeys(conn: CacheConnection): Promise<(string | undefined)[]> {
  let found = routes.get(conn);
  if (found === undefined) {
    found = findRoutingKeys(conn);
    // A failed look-up (the cluster down in a fault test) is not remembered.
    found.catch(() => routes.delete(conn));
    routes.set(conn, found);
  }
  return found;
}

async function findRoutingKeys(conn: CacheConnection): Promise<(string | undefined)[]> {
  if (conn.mode === 'standalone') return [undefined];
  const ranges = (await conn.send<RedisReply[][]>(undefined, ['CLUSTER', 'SLOTS'])).map(
    ([start, end]) => [Number(start), Number(end)] as const,
  );
  const found = new Map<number, string>();
  for (let n = 0; found.size < ranges.length && n < 10_000; n++) {
    const candidate = `route-${n}`;
    const slot = await conn.send<number>(undefined, ['CLUSTER', 'KEYSLOT', candidate]);
    const range = ranges.findIndex(([start, end]) => slot >= start && slot <= end);
    if (range >= 0 && !found.has(range)) found.set(range, candidate);
  }
  return [...found.values()];
}

/**
 * Every key under the connection's prefix, on every master (SCAN is per node), sorted.
 * @param conn - A connection of the suite.
 * @returns The keys.
 */
export async function listKeys(conn: CacheConnection): Promise<string[]> {
  const keys: string[] = [];
  for (const route of await routingKeys(conn)) {
    let cursor = '0';
    do {
      const [next, batch] = await conn.send<[string, string[]]>(route, [
        'SCAN',
        cursor,
        'MATCH',
        conn.keys.scanPattern(),
        'COUNT',
        '1000',
      ]);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
  }
  return keys.sort();
}

/**
 * How many clients subscribe to `channel`, summed over every master (NUMSUB is per node).
 * @param conn - A connection of the suite.
 * @param channel - The channel.
 * @returns The subscriber count.
 */
export async function subscriberCount(conn: CacheConnection, channel: string): Promise<number> {
  let total = 0;
  for (const route of await routingKeys(conn)) {
    const reply = await conn.send<[string, number]>(route, ['PUBSUB', 'NUMSUB', channel]);
    total += reply[1];
  }
  return total;
}

/**
 * Invalidation-tracking connections (`CLIENT LIST` flag `t`) on every node of the suite's
 * Redis, read on connections of its own.
 * @returns Their count.
 */
export async function trackingClients(): Promise<number> {
  const nodes = await nodeClients();
  try {
    let n = 0;
    for (const node of nodes) {
      const list = String(await node.sendCommand(['CLIENT', 'LIST']));
      n += list.split('\n').filter((line) => / flags=\w*t/.test(line)).length;
    }
    return n;
  } finally {
    await Promise.all(nodes.map((node) => node.disconnect()));
  }
}
