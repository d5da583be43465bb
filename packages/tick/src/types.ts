import type { DecodedSubscription } from '@fullon/core/author';
import type { Tick } from './schema.js';

// The public types of `TickCache`'s methods (its constructor options are in options.ts).

/** A ticker named by symbol and exchange. */
export interface SymbolRef {
  /** Symbol, e.g. `BTC/USDT`. */
  symbol: string;
  /** Exchange name, e.g. `binance`. */
  exchange: string;
}

/** Options of {@link TickCache.setTicker} and {@link TickCache.setTickers}. */
export interface SetTickerOptions {
  /** Write even when the stored tick is newer. Defaults to `false`. */
  force?: boolean;
}

/** Options of {@link TickCache.getTicker} and {@link TickCache.getPrice}. */
export interface GetTickerOptions {
  /** Treat a tick whose `time` is more than this many ms in the past as missing. Defaults to no limit. */
  maxAgeMs?: number;
}

/** Options of {@link TickCache.getAllTickers}. */
export interface GetAllTickersOptions {
  /** Only this exchange. Defaults to every exchange that has tickers. */
  exchange?: string;
}

/** Options of {@link TickCache.getAnyTicker}. */
export interface GetAnyTickerOptions {
  /** Exchanges to look in, in order of preference. Defaults to every exchange, in name order. */
  exchanges?: readonly string[];
}

/** Options of {@link TickCache.subscribe}. */
export interface TickSubscribeOptions {
  /** Only this exchange. Defaults to every exchange. */
  exchange?: string;
  /** Only this symbol. Defaults to every symbol. */
  symbol?: string;
  /** Ends the subscription when aborted. */
  signal?: AbortSignal;
  /** Ticks buffered for a slow consumer before the oldest are dropped. Defaults to 10 000. */
  bufferSize?: number;
}

/** Options of {@link TickCache.waitForTicker}. */
export interface WaitForTickerOptions {
  /** How long to wait for a tick, in ms. Defaults to 30 000. */
  timeoutMs?: number;
  /** A stored tick older than this (ms) does not count; wait for the next one. Defaults to no limit. */
  maxAgeMs?: number;
}

/**
 * A live stream of ticks, returned by `TickCache.subscribe`. The subscription starts at once;
 * `ready` resolves when the server has confirmed it (every tick published afterwards is
 * delivered). Iterate it with `for await`; it ends when its signal aborts, when `close()` is
 * called, or when the loop breaks. A payload that does not decode is skipped and reported
 * through the connection's `onCorrupt` hook.
 */
export type TickSubscription = DecodedSubscription<Tick>;
