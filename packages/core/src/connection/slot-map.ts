import { keySlot } from '../keys/slot.js';
import type { RedisReply } from './connection-like.js';
import { settledWithin } from './link.js';
import type { ClusterClient, StandaloneClient } from './node-redis.js';

/** How often a refresh of the slot map may run while a master is unreachable. */
const REFRESH_INTERVAL_MS = 250;

type ShardNode = ClusterClient['masters'][number];

/** The node's client when it exists and is ready. */
function readyClient(node: ShardNode): StandaloneClient | undefined {
  const client = node.client;
  if (client === undefined || client instanceof Promise) return undefined;
  const ready = client as StandaloneClient;
  return ready.isReady ? ready : undefined;
}

/** A key whose slot `owner` serves in the current map (for routing a probe through it). */
function keyServedBy(cluster: ClusterClient, owner: ShardNode): string | undefined {
  for (let i = 0; i < 10_000; i++) {
    const key = `fullon-probe-${i}`;
    if (cluster.slots[keySlot(key)]?.master === owner) return key;
  }
  return undefined;
}

/** `ip:port` of the master serving `slot` in a `CLUSTER SLOTS` reply. */
function ownerIn(reply: RedisReply, slot: number): string | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (const range of reply) {
    if (!Array.isArray(range)) continue;
    const [from, to, master] = range;
    if (Number(from) <= slot && slot <= Number(to) && Array.isArray(master)) {
      return `${String(master[0])}:${String(master[1])}`;
    }
  }
  return undefined;
}

/**
 * Keeps node-redis's slot map current after a failover. node-redis v4 refreshes its map only
 * when a command gets a `MOVED` reply, and a command for a dead master is never sent, so
 * without this the moved slots failed on the existing connection for as long as it lived.
 * While a master's client is down, this asks a live master for `CLUSTER SLOTS`; once another
 * node serves the dead master's slots, it routes one `EXISTS` for such a slot through the live
 * master, whose `MOVED` reply makes node-redis rediscover the cluster (and drop the dead
 * node's client). Runs at most every 250 ms, one at a time.
 * @internal
 */
export class SlotMapRefresher {
  readonly #cluster: ClusterClient;
  readonly #timeoutMs: number;
  #running = false;
  #next = 0;

  /**
   * @param cluster - The cluster client.
   * @param timeoutMs - Bound of each probe.
   */
  constructor(cluster: ClusterClient, timeoutMs: number) {
    this.#cluster = cluster;
    this.#timeoutMs = timeoutMs;
  }

  /** A master looked unreachable: refresh the map soon, unless a refresh just ran. */
  suspect(): void {
    const now = Date.now();
    if (this.#running || now < this.#next) return;
    this.#running = true;
    this.#next = now + REFRESH_INTERVAL_MS;
    void settledWithin(this.#probe(), this.#timeoutMs).finally(() => {
      this.#running = false;
    });
  }

  /**
   * Makes node-redis rediscover the cluster now (after a `MOVED` that it did not see).
   * @param key - A key of the moved slot.
   */
  moved(key: string): void {
    void settledWithin(
      this.#cluster.sendCommand(key, false, ['EXISTS', key]).catch(() => undefined),
      this.#timeoutMs,
    );
  }

  async #probe(): Promise<void> {
    const cluster = this.#cluster;
    const live = cluster.masters.find((m) => readyClient(m) !== undefined);
    const dead = cluster.masters.find((m) => readyClient(m) === undefined);
    const liveClient = live === undefined ? undefined : readyClient(live);
    if (live === undefined || dead === undefined || liveClient === undefined) return;
    const slot = cluster.slots.findIndex((shard) => shard?.master === dead);
    if (slot < 0) return;
    const view = await liveClient.sendCommand<RedisReply>(['CLUSTER', 'SLOTS']);
    const owner = ownerIn(view, slot);
    if (owner === undefined || owner === dead.address) return; // no failover yet
    const route = keyServedBy(cluster, live);
    const moved = keyServedBy(cluster, dead);
    if (route === undefined || moved === undefined) return;
    // Sent to the live master (routed by `route`), about a key it does not own: MOVED.
    await cluster.sendCommand(route, false, ['EXISTS', moved]).catch(() => undefined);
  }
}
