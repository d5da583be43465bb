import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import { decodeListed, inChunks, ScriptReply } from '@fullon/core/author';
import type { TickerNames, TickKeys } from './keys.js';
import { TickLayout } from './layouts.js';
import type { Tick } from './schema.js';
import { indexMembersScript } from './scripts/index-members.js';
import { listTickersScript } from './scripts/list-tickers.js';

/**
 * Lists one exchange's tickers, sorted by symbol (`getTickers`). Symbols whose ticker expired
 * are dropped from the index in the same script that reads the values.
 * @internal
 * @param conn - The cache's connection.
 * @param keys - The cache's keys.
 * @param exchange - Exchange name (already checked).
 * @returns The tickers; a corrupt value, a key of another Redis type, or an index of another
 *   type is skipped and reported through the connection's `onCorrupt` hook.
 */
export async function listTickers(
  conn: CacheConnectionLike,
  keys: TickKeys,
  exchange: string,
): Promise<Tick[]> {
  const index = keys.index(exchange);
  const symbols = await indexMembersScript(conn, { index });
  if (symbols === ScriptReply.wrongType) {
    conn.reportCorrupt(new DecodeError(index, undefined, 'not a ticker index'));
    return [];
  }
  symbols.sort();
  return inChunks(symbols, async (chunk) => {
    const names = chunk.map((symbol) => keys.names(exchange, symbol));
    const tickers = names.map((n) => n.ticker);
    const values = await listTickersScript(conn, { index, tickers }, { symbols: chunk });
    const ticks: Tick[] = [];
    values.forEach((bytes, i) => {
      const tick = decodeTicker(conn, bytes, names[i] as TickerNames);
      if (tick !== undefined) ticks.push(tick);
    });
    return ticks;
  });
}

/**
 * Finds a symbol on any of `exchanges` (`getAnyTicker`): the first, in the given order, that
 * has it.
 * @internal
 * @param conn - The cache's connection.
 * @param keys - The cache's keys.
 * @param symbol - Symbol (already checked).
 * @param exchanges - Exchange names (already checked), in order of preference.
 * @returns The tick, or `null` when no exchange has it; a corrupt value is skipped and reported.
 */
export async function findTicker(
  conn: CacheConnectionLike,
  keys: TickKeys,
  symbol: string,
  exchanges: readonly string[],
): Promise<Tick | null> {
  const found = await Promise.all(
    exchanges.map(async (exchange) => {
      const names = keys.names(exchange, symbol);
      const index = keys.index(exchange);
      const [bytes = null] = await listTickersScript(
        conn,
        { index, tickers: [names.ticker] },
        { symbols: [symbol] },
      );
      return decodeTicker(conn, bytes, names);
    }),
  );
  return found.find((tick) => tick !== undefined) ?? null;
}

/** Decodes a listed value; a corrupt one, or a key of another type, is reported and skipped. */
function decodeTicker(
  conn: CacheConnectionLike,
  bytes: Buffer | null | typeof ScriptReply.wrongType,
  names: TickerNames,
): Tick | undefined {
  if (bytes === null) return undefined;
  const codec = conn.codec;
  return decodeListed(conn, () => {
    if (bytes === ScriptReply.wrongType)
      throw new DecodeError(names.ticker, 'v', 'not a ticker hash');
    return TickLayout.decode(codec, bytes, names.ticker, 'v', names.identity);
  });
}
