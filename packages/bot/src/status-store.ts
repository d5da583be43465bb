import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import {
  BUFFERS,
  byName,
  decodeListed,
  hashEntries,
  inChunksSequentially,
  type JsonValue,
  runOperation,
} from '@fullon/core/author';
import type { BotKeys } from './keys.js';
import { StatusEntryLayout } from './layouts.js';
import type { BotStatus } from './schema.js';
import { deleteBotsScript } from './scripts/delete-bots.js';
import { listIndexScript } from './scripts/list-index.js';
import { updateBotScript } from './scripts/update-bot.js';

/** Most bots one delete script call carries. */
const DELETE_CHUNK = 500;
/** The hash field holding a status record's update time (never a feed name: those are non-empty). */
const UPDATED_FIELD = '';
/** A stored update time: a whole number of ms, no sign or leading zero. */
const WHOLE = /^(0|[1-9][0-9]{0,15})$/;

/**
 * Bot status records: one hash per bot (feed → entry, plus its update time) and an index of the
 * bots that have one. Takes checked arguments (`args.ts`).
 * @internal
 */
export class StatusStore {
  readonly #conn: CacheConnectionLike;
  readonly #keys: BotKeys;
  readonly #ttl: string;

  /**
   * @param conn - Connection.
   * @param keys - The package's keys.
   * @param ttlMs - How long a record lives after its last update, in ms.
   */
  constructor(conn: CacheConnectionLike, keys: BotKeys, ttlMs: number) {
    this.#conn = conn;
    this.#keys = keys;
    this.#ttl = String(ttlMs);
  }

  /**
   * Merges (or, with `replace`, replaces) a bot's record, stamped with the server time.
   * @returns The update time (server clock, epoch ms).
   * @throws {DecodeError} when a key of the record holds a foreign Redis type.
   */
  update(args: {
    botId: string;
    data: Record<string, JsonValue>;
    replace: boolean;
  }): Promise<number> {
    const { botId, data, replace } = args;
    const codec = this.#conn.codec;
    const entries = Object.entries(data).map(
      ([key, value]) => [key, StatusEntryLayout.encode(codec, { key, botId, value })] as const,
    );
    return updateBotScript(
      this.#conn,
      { status: this.#keys.status(botId), index: this.#keys.statusIndex },
      { botId, ttl: this.#ttl, replace, entries },
    );
  }

  /**
   * @returns A bot's record, or `null` when it has none.
   * @throws {DecodeError} when an entry is corrupt.
   */
  async get(botId: string): Promise<BotStatus | null> {
    const key = this.#keys.status(botId);
    const flat = await this.#conn.send<Buffer[]>(key, ['HGETALL', key], BUFFERS);
    return flat.length === 0 ? null : this.#decode(botId, key, flat);
  }

  /**
   * @returns botId → record of every bot in the index; corrupt records are skipped and reported
   *   through `onCorrupt`.
   * @throws {DecodeError} naming the index when it holds a foreign Redis type.
   */
  async list(): Promise<Record<string, BotStatus>> {
    const bots = await this.#ids(this.#conn);
    const reads = await Promise.all(
      bots.map((bot) => {
        const key = this.#keys.status(bot);
        // A record key of a foreign Redis type is stored garbage: reported and skipped.
        return this.#conn
          .send<Buffer[]>(key, ['HGETALL', key], BUFFERS)
          .catch((error: unknown) => this.#skipCorrupt(error));
      }),
    );
    const out: [string, BotStatus][] = [];
    bots.forEach((bot, i) => {
      const flat = reads[i] ?? [];
      if (flat.length === 0) return; // expired since the index was read
      const status = decodeListed(this.#conn, () =>
        this.#decode(bot, this.#keys.status(bot), flat),
      );
      if (status !== undefined) out.push([bot, status]);
    });
    return Object.fromEntries(out);
  }

  /** @returns Whether the bot's record existed; it is gone either way. */
  async delete(botId: string): Promise<boolean> {
    const removed = await deleteBotsScript(
      this.#conn,
      { index: this.#keys.statusIndex, statuses: [this.#keys.status(botId)] },
      { botIds: [botId] },
    );
    return removed === 1;
  }

  /** @returns How many records existed; every bot's record is gone, in batches of 500. */
  deleteAll(): Promise<number> {
    // One operation, the listing included: close() lets it run whole, every batch too.
    return runOperation(this.#conn, async (conn) => {
      const bots = await this.#ids(conn);
      const removed = await inChunksSequentially(
        bots,
        async (botIds) => [
          await deleteBotsScript(
            conn,
            {
              index: this.#keys.statusIndex,
              statuses: botIds.map((bot) => this.#keys.status(bot)),
            },
            { botIds },
          ),
        ],
        DELETE_CHUNK,
      );
      return removed.reduce((sum, n) => sum + n, 0);
    });
  }

  #skipCorrupt(error: unknown): Buffer[] {
    if (!DecodeError.is(error)) throw error;
    this.#conn.reportCorrupt(error);
    return [];
  }

  #decode(bot: string, key: string, flat: Buffer[]): BotStatus {
    let updatedAt: number | undefined;
    const data: [string, JsonValue][] = [];
    for (const [field, bytes] of hashEntries(flat)) {
      if (field === UPDATED_FIELD) {
        const text = bytes.toString('utf8');
        if (!WHOLE.test(text)) throw new DecodeError(key, field, 'malformed update time');
        updatedAt = Number(text);
      } else {
        const entry = StatusEntryLayout.decode(this.#conn.codec, bytes, key, field, {
          key: field,
          botId: bot,
        });
        data.push([field, entry.value ?? null]);
      }
    }
    if (updatedAt === undefined) throw new DecodeError(key, undefined, 'update time missing');
    data.sort(([a], [b]) => byName(a, b));
    return { botId: bot, updatedAt, data: Object.fromEntries(data) };
  }

  async #ids(conn: CacheConnectionLike): Promise<string[]> {
    return (await listIndexScript(conn, { index: this.#keys.statusIndex })).sort(byName);
  }
}
