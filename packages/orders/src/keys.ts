import type { KeyBuilderLike } from '@fullon/core';
import { KeyMemo } from '@fullon/core/author';

/** Most queues whose key names an {@link OrderKeys} remembers. */
const MAX_CACHED_QUEUES = 10_000;
/** The memo's one outer name: queue keys are remembered by queue name alone. */
const QUEUES = 'queue';

/**
 * Every key of `@fullon/orders`. The only place this package names keys.
 *
 * Queue keys carry the queue name as hash tag (`{queue}`), order-state keys the exchange
 * (`{exchange}`), so every script touches one cluster slot.
 *
 * | key | type | content | bound |
 * |---|---|---|---|
 * | `orders-pending:{queue}` | list | order ids waiting, head = next out | drained by consumers; never capped (dropping one would lose an order) |
 * | `orders-jobs:{queue}` | hash | order id → order bytes, while queued or claimed | same members as pending + leases |
 * | `orders-leases:{queue}` | zset | claimed order id → lease deadline (server ms) | one per claim in progress |
 * | `orders-meta:{queue}` | hash | `a:<id>` → claims so far, `t:<id>` → token of the current claim | one or two fields per queued or claimed order |
 * | `orders-signal:{queue}` | list | one wake-up token per order made available | ≤ pending length (+ tokens in flight); deleted when the queue empties |
 * | `orders-dead:{queue}` | hash | `o:<id>` order bytes, `r:<id>` reason, `n:<id>` attempts, `t:<id>` time (ms) | `maxDeadLetters` (default 10 000), oldest dropped |
 * | `orders-dead-index:{queue}` | zset | dead order id → time dead-lettered (ms) | as above |
 * | `order:{exchange}:<orderId>` | string | order bytes | open: none (never evicted); terminal: TTL `ttlMs` (default 1 h) |
 * | `order-index:{exchange}` | hash | order id → status (`''` when none) | one field per stored order; pruned with the expiry set |
 * | `order-by-status:{exchange}` | zset (score 0) | `<byte length of status>:<status>:<id>` | one member per stored order |
 * | `order-expiry:{exchange}` | zset | terminal order id → expiry deadline (server ms) | pruned on every write (100 per call) and when a listing meets an expired order |
 *
 * @internal Imported by the cache, the tests and `bench/` by relative path.
 */
export class OrderKeys {
  readonly #kb: KeyBuilderLike;
  /** Queue keys built so far: escaping seven names on every push and pop is avoidable work. */
  readonly #queues = new KeyMemo<QueueKeys>(MAX_CACHED_QUEUES);

  /** @param kb - The connection's key builder. */
  constructor(kb: KeyBuilderLike) {
    this.#kb = kb;
  }

  /**
   * @param queue - Queue name (the hash tag).
   * @returns Every key of one queue, in the order the queue scripts take them.
   */
  queue(queue: string): QueueKeys {
    const known = this.#queues.get(QUEUES, queue);
    if (known !== undefined) return known;
    const kb = this.#kb;
    const pending = kb.tagged('orders-pending', queue);
    const jobs = kb.tagged('orders-jobs', queue);
    const leases = kb.tagged('orders-leases', queue);
    const meta = kb.tagged('orders-meta', queue);
    const signal = kb.tagged('orders-signal', queue);
    const dead = kb.tagged('orders-dead', queue);
    const deadIndex = kb.tagged('orders-dead-index', queue);
    const keys: QueueKeys = {
      pending,
      jobs,
      leases,
      meta,
      signal,
      dead,
      deadIndex,
      all: [pending, jobs, leases, meta, signal, dead, deadIndex],
    };
    // Bounded: past MAX_CACHED_QUEUES names the memo starts over rather than grow.
    return this.#queues.set(QUEUES, queue, keys);
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @param orderId - The order's id as a string.
   * @returns The key holding one order's bytes.
   */
  order(exchange: string, orderId: string): string {
    return this.#kb.tagged('order', exchange, orderId);
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @returns The index keys of one exchange's orders.
   */
  state(exchange: string): StateKeys {
    const kb = this.#kb;
    return {
      index: kb.tagged('order-index', exchange),
      byStatus: kb.tagged('order-by-status', exchange),
      expiry: kb.tagged('order-expiry', exchange),
    };
  }
}

/** The keys of one queue. */
export interface QueueKeys {
  /** Ids waiting, in order. */
  readonly pending: string;
  /** Order bytes of queued and claimed orders. */
  readonly jobs: string;
  /** Claimed ids by lease deadline. */
  readonly leases: string;
  /** Attempts and claim tokens. */
  readonly meta: string;
  /** Wake-up tokens for blocked consumers. */
  readonly signal: string;
  /** Dead letters (order bytes, reason, attempts, time). */
  readonly dead: string;
  /** Dead letter ids by time. */
  readonly deadIndex: string;
  /** The seven keys in the order every queue script takes them. */
  readonly all: readonly string[];
}

/** The index keys of one exchange's orders. */
export interface StateKeys {
  /** Id → status. */
  readonly index: string;
  /** Lexical index `<len>:<status>:<id>`. */
  readonly byStatus: string;
  /** Terminal ids by expiry deadline. */
  readonly expiry: string;
}
