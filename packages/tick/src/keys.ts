import type { KeyBuilderLike } from '@fullon/core';
import { KeyMemo, type PatternPart, WILDCARD } from '@fullon/core/author';

/** Most tickers whose names a {@link TickKeys} remembers (about 250 bytes each). */
const MAX_CACHED_KEYS = 50_000;

/** The names of one ticker's keys and channel. */
export interface TickerNames {
  /** The hash holding the ticker. */
  readonly ticker: string;
  /** Its exchange's symbol index. */
  readonly index: string;
  /** The channel its writes are published on. */
  readonly channel: string;
  /** The names a tick stored under this key must carry (strict decode). */
  readonly identity: { readonly symbol: string; readonly exchange: string };
}

/**
 * Every key and channel of `@fullon/tick`. The only place this package names keys.
 *
 * | key / channel | type | content | bound |
 * |---|---|---|---|
 * | `tick:{exchange}:symbol` | hash | `v` = layout bytes, `t` = tick time (ms) | TTL `ttlMs` |
 * | `tick-index:{exchange}` | zset | symbol → expiry deadline (ms) | pruned on writes and reads; TTL of its longest ticker |
 * | `tick-exchanges` | zset | exchange → registration deadline (ms) | members past their deadline are dropped on read; key TTL = ticker TTL, renewed by writers |
 * | channel `ch:tick:exchange:symbol` | pub/sub | layout bytes of each write | n/a |
 *
 * The exchange is the hash tag, so one exchange's tickers and its index share a cluster slot.
 * @internal Imported by the cache and by `bench/` by relative path.
 */
export class TickKeys {
  readonly #kb: KeyBuilderLike;
  /** Names built so far, by exchange then symbol: escaping names on every hot call showed in profiles. */
  readonly #built = new KeyMemo<TickerNames>(MAX_CACHED_KEYS);
  /** The registry of exchanges (one key, its own slot). */
  readonly registry: string;
  /** What every ticker key (and no other key) starts with: the near cache tracks it. */
  readonly tickerPrefix: string;

  /** @param kb - The connection's key builder. */
  constructor(kb: KeyBuilderLike) {
    this.#kb = kb;
    this.registry = kb.key('tick-exchanges');
    this.tickerPrefix = `${kb.key('tick')}:`;
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @param symbol - Symbol.
   * @returns The hash holding one ticker.
   */
  ticker(exchange: string, symbol: string): string {
    return this.names(exchange, symbol).ticker;
  }

  /**
   * Every name one ticker's write needs, built once per ticker and remembered (bounded: past
   * MAX_CACHED_KEYS the memo starts over rather than grow with hostile input).
   * @param exchange - Exchange name (the hash tag).
   * @param symbol - Symbol.
   * @returns The ticker key, its exchange's index and its channel.
   */
  names(exchange: string, symbol: string): TickerNames {
    const cached = this.#built.get(exchange, symbol);
    if (cached !== undefined) return cached;
    const names: TickerNames = {
      ticker: this.#kb.tagged('tick', exchange, symbol),
      index: this.index(exchange),
      channel: this.#kb.channel('tick', exchange, symbol),
      identity: { symbol, exchange },
    };
    this.#built.set(exchange, symbol, names);
    return names;
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
    return this.names(exchange, symbol).channel;
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
