import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import {
  BUFFERS,
  DEFAULT_CHUNK_SIZE,
  decodeListed,
  inChunks,
  MAX_COUNT,
  runOperation,
  ScriptReply,
} from '@fullon/core/author';
import { checkTradeArray, noMarket, parseTrade } from './args.js';
import { type MarketKeys, marketOf, type TradeKeys } from './keys.js';
import { encodeTrade, TradeLayout } from './layouts.js';
import type { ResolvedOptions } from './options.js';
import { corruptCounter, pushList } from './push.js';
import type { Trade } from './schema.js';
import { checkPushScript } from './scripts/check-push.js';
import { pushTradesScript } from './scripts/push-trades.js';
import { stampPushed } from './status-stamps.js';

// Market trade lists: pushing one trade or a batch (then stamping the exchange), draining and
// reading a list.

/** The trades of one batch that go to one market's list. */
export interface MarketBatch {
  /** The market and its keys. */
  readonly target: MarketKeys;
  /** The trades' layout bytes, in input order. */
  readonly items: Buffer[];
}

/**
 * The market and keys of a validated symbol on a validated exchange.
 * @param keys - The package's keys.
 * @param exchange - Exchange name.
 * @param symbol - Symbol, with or without `/`.
 * @param field - The argument or field that holds the symbol.
 * @returns The market's keys.
 * @throws {ValidationError} naming `field` when the symbol holds nothing but slashes.
 * @internal
 */
export function marketTarget(
  keys: TradeKeys,
  exchange: string,
  symbol: string,
  field: string,
): MarketKeys {
  const target = keys.market(exchange, symbol);
  if (target === undefined) throw noMarket(field);
  return target;
}

/**
 * The work of {@link TradesCache.pushTrade}: checks and pushes one trade to its market's list,
 * then stamps the exchange (a corrupt status index is reported, not thrown).
 * @param conn - The connection.
 * @param keys - The package's keys.
 * @param exchange - Exchange name, already validated.
 * @param trade - The trade as given.
 * @param options - The cap and the TTL.
 * @returns The list length after the push.
 * @throws {ValidationError} naming the trade's field; nothing is written.
 * @throws {DecodeError} naming the key when the list or its drop counter is corrupt.
 * @internal
 */
export function pushMarketTrade(
  conn: CacheConnectionLike,
  keys: TradeKeys,
  exchange: string,
  trade: unknown,
  options: ResolvedOptions,
): Promise<number> {
  const parsed = parseTrade(trade);
  const target = marketTarget(keys, exchange, parsed.symbol, 'symbol');
  const bytes = encodeTrade(conn.codec, parsed);
  const { cap, ttlMs } = options;
  // The push and the stamp after it are one operation: close() drains both. Promise steps
  // rather than async bodies: one layer less per call on a hot write.
  return runOperation(conn, (op) =>
    pushTradesScript(op, target.pushKeys, {
      field: target.market,
      cap,
      ttlMs,
      trades: [bytes],
    }).then((length) => {
      if (length === ScriptReply.corrupt) throw corruptCounter(target.dropped, target.market);
      return stampPushed(op, keys.statusKeys, exchange, ttlMs).then(() => length);
    }),
  );
}

/**
 * The work of {@link TradesCache.pushTrades}: checks every trade, pushes them grouped by
 * market ({@link pushBatches}), then stamps the exchange once.
 * @param conn - The connection.
 * @param keys - The package's keys.
 * @param exchange - Exchange name, already validated.
 * @param trades - The trades as given.
 * @param options - The cap and the TTL.
 * @returns How many trades were pushed.
 * @throws {ValidationError} naming `trades` or a trade's field; nothing is written.
 * @throws {DecodeError} naming the key when a list or its drop counter is corrupt.
 * @internal
 */
export async function pushMarketTrades(
  conn: CacheConnectionLike,
  keys: TradeKeys,
  exchange: string,
  trades: unknown,
  options: ResolvedOptions,
): Promise<number> {
  checkTradeArray(trades);
  const groups = groupByMarket(conn, keys, exchange, trades);
  if (trades.length === 0) return 0;
  await runOperation(conn, async (op) => {
    await pushBatches(op, keys.dropped(exchange), groups, trades.length, options);
    await stampPushed(op, keys.statusKeys, exchange, options.ttlMs);
  });
  return trades.length;
}

/**
 * Checks and encodes a batch of trades, grouped by market (not by spelling: `BTC/USDT` and
 * `BTCUSDT` trades share one list and one order).
 * @param conn - The connection (its codec encodes).
 * @param keys - The package's keys.
 * @param exchange - Exchange name, already validated.
 * @param trades - The trades as given.
 * @returns One batch per market, in order of first appearance.
 * @throws {ValidationError} naming the trade and field, e.g. `trades[3].price`.
 * @internal
 */
export function groupByMarket(
  conn: CacheConnectionLike,
  keys: TradeKeys,
  exchange: string,
  trades: readonly unknown[],
): MarketBatch[] {
  const byMarket = new Map<string, MarketBatch>();
  trades.forEach((trade, i) => {
    const parsed = parseTrade(trade, `trades[${i}]`);
    const target = marketTarget(keys, exchange, parsed.symbol, `trades[${i}].symbol`);
    const bytes = encodeTrade(conn.codec, parsed);
    const group = byMarket.get(target.market);
    if (group === undefined) byMarket.set(target.market, { target, items: [bytes] });
    else group.items.push(bytes);
  });
  return [...byMarket.values()];
}

/**
 * Pushes grouped batches, one script call per market and 500 trades, all issued at once. A
 * batch of more than one call is first checked for stored garbage in one read-only script, so
 * a batch that meets a corrupt list or counter writes nothing.
 * @param conn - The connection.
 * @param dropped - The exchange's drop-counter hash.
 * @param groups - The batches, from {@link groupByMarket}.
 * @param total - How many trades they hold.
 * @param options - The cap and the TTL.
 * @throws {DecodeError} naming the key when a list or its drop counter is corrupt.
 * @internal
 */
export async function pushBatches(
  conn: CacheConnectionLike,
  dropped: string,
  groups: readonly MarketBatch[],
  total: number,
  options: ResolvedOptions,
): Promise<void> {
  if (groups.length > 1 || total > DEFAULT_CHUNK_SIZE) {
    await checkPushScript(conn, [dropped, ...groups.map(({ target }) => target.list)], {
      cap: options.cap,
      fields: groups.map(({ target }) => target.market),
      counts: groups.map(({ items }) => items.length),
    });
  }
  await Promise.all(
    groups.map(({ target, items }) =>
      inChunks(
        items,
        async (slice) => [await pushList(conn, target.pushKeys, target.market, slice, options)],
        DEFAULT_CHUNK_SIZE,
      ),
    ),
  );
}

/**
 * Drains a market's list, oldest first, in one command (LPOP with a count).
 * @param conn - The connection.
 * @param target - The market's keys.
 * @param limit - Drain at most this many; `undefined` drains all.
 * @returns The drained trades, corrupt entries skipped (see {@link decodeList}).
 * @internal
 */
export function drainList(
  conn: CacheConnectionLike,
  target: MarketKeys,
  limit: number | undefined,
): Promise<Trade[]> {
  const { list: key, market } = target;
  // No list is longer than MAX_COUNT (the largest cap), so that count drains all of it.
  const count = String(limit ?? MAX_COUNT);
  // Decoded in the command's own promise step: a drain is one promise layer.
  return conn.send(key, ['LPOP', key, count], BUFFERS, (items: Buffer[] | null) =>
    decodeList(conn, items ?? [], key, market),
  );
}

/**
 * Reads a market's list without removing anything, oldest first.
 * @param conn - The connection.
 * @param target - The market's keys.
 * @param limit - Read at most this many; `undefined` reads all.
 * @returns The trades, corrupt entries skipped (see {@link decodeList}).
 * @internal
 */
export async function readList(
  conn: CacheConnectionLike,
  target: MarketKeys,
  limit: number | undefined,
): Promise<Trade[]> {
  const { list: key, market } = target;
  const last = limit === undefined ? '-1' : String(limit - 1);
  const items = await conn.send<Buffer[]>(key, ['LRANGE', key, '0', last], BUFFERS);
  return decodeList(conn, items, key, market);
}

/**
 * Decodes a market list's entries; an entry that is corrupt, or a trade of another market, is
 * skipped and reported through the connection's `onCorrupt` hook.
 * @param conn - The connection.
 * @param items - The entries, oldest first.
 * @param key - The list.
 * @param market - The market its key names.
 * @returns The trades, oldest first.
 * @internal
 */
export function decodeList(
  conn: CacheConnectionLike,
  items: readonly Buffer[],
  key: string,
  market: string,
): Trade[] {
  const codec = conn.codec;
  const out: Trade[] = [];
  // A list holds one or two spellings of its symbol: check each spelling once.
  let checked: string | undefined;
  items.forEach((bytes, i) => {
    const trade = decodeListed(conn, () => {
      const decoded = TradeLayout.decode(codec, bytes, key, String(i));
      if (decoded.symbol === checked) return decoded;
      if (marketOf(decoded.symbol) === market) checked = decoded.symbol;
      else {
        throw new DecodeError(
          key,
          String(i),
          `stored trade.symbol is ${JSON.stringify(decoded.symbol)}, not a symbol of the market ${JSON.stringify(market)} its key names`,
        );
      }
      return decoded;
    });
    if (trade !== undefined) out.push(trade);
  });
  return out;
}
