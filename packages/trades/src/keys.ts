import type { KeyBuilderLike } from '@fullon/core';
import { inFlightKey, KeyMemo } from '@fullon/core/author';

/** Most markets whose key names a {@link TradeKeys} remembers (about 200 bytes each). */
const MAX_CACHED_MARKETS = 50_000;

/** The keys of one market's push, with the market they name. */
export interface MarketKeys {
  /** The market: the symbol without slashes (the list's field in the drop-counter hash). */
  readonly market: string;
  /** The market's list. */
  readonly list: string;
  /** Its exchange's drop-counter hash. */
  readonly dropped: string;
  /** `[list, dropped]`: the KEYS of the push script, built once rather than on every push. */
  readonly pushKeys: readonly [list: string, dropped: string];
}

/**
 * Every key of `@fullon/trades`. The only place this package names keys.
 *
 * | key | type | content | bound |
 * |---|---|---|---|
 * | `trades:{exchange}:market` | list | pending trades of one market (layout bytes), oldest first | `maxTrades` (oldest dropped, counted); TTL `ttlMs`, renewed by every push |
 * | `trades-dropped:{exchange}` | hash | market → trades dropped by the cap | one field per market that overflowed; TTL `ttlMs`, renewed by every drop |
 * | `trades-user:{exchange}:userId` | list | a user's trades on an exchange (layout bytes), oldest first | `maxTrades` (oldest dropped, counted); TTL `ttlMs`, renewed by every push |
 * | `trades-user:{exchange}:userId:in-flight` | zset | `token + trade bytes` → lease deadline (epoch ms): trades a pop took and has not confirmed yet | entries past their lease go back to the queue's head on the next pop; at most 10 000; TTL at least the queue's |
 * | `trades-user-dropped:{exchange}` | hash | userId → trades dropped by the cap | one field per user that overflowed; TTL `ttlMs`, renewed by every drop |
 * | `trades-status` | zset | status key → last stamp (epoch ms) | newest 10 000 stamps (older dropped on write); TTL `ttlMs`, renewed by every stamp |
 * | `trades-user-status` | zset | status key → last stamp (epoch ms) | as `trades-status` |
 *
 * `market` is the symbol without its slashes (`BTC/USDT` and `BTCUSDT` name one list, as in
 * the Python original). The exchange is the hash tag: a push touches a list and its exchange's
 * drop counter in one script, so both share a cluster slot. The two status indexes span every
 * exchange and live in slots of their own; no script touches them together with a list.
 * @internal Imported by the cache and by `bench/` by relative path.
 */
export class TradeKeys {
  readonly #kb: KeyBuilderLike;
  /** Keys built so far, by exchange then symbol: escaping names on every push showed in profiles. */
  readonly #built = new KeyMemo<MarketKeys>(MAX_CACHED_MARKETS);
  /** The index of trade status stamps. */
  readonly status: string;
  /** `[status]`: the KEYS of the stamp script on {@link TradeKeys.status}, built once. */
  readonly statusKeys: readonly [index: string];
  /** The index of user-trade status stamps. */
  readonly userStatus: string;
  /** `[userStatus]`: the KEYS of the stamp script on {@link TradeKeys.userStatus}. */
  readonly userStatusKeys: readonly [index: string];

  /** @param kb - The connection's key builder. */
  constructor(kb: KeyBuilderLike) {
    this.#kb = kb;
    this.status = kb.key('trades-status');
    this.statusKeys = [this.status];
    this.userStatus = kb.key('trades-user-status');
    this.userStatusKeys = [this.userStatus];
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @param market - Symbol without slashes (see {@link marketOf}); a symbol with slashes names
   *   its market's list as well.
   * @returns The list of pending trades of one market.
   */
  trades(exchange: string, market: string): string {
    return this.market(exchange, market)?.list ?? this.#kb.tagged('trades', exchange, market);
  }

  /**
   * The keys of a symbol's market: built once per exchange and spelling (`BTC/USDT` and
   * `BTCUSDT` are two entries naming one market) and remembered, so a push neither strips the
   * slashes nor escapes names again (bounded: past MAX_CACHED_MARKETS the memo starts over
   * rather than grow with hostile input).
   * @param exchange - Exchange name (the hash tag), already validated.
   * @param symbol - Symbol with or without `/`, already validated.
   * @returns The market and its keys, or `undefined` when the symbol holds nothing but `/`
   *   (it names no market).
   */
  market(exchange: string, symbol: string): MarketKeys | undefined {
    const cached = this.#built.get(exchange, symbol);
    if (cached !== undefined) return cached;
    const market = marketOf(symbol);
    if (market === '') return undefined;
    const list = this.#kb.tagged('trades', exchange, market);
    const dropped = this.dropped(exchange);
    const keys: MarketKeys = { market, list, dropped, pushKeys: [list, dropped] };
    this.#built.set(exchange, symbol, keys);
    return keys;
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @returns The hash counting, per market, the trades its cap dropped.
   */
  dropped(exchange: string): string {
    return this.#kb.tagged('trades-dropped', exchange);
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @param userId - The user, as a string.
   * @returns The list of one user's trades on one exchange.
   */
  userTrades(exchange: string, userId: string): string {
    return this.#kb.tagged('trades-user', exchange, userId);
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @param userId - The user, as a string.
   * @returns The in-flight set of one user's queue (see `takeQueued` in `@fullon/core/author`).
   */
  userTradesInFlight(exchange: string, userId: string): string {
    return inFlightKey(this.userTrades(exchange, userId));
  }

  /**
   * @param exchange - Exchange name (the hash tag).
   * @returns The hash counting, per user, the trades its cap dropped.
   */
  userDropped(exchange: string): string {
    return this.#kb.tagged('trades-user-dropped', exchange);
  }
}

/**
 * The market a symbol's trades are kept under: the symbol without `/`, as the Python original
 * does, so `BTC/USDT` and `BTCUSDT` share one list.
 * @param symbol - A validated symbol.
 * @returns The symbol with every `/` removed (may be empty; the caller rejects that).
 */
export function marketOf(symbol: string): string {
  return symbol.includes('/') ? symbol.replaceAll('/', '') : symbol;
}
