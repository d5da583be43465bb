import { type KeyBuilder, type PatternPart, WILDCARD } from '@fullon/core';

/** Most ticker keys a {@link TickKeys} remembers (about 100 bytes each). */
const MAX_CACHED_KEYS = 50_000;

/**
 * Every key and channel of `@fullon/tick`. The only place this package names keys.
 *
 * | key / channel | type | content | bound |
 * |---|---|---|---|
 * | `tick:{exchange}:symbol` | hash | `v` = layout bytes, `t` = tick time (ms) | TTL `tickerTtlMs` |
 * | `tick-index:{exchange}` | zset | symbol → expiry deadline (ms) | pruned on writes and reads; TTL of its longest ticker |
 * | `tick-exchanges` | zset | exchange → registration deadline (ms) | members past their deadline are dropped on read; key TTL = ticker TTL, renewed by writers |
 * | channel `ch:tick:exchange:symbol` | pub/sub | layout bytes of each write | n/a |
 *
 * The exchange is the hash tag, so one exchange's tickers and its index share a cluster slot.
 * @internal Imported by the cache and by `bench/` by relative path.
 */
export class TickKeys {
  readonly #kb: KeyBuilder;
  /** Ticker keys built so far, by exchange then symbol: escaping two names per hot read showed in profiles. */
  readonly #tickerKeys = new Map<string, Map<string, string>>();
  #cachedKeys = 0;
  /** The registry of exchanges (one key, its own slot). */
  readonly registry: string;

  /** @param kb - The connection's key builder. */
  constructor(kb: KeyBuilder) {
    this.#kb = kb;
    this.registry = kb.key('tick-exchanges');
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @param symbol - Symbol.
   * @returns The hash holding one ticker.
   */
  ticker(exchange: string, symbol: string): string {
    let bySymbol = this.#tickerKeys.get(exchange);
    const cached = bySymbol?.get(symbol);
    if (cached !== undefined) return cached;
    const key = this.#kb.tagged('tick', exchange, symbol);
    // Bounded: past MAX_CACHED_KEYS the memo starts over rather than grow with hostile input.
    if (this.#cachedKeys >= MAX_CACHED_KEYS) {
      this.#tickerKeys.clear();
      this.#cachedKeys = 0;
      bySymbol = undefined;
    }
    if (bySymbol === undefined) {
      bySymbol = new Map();
      this.#tickerKeys.set(exchange, bySymbol);
    }
    bySymbol.set(symbol, key);
    this.#cachedKeys++;
    return key;
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @returns The sorted set of one exchange's symbols (same slot as its tickers).
   */
  index(exchange: string): string {
    return this.#kb.tagged('tick-index', exchange);
  }

  /**
   * @param exchange - Exchange name.
   * @param symbol - Symbol.
   * @returns The channel on which one ticker's writes are published.
   */
  channel(exchange: string, symbol: string): string {
    return this.#kb.channel('tick', exchange, symbol);
  }

  /**
   * @param exchange - An exchange, or `undefined` for every exchange.
   * @param symbol - A symbol, or `undefined` for every symbol.
   * @returns The PSUBSCRIBE pattern matching those tickers' channels.
   */
  pattern(exchange: string | undefined, symbol: string | undefined): string {
    const ex: PatternPart = exchange ?? WILDCARD;
    const sym: PatternPart = symbol ?? WILDCARD;
    return this.#kb.channelPattern('tick', ex, sym);
  }
}
