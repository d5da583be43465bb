import type { KeyBuilderLike } from '@fullon/core';
import { escapeKeyPart, KeyMemo } from '@fullon/core/author';
import type { Timeframe } from './schema.js';

/** Most series whose names an {@link OhlcvKeys} remembers (about 300 bytes each). */
const MAX_CACHED = 50_000;

/** The names of one series (market and timeframe). */
export interface SeriesNames {
  /** The sorted set holding the bars. */
  readonly bars: string;
  /** The channel each upsert is published on. */
  readonly channel: string;
}

/**
 * Every key and channel of `@fullon/ohlcv`. The only place this package names keys.
 *
 * | key / channel | type | content | bound |
 * |---|---|---|---|
 * | `ohlcv:{<exchange>:<symbol>:<timeframe>}` | zset | member = bar tuple bytes, score = open time (ms) | newest `maxBars` (10 000) kept by every write; TTL `ttlMs` (7 days) after the last write |
 * | channel `ch:ohlcv:<exchange>:<symbol>:<timeframe>` | pub/sub | the bars of each upsert, one message per call | n/a |
 *
 * The hash tag is the whole series (exchange, symbol and timeframe, each escaped, joined by
 * `:` and escaped again as one name), so series spread over a cluster's slots instead of
 * piling one exchange onto one node.
 * @internal Imported by the cache and by `bench/` by relative path.
 */
export class OhlcvKeys {
  readonly #kb: KeyBuilderLike;
  readonly #built = new KeyMemo<SeriesNames>(MAX_CACHED);

  /** @param kb - The connection's key builder. */
  constructor(kb: KeyBuilderLike) {
    this.#kb = kb;
  }

  /**
   * The names of one series, built once and remembered (bounded: past 50 000 series the memo
   * starts over rather than grow with hostile input).
   * @param symbol - Symbol.
   * @param exchange - Exchange.
   * @param timeframe - Timeframe.
   * @returns The series' key and channel.
   */
  series(symbol: string, exchange: string, timeframe: Timeframe): SeriesNames {
    // A timeframe holds no ':', so `timeframe:symbol` names one (symbol, timeframe) pair.
    const inner = `${timeframe}:${symbol}`;
    const cached = this.#built.get(exchange, inner);
    if (cached !== undefined) return cached;
    // Escaped parts hold no ':', so the joined tag is injective.
    const tag = `${escapeKeyPart(exchange)}:${escapeKeyPart(symbol)}:${timeframe}`;
    const names: SeriesNames = {
      bars: this.#kb.tagged('ohlcv', tag),
      channel: this.#kb.channel('ohlcv', exchange, symbol, timeframe),
    };
    this.#built.set(exchange, inner, names);
    return names;
  }
}
