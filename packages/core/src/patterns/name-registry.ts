import type { CacheConnectionLike } from '../connection/connection-like.js';
import { DecodeError } from '../errors.js';
import { isNameText, MAX_NAME_LENGTH } from '../validation/schemas.js';

/**
 * A registry of the names that have data (the exchanges with tickers, the markets with trades):
 * a sorted set of name → deadline, kept in its own key, so listings find every name without a
 * hard-coded list or a SCAN. Writers register a name when they report it new and renew it at
 * most every half TTL; a name nobody writes for a whole TTL drops out on the next read, and the
 * key itself expires a TTL after the last registration.
 *
 * The registry lives in another slot than the data, so a registration is a second step after
 * the write: a crash between the two is repaired by the next writer (each instance registers a
 * name on its first write there). Run the write and its touch as one operation
 * (`runOperation`, passing the operation's connection as `via`), so `close()` drains both.
 *
 * @example
 * ```ts
 * const exchanges = new NameRegistry(conn, keys.key('tick-exchanges'), ttlMs);
 * await runOperation(conn, async (op) => {
 *   const isNew = await writeTicker(op);
 *   await exchanges.touch('binance', isNew, op);
 * });
 * const names = await exchanges.list();
 * ```
 */
export class NameRegistry {
  readonly #conn: CacheConnectionLike;
  readonly #key: string;
  readonly #ttlMs: number;
  readonly #ttl: string;
  /** When this instance last registered each name (ms); bounded by the names it writes. */
  readonly #registered = new Map<string, number>();

  /**
   * @param conn - Connection.
   * @param key - The registry's key, from the package's `keys.ts`.
   * @param ttlMs - How long a registration lasts without renewal, in ms.
   */
  constructor(conn: CacheConnectionLike, key: string, ttlMs: number) {
    this.#conn = conn;
    this.#key = key;
    this.#ttlMs = ttlMs;
    this.#ttl = String(ttlMs);
  }

  /**
   * Whether this instance should renew `name` (never registered here, or not within half a TTL).
   * @param name - The name.
   * @returns `true` when a registration is due.
   */
  isDue(name: string): boolean {
    const last = this.#registered.get(name);
    return last === undefined || Date.now() - last > this.#ttlMs / 2;
  }

  /**
   * Registers `name` until now + TTL and extends the key's own TTL.
   * @param name - The name.
   * @param via - The connection of the operation this registration ends (see `runOperation`),
   *   so `close()` drains it with the write before it. Defaults to the registry's connection.
   */
  async register(name: string, via: CacheConnectionLike = this.#conn): Promise<void> {
    const key = this.#key;
    const now = Date.now();
    await via.send(key, ['ZADD', key, String(now + this.#ttlMs), name]);
    await via.send(key, ['PEXPIRE', key, this.#ttl, 'GT']);
    await via.send(key, ['PEXPIRE', key, this.#ttl, 'NX']);
    this.#registered.set(name, now);
  }

  /**
   * Registers `name` when `isNew` or when this instance's registration is due.
   * @param name - The name.
   * @param isNew - The write reported data new to this name (e.g. a new symbol in its index).
   * @param via - The connection of the operation this touch ends (see `runOperation`).
   *   Defaults to the registry's connection.
   */
  async touch(name: string, isNew: boolean, via: CacheConnectionLike = this.#conn): Promise<void> {
    if (isNew || this.isDue(name)) await this.register(name, via);
  }

  /**
   * Removes `name`, so listings stop finding it until it is registered again.
   * @param name - The name.
   * @param via - The connection of the operation this removal belongs to (see `runOperation`).
   *   Defaults to the registry's connection.
   */
  async remove(name: string, via: CacheConnectionLike = this.#conn): Promise<void> {
    this.#registered.delete(name);
    await via.send(this.#key, ['ZREM', this.#key, name]);
  }

  /**
   * @returns The names whose deadline has not passed, sorted (expired ones are dropped). A
   *   member that is not a valid name (written by something else) is skipped and reported
   *   through the connection's `onCorrupt` hook, so one bad member never breaks a listing.
   */
  async list(): Promise<string[]> {
    const key = this.#key;
    await this.#conn.send(key, ['ZREMRANGEBYSCORE', key, '-inf', `(${Date.now()}`]);
    const names = await this.#conn.send<string[]>(key, ['ZRANGE', key, '0', '-1']);
    return names.filter((name) => this.#valid(name)).sort();
  }

  #valid(name: string): boolean {
    if (name.length > 0 && name.length <= MAX_NAME_LENGTH && isNameText(name)) return true;
    this.#conn.reportCorrupt(
      new DecodeError(
        this.#key,
        undefined,
        `registry member ${JSON.stringify(name.slice(0, 80))} is not a valid name`,
      ),
    );
    return false;
  }
}
