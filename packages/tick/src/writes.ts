import {
  type CacheConnectionLike,
  ConfigurationError,
  DecodeError,
  ValidationError,
} from '@fullon/core';
import {
  DEFAULT_CHUNK_SIZE,
  groupPositions,
  inChunks,
  type NameRegistry,
  runOperation,
  ScriptReply,
} from '@fullon/core/author';
import type { TickerNames, TickKeys } from './keys.js';
import { TickLayout } from './layouts.js';
import { forgetWritten, type NearCache } from './near-cache.js';
import type { Tick, TickUpdate } from './schema.js';
import { checkTickerKeysScript } from './scripts/check-keys.js';
import { deleteTickersScript } from './scripts/delete-tickers.js';
import { indexMembersScript } from './scripts/index-members.js';
import { setTickerScript } from './scripts/set-ticker.js';
import { setTickersScript } from './scripts/set-tickers.js';
import { MERGEABLE_CODECS, updateTickerScript } from './scripts/update-ticker.js';

/**
 * Every write of a `TickCache` (set, merge, delete), on checked input. Each write drops the keys
 * it touched from the near cache once it settles, and registers the exchange when it stored a
 * ticker.
 * @internal
 */
export class TickWrites {
  readonly #conn: CacheConnectionLike;
  readonly #keys: TickKeys;
  readonly #exchanges: NameRegistry;
  readonly #near: NearCache | undefined;
  /** The ticker TTL as the string of ms the scripts take. */
  readonly #ttl: string;

  /**
   * @param conn - The cache's connection.
   * @param keys - The cache's keys.
   * @param exchanges - The registry of exchanges that have tickers.
   * @param near - The near cache, or `undefined` when it is off.
   * @param ttlMs - Ticker lifetime, in ms.
   */
  constructor(
    conn: CacheConnectionLike,
    keys: TickKeys,
    exchanges: NameRegistry,
    near: NearCache | undefined,
    ttlMs: number,
  ) {
    this.#conn = conn;
    this.#keys = keys;
    this.#exchanges = exchanges;
    this.#near = near;
    this.#ttl = String(ttlMs);
  }

  /**
   * `setTicker`: one write-if-newer and, when the symbol is new or the registration is due,
   * the registry touch, as one operation (`close()` drains both).
   * @param tick - The checked tick.
   * @param force - Write even when the stored tick is newer.
   * @returns `true` when written.
   */
  setTicker(tick: Tick, force: boolean): Promise<boolean> {
    const { exchange, symbol } = tick;
    const bytes = TickLayout.encode(this.#conn.codec, tick);
    const names = this.#keys.names(exchange, symbol);
    const args = {
      time: tick.time,
      bytes,
      symbol,
      channel: names.channel,
      force,
      ttlMs: this.#ttl,
    };
    // Promise steps rather than an async body: one layer less on the hottest write.
    return runOperation(this.#conn, (conn) =>
      forgetWritten(this.#near, [names.ticker], setTickerScript(conn, names, args)).then(
        (status) => {
          if (status === ScriptReply.stale) return false;
          const added = status === ScriptReply.added;
          if (!added && !this.#exchanges.isDue(exchange)) return true;
          return this.#touch(exchange, added, conn).then(() => true);
        },
      ),
    );
  }

  /**
   * `setTickers`: one script call per exchange and chunk, all issued concurrently.
   * @param ticks - The checked ticks.
   * @param force - Write even older ticks.
   * @returns Per tick, whether it was written.
   */
  async setTickers(ticks: readonly Tick[], force: boolean): Promise<boolean[]> {
    const written = new Array<boolean>(ticks.length).fill(false);
    const groups = groupPositions(ticks, (tick) => tick.exchange);
    await runOperation(this.#conn, async (conn) => {
      // More than one script call (several exchanges, or more ticks than one chunk): check
      // every key's type first, so stored garbage anywhere fails the batch with nothing written.
      if (groups.size > 1 || ticks.length > DEFAULT_CHUNK_SIZE) {
        await Promise.all(
          [...groups].map(([exchange, positions]) =>
            inChunks(positions, async (chunk) => {
              const tickers = chunk.map((p) =>
                this.#keys.ticker(exchange, (ticks[p] as Tick).symbol),
              );
              await checkTickerKeysScript(conn, { index: this.#keys.index(exchange), tickers });
              return [];
            }),
          ),
        );
      }
      await Promise.all(
        [...groups].map(([exchange, positions]) =>
          inChunks(positions, async (chunk) => {
            const tickers: string[] = [];
            const batch = chunk.map((position) => {
              const tick = ticks[position] as Tick;
              const names = this.#keys.names(exchange, tick.symbol);
              tickers.push(names.ticker);
              const bytes = TickLayout.encode(this.#conn.codec, tick);
              return { channel: names.channel, symbol: tick.symbol, time: tick.time, bytes };
            });
            const index = this.#keys.index(exchange);
            const statuses = await forgetWritten(
              this.#near,
              tickers,
              setTickersScript(conn, { index, tickers }, { ticks: batch, force, ttlMs: this.#ttl }),
            );
            chunk.forEach((position, j) => {
              written[position] = (statuses[j] ?? ScriptReply.stale) !== ScriptReply.stale;
            });
            if (statuses.some((status) => status !== ScriptReply.stale)) {
              await this.#touch(exchange, statuses.includes(ScriptReply.added), conn);
            }
            return [];
          }),
        ),
      );
    });
    return written;
  }

  /**
   * `updateTicker`: merges a checked patch inside Redis.
   * @param symbol - Symbol (checked).
   * @param exchange - Exchange name (checked).
   * @param patch - The checked patch.
   * @returns The merged tick, or `null` when none is stored.
   * @throws {ConfigurationError} when the connection's codec cannot be merged in Lua.
   * @throws {DecodeError} when the stored value is not a valid tick of this ticker.
   * @throws {ValidationError} naming `bid` when the merged tick would have bid above ask.
   */
  updateTicker(symbol: string, exchange: string, patch: TickUpdate): Promise<Tick | null> {
    const codec = this.#conn.codec.name;
    if (!MERGEABLE_CODECS.includes(codec)) {
      throw new ConfigurationError(
        'codec',
        `updateTicker merges inside Redis and reads only ${MERGEABLE_CODECS.join(' and ')} values, not ${codec}`,
      );
    }
    const names = this.#keys.names(exchange, symbol);
    return runOperation(this.#conn, async (conn) => {
      const [status, bytes] = await forgetWritten(
        this.#near,
        [names.ticker],
        updateTickerScript(conn, names, {
          codec,
          ttlMs: this.#ttl,
          channel: names.channel,
          symbol,
          exchange,
          patch,
        }),
      );
      if (status === ScriptReply.none) return null;
      if (status === ScriptReply.corrupt) {
        throw new DecodeError(
          names.ticker,
          'v',
          `stored value is not a valid tick of ${symbol}@${exchange} (layout version ${TickLayout.version})`,
        );
      }
      if (status === ScriptReply.invalid || bytes === undefined) {
        throw new ValidationError(
          'bid',
          'bid: must be ≤ ask (the merged tick would have bid above ask)',
        );
      }
      await this.#touch(exchange, status === ScriptReply.added, conn);
      return TickLayout.decode(this.#conn.codec, bytes, names.ticker, 'v', names.identity);
    });
  }

  /**
   * `deleteTicker`: deletes one ticker and its index entry.
   * @param names - The ticker's names (checked).
   * @param symbol - Its symbol.
   * @returns `true` when a ticker was stored.
   */
  async deleteTicker(names: TickerNames, symbol: string): Promise<boolean> {
    const deleted = await forgetWritten(
      this.#near,
      [names.ticker],
      deleteTickersScript(
        this.#conn,
        { index: names.index, tickers: [names.ticker] },
        { symbols: [symbol] },
      ),
    );
    return deleted === 1;
  }

  /**
   * `deleteExchangeTickers`: unregisters the exchange, then deletes its tickers, as one
   * operation (`close()` drains it whole or refuses it whole).
   * @param exchange - Exchange name (checked).
   * @returns How many tickers were deleted.
   */
  deleteExchange(exchange: string): Promise<number> {
    return runOperation(this.#conn, async (conn) => {
      // Unregister first: a symbol added from now on registers the exchange again.
      await this.#exchanges.remove(exchange, conn);
      const index = this.#keys.index(exchange);
      const symbols = await indexMembersScript(conn, { index });
      if (symbols === ScriptReply.wrongType) return 0;
      const counts = await inChunks(symbols, async (chunk) => {
        const tickers = chunk.map((symbol) => this.#keys.ticker(exchange, symbol));
        const deleted = deleteTickersScript(conn, { index, tickers }, { symbols: chunk });
        return [await forgetWritten(this.#near, tickers, deleted)];
      });
      return counts.reduce((sum, n) => sum + n, 0);
    });
  }

  /**
   * Registers the exchange after a write. The write is already stored, so a registry key of
   * another Redis type (stored garbage, `DecodeError`) is reported through `onCorrupt` rather
   * than failing a call whose effect happened; listings then miss the exchange, as with any
   * corrupt index (see docs/tick.md).
   */
  #touch(exchange: string, added: boolean, conn: CacheConnectionLike): Promise<void> {
    return this.#exchanges.touch(exchange, added, conn).catch((error: unknown) => {
      if (!DecodeError.is(error)) throw error;
      this.#conn.reportCorrupt(error);
    });
  }
}
