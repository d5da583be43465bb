import { EventEmitter } from 'node:events';
import type { CacheConnectionLike, InvalidationTracking } from '@fullon/core';
import { ConfigurationError } from '@fullon/core';
import { BUFFERS } from '@fullon/core/author';
import type { TickerNames } from './keys.js';
import { TickLayout } from './layouts.js';
import type { Tick } from './schema.js';

/** Default bound of the near cache: 10 000 tickers. */
export const DEFAULT_NEAR_CACHE_ENTRIES = 10_000;

/** Options of the near cache (`new TickCache(conn, { nearCache: { … } })`). */
export interface NearCacheOptions {
  /** Most tickers held in memory; the least recently used go first. Defaults to 10 000. */
  maxEntries?: number;
}

/** Counters of a {@link NearCache}, since it was created. */
export interface NearCacheStats {
  /** Reads answered from memory. */
  hits: number;
  /** Reads that went to Redis (not held, or the cache was not live). */
  misses: number;
  /** Keys the server reported changed. */
  invalidations: number;
  /** Entries dropped to keep within `maxEntries`. */
  evictions: number;
  /** Times the whole cache was emptied (tracking lost, a database flush, close). */
  flushes: number;
}

/** Events of {@link NearCache.events}. */
export interface NearCacheEvents {
  /** The server reported these keys changed; `null`: the database was flushed. */
  invalidate: [keys: readonly string[] | null];
  /** The cache was emptied and is bypassed until `live`. */
  reset: [];
  /** Tracking is confirmed; reads are served from memory again. */
  live: [];
}

interface Entry {
  tick: Tick | null;
  /** Value of the use clock when the entry was last moved to the recent end. */
  stamp: number;
}

/** Reads of one key in flight, and how often the key was invalidated meanwhile. */
interface Pending {
  seq: number;
  count: number;
}

/** What a read that missed remembers, to store its result only if nothing changed meanwhile. @internal */
export interface ReadToken {
  readonly key: string;
  readonly epoch: number;
  readonly seq: number;
  readonly pending: Pending;
}

/**
 * The opt-in in-process cache of a {@link TickCache}: the last read value of each ticker, kept
 * correct by the server. Tracking (CLIENT TRACKING in BCAST mode for every key under the
 * tickers' prefix) reports every change to a ticker, whoever makes it; the entry is dropped
 * when the report arrives. Until tracking is confirmed, and whenever a tracking or data
 * connection drops, the cache is empty and every read goes to Redis.
 *
 * Guarantee: a read never returns a tick older than the last invalidation this process
 * received; after a write on another process, the new value is visible within the
 * invalidation latency. Writes made through the same `TickCache` are visible to it at once.
 * Ticks served from memory are frozen (shared by every reader).
 */
export class NearCache {
  /** Most entries held. */
  readonly maxEntries: number;
  /** `invalidate`, `reset` and `live` notifications (tests, metrics). */
  readonly events = new EventEmitter<NearCacheEvents>();
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Pending>();
  readonly #promoteAfter: number;
  readonly #tracking: InvalidationTracking;
  #clock = 0;
  #epoch = 0;
  #live = false;
  #closed = false;
  #hits = 0;
  #misses = 0;
  #invalidations = 0;
  #evictions = 0;
  #flushes = 0;

  /**
   * @internal Created by `TickCache` with the `nearCache` option.
   * @param conn - The connection; it must offer `trackInvalidations`.
   * @param prefix - Every ticker key starts with it.
   * @param maxEntries - The bound.
   * @throws {ConfigurationError} (variable `nearCache`) when the connection cannot track invalidations.
   */
  constructor(conn: CacheConnectionLike, prefix: string, maxEntries: number) {
    if (typeof conn.trackInvalidations !== 'function') {
      throw new ConfigurationError(
        'nearCache',
        'nearCache needs a connection that tracks invalidations (connect() of @fullon/core); this connection has no trackInvalidations()',
      );
    }
    this.maxEntries = maxEntries;
    this.#promoteAfter = Math.max(1, Math.floor(maxEntries / 2));
    this.#tracking = conn.trackInvalidations(prefix, {
      onInvalidate: (keys) => this.#invalidate(keys),
      onReset: () => this.#reset(),
      onLive: () => this.#goLive(),
    });
  }

  /** Whether reads are served from memory now (tracking confirmed on every master). */
  get live(): boolean {
    return this.#live;
  }

  /** How many tickers are held. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Waits until the cache is live (tracking confirmed), so the next reads can be served from memory.
   * @param timeoutMs - The bound. Defaults to 10 000 ms.
   * @returns `true` once live, `false` when closed or `timeoutMs` passed first.
   */
  ready(timeoutMs = 10_000): Promise<boolean> {
    if (this.#live) return Promise.resolve(true);
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.events.off('live', onLive);
        resolve(value);
      };
      const onLive = () => done(true);
      const timer = setTimeout(done, timeoutMs, false);
      this.events.on('live', onLive);
    });
  }

  /** @returns A copy of the counters. */
  stats(): NearCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      invalidations: this.#invalidations,
      evictions: this.#evictions,
      flushes: this.#flushes,
    };
  }

  /**
   * @internal The hot read.
   * @param key - Ticker key.
   * @returns The held tick (`null`: known missing), or `undefined` when it must be read from Redis.
   */
  lookup(key: string): Tick | null | undefined {
    if (!this.#live) {
      this.#misses++;
      return undefined;
    }
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    // Approximate LRU: an entry moves to the recent end only when it has not moved for half
    // the capacity's worth of operations, so a hot entry costs one comparison per hit.
    const clock = ++this.#clock;
    if (clock - entry.stamp > this.#promoteAfter) {
      entry.stamp = clock;
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry.tick;
  }

  /**
   * @internal Called before a read that missed is sent.
   * @param key - Ticker key.
   * @returns The token to pass to {@link NearCache.settle}, or `undefined` when the result must not be kept.
   */
  begin(key: string): ReadToken | undefined {
    if (!this.#live) return undefined;
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = { seq: 0, count: 0 };
      this.#pending.set(key, pending);
    }
    pending.count++;
    return { key, epoch: this.#epoch, seq: pending.seq, pending };
  }

  /**
   * @internal Called when the read completed (`tick`) or failed (`undefined`): the value is
   * kept only when nothing about the key changed since {@link NearCache.begin}.
   * @param token - From `begin`.
   * @param tick - The tick read (`null`: none stored), or `undefined` on failure.
   */
  settle(token: ReadToken, tick: Tick | null | undefined): void {
    const { key, pending } = token;
    if (--pending.count === 0 && this.#pending.get(key) === pending) this.#pending.delete(key);
    if (
      tick === undefined ||
      !this.#live ||
      token.epoch !== this.#epoch ||
      token.seq !== pending.seq ||
      // On a cluster, this also finds a master the read may have been routed to that tracking
      // does not cover yet (and then resets, which moves the epoch).
      !this.#tracking.live ||
      token.epoch !== this.#epoch
    ) {
      return;
    }
    const clock = ++this.#clock;
    const held = this.#entries.get(key);
    const value = tick === null ? null : Object.freeze(tick);
    if (held !== undefined) {
      held.tick = value;
      return;
    }
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) {
        this.#entries.delete(oldest.value);
        this.#evictions++;
      }
    }
    this.#entries.set(key, { tick: value, stamp: clock });
  }

  /**
   * @internal A write through this process's `TickCache` completed: drop the key now rather
   * than when the server's report arrives, so the writer reads its own write.
   * @param key - Ticker key.
   */
  forget(key: string): void {
    this.#entries.delete(key);
    const pending = this.#pending.get(key);
    if (pending !== undefined) pending.seq++;
  }

  #invalidate(keys: readonly string[] | null): void {
    if (keys === null) {
      this.#flush();
    } else {
      this.#invalidations += keys.length;
      for (const key of keys) this.forget(key);
    }
    if (this.events.listenerCount('invalidate') > 0) this.events.emit('invalidate', keys);
  }

  /** Empties the cache; reads in flight will not store what they read. */
  #flush(): void {
    this.#epoch++;
    this.#entries.clear();
    this.#flushes++;
  }

  #reset(): void {
    if (!this.#live && this.#entries.size === 0) {
      this.#epoch++;
      return;
    }
    this.#live = false;
    this.#flush();
    this.events.emit('reset');
  }

  #goLive(): void {
    if (this.#closed) return;
    this.#live = true;
    this.events.emit('live');
  }

  /**
   * @internal Stops tracking and closes its connections; reads go to Redis from now on. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#reset();
    await this.#tracking.close();
    this.events.removeAllListeners();
  }
}

/**
 * Applies a `maxAgeMs` limit.
 * @internal
 * @param tick - A tick.
 * @param maxAgeMs - The age limit in ms, or `undefined` for none.
 * @returns The tick, or `null` when it is more than `maxAgeMs` old.
 */
export function fresh(tick: Tick, maxAgeMs: number | undefined): Tick | null {
  return maxAgeMs !== undefined && tick.time < Date.now() - maxAgeMs ? null : tick;
}

/**
 * Reads one ticker (`getTicker`, `getPrice`, `waitForTicker`): one HGET of the stored bytes,
 * decoded strictly. With the near cache on, a held ticker is answered from memory, and a read
 * that missed keeps its result unless the key changed meanwhile.
 * @internal
 * @param conn - The cache's connection.
 * @param near - The near cache, or `undefined` when it is off.
 * @param names - The ticker's names (already checked).
 * @param maxAgeMs - The age limit (already checked), or `undefined` for none.
 * @returns The tick, or `null` when none is stored or it is too old.
 * @throws {DecodeError} (with the key) when the stored value is corrupt or names another ticker.
 */
export function readTicker(
  conn: CacheConnectionLike,
  near: NearCache | undefined,
  names: TickerNames,
  maxAgeMs: number | undefined,
): Promise<Tick | null> {
  const key = names.ticker;
  if (near !== undefined) {
    const held = near.lookup(key);
    if (held !== undefined) return Promise.resolve(held === null ? null : fresh(held, maxAgeMs));
    const token = near.begin(key);
    if (token !== undefined) return readThrough(conn, near, token, names, maxAgeMs);
  }
  const codec = conn.codec;
  return conn.send(key, ['HGET', key, 'v'], BUFFERS, (bytes: Buffer | null) =>
    bytes === null
      ? null
      : fresh(TickLayout.decode(codec, bytes, key, 'v', names.identity), maxAgeMs),
  );
}

/** A read that missed the near cache: the result is kept unless the key changed meanwhile. */
function readThrough(
  conn: CacheConnectionLike,
  near: NearCache,
  token: ReadToken,
  names: TickerNames,
  maxAgeMs: number | undefined,
): Promise<Tick | null> {
  const key = names.ticker;
  const codec = conn.codec;
  return conn
    .send(key, ['HGET', key, 'v'], BUFFERS, (bytes: Buffer | null) => {
      const tick =
        bytes === null ? null : TickLayout.decode(codec, bytes, key, 'v', names.identity);
      near.settle(token, tick);
      return tick === null ? null : fresh(tick, maxAgeMs);
    })
    .catch((error: unknown) => {
      near.settle(token, undefined);
      throw error;
    });
}

/**
 * Runs a write; with the near cache on, drops the keys it touches once it settles, so this
 * process reads its own write before the server's invalidation report arrives.
 * @internal
 * @param near - The near cache, or `undefined` when it is off.
 * @param keys - The ticker keys the write touches.
 * @param write - The write, already sent.
 * @returns `write`'s result.
 */
export function forgetWritten<T>(
  near: NearCache | undefined,
  keys: readonly string[],
  write: Promise<T>,
): Promise<T> {
  if (near === undefined) return write;
  const forget = () => {
    for (const key of keys) near.forget(key);
  };
  return write.finally(forget);
}
