import type { CacheConnectionLike } from '@fullon/core';
import { DecodeError } from '@fullon/core';
import { byName, ScriptReply } from '@fullon/core/author';
import { type LeaseKeys, leaseMember, parseLeaseMember } from './keys.js';
import type { LeaseInfo, LeaseResult } from './schema.js';
import { type AcquireReply, acquireLeaseScript } from './scripts/acquire.js';
import { listIndexScript } from './scripts/list-index.js';
import { releaseLeaseScript } from './scripts/release.js';
import { type RenewStatus, renewLeaseScript } from './scripts/renew.js';

/** A lease as read from its hash. */
interface StoredLease {
  holder: string;
  token: number;
  expiresAt: number;
}

const WHOLE = /^(0|[1-9][0-9]{0,15})$/;
/** Most names a store remembers before starting over (it must not grow with hostile input). */
const MAX_REMEMBERED = 10_000;

/** The fields a lease read fetches: holder, token, expiry, and the lease's own key name. */
const LEASE_FIELDS = ['h', 't', 'e', 'k'] as const;

/**
 * Checks the fields of a lease hash (`HMGET h t e k`).
 * @returns The lease, or `null` when the hash is absent.
 * @throws {DecodeError} when it is present but malformed, or names another key in `k` (another
 *   lease's hash copied onto `key`). No `k` at all is a lease written before leases carried
 *   their identity, accepted (see `keys.ts`).
 */
function readLease(reply: (string | null)[], key: string): StoredLease | null {
  const [holder = null, token = null, expires = null, own = null] = reply;
  if (holder === null && token === null && expires === null && own === null) return null;
  if (own !== null && own !== key) {
    throw new DecodeError(key, 'k', 'the lease names another key (a foreign lease copied here)');
  }
  if (
    holder === null ||
    holder === '' ||
    token === null ||
    expires === null ||
    !WHOLE.test(token) ||
    !WHOLE.test(expires)
  ) {
    throw new DecodeError(key, undefined, 'malformed lease (holder, token or expiry missing)');
  }
  return { holder, token: Number(token), expiresAt: Number(expires) };
}

/**
 * The lease operations shared by blocks and opening markers; the kind is decided by the keys.
 * @internal
 */
export class LeaseStore {
  readonly #conn: CacheConnectionLike;
  readonly #keys: LeaseKeys;
  /** What the lease protects, for messages: `block` or `opening marker`. */
  readonly #what: string;

  /** Lease key and index member per `(exId, symbol)`: escaping names on every call costs. */
  readonly #names = new Map<string, { lease: string; member: string }>();

  /**
   * @param conn - Connection.
   * @param keys - The keys of this kind of lease.
   * @param what - What the lease protects, for messages.
   */
  constructor(conn: CacheConnectionLike, keys: LeaseKeys, what: string) {
    this.#conn = conn;
    this.#keys = keys;
    this.#what = what;
  }

  /** The lease key and index member of `(exId, symbol)`, remembered (bounded). */
  #name(exId: string, symbol: string): { lease: string; member: string } {
    const id = `${exId}\u0000${symbol}`;
    let names = this.#names.get(id);
    if (names === undefined) {
      if (this.#names.size >= MAX_REMEMBERED) this.#names.clear();
      names = { lease: this.#keys.lease(exId, symbol), member: leaseMember(exId, symbol) };
      this.#names.set(id, names);
    }
    return names;
  }

  /**
   * Takes, renews (same holder) or, with `force`, takes over a lease.
   * @returns The outcome for the caller.
   * @throws {DecodeError} when the lease, its index or the counter is malformed.
   */
  acquire(
    exId: string,
    symbol: string,
    holder: string,
    ttl: string,
    force: boolean,
  ): Promise<LeaseResult> {
    const { lease, member } = this.#name(exId, symbol);
    return acquireLeaseScript(
      this.#conn,
      { lease, index: this.#keys.index, fence: this.#keys.fence },
      { holder, ttl, force, member },
    ).then((reply) => this.#acquired(reply, holder, lease));
  }

  #acquired(reply: AcquireReply, holder: string, lease: string): LeaseResult {
    const [status, current = '', token = 0, expiresAt = 0] = reply;
    switch (status) {
      case ScriptReply.added:
      case ScriptReply.ok:
        return { acquired: true, holder, token, expiresAt };
      case ScriptReply.conflict:
        return { acquired: false, holder: current, token: null, expiresAt };
      case ScriptReply.wrongType:
      case ScriptReply.corrupt:
        throw new DecodeError(
          lease,
          undefined,
          `malformed ${this.#what} (use force to replace it)`,
        );
      default:
        throw new DecodeError(lease, undefined, `unexpected reply status ${String(status)}`);
    }
  }

  /**
   * Renews a lease for its holder (and token, when given).
   * @returns The status, and the new expiry when renewed.
   * @throws {DecodeError} when the lease is malformed.
   */
  async renew(
    exId: string,
    symbol: string,
    holder: string,
    ttl: string,
    token: number | undefined,
  ): Promise<[RenewStatus, number?]> {
    const { lease, member } = this.#name(exId, symbol);
    const reply = await renewLeaseScript(
      this.#conn,
      { lease, index: this.#keys.index },
      { holder, ttl, token, member },
    );
    if (reply[0] === ScriptReply.corrupt) {
      throw new DecodeError(lease, undefined, `malformed ${this.#what}`);
    }
    return reply;
  }

  /**
   * Releases a lease held by `holder` (and `token`), or by anyone when `holder` is undefined.
   * @returns Whether a lease was released.
   * @throws {DecodeError} when the lease is malformed and `holder` is given.
   */
  async release(
    exId: string,
    symbol: string,
    holder: string | undefined,
    token: number | undefined,
  ): Promise<boolean> {
    const { lease, member } = this.#name(exId, symbol);
    const status = await releaseLeaseScript(
      this.#conn,
      { lease, index: this.#keys.index },
      { holder, token, member },
    );
    if (status === ScriptReply.wrongType || status === ScriptReply.corrupt) {
      throw new DecodeError(lease, undefined, `malformed ${this.#what} (force releases it)`);
    }
    return status === ScriptReply.ok;
  }

  /**
   * @returns The holder of a lease, or `null` when there is none.
   * @throws {DecodeError} when the lease is malformed.
   */
  holder(exId: string, symbol: string): Promise<string | null> {
    const key = this.#name(exId, symbol).lease;
    return this.#conn.send(
      key,
      ['HMGET', key, ...LEASE_FIELDS],
      undefined,
      (reply: (string | null)[]) => readLease(reply, key)?.holder ?? null,
    );
  }

  /**
   * @returns Every live lease of this kind, by exId then symbol; malformed entries are skipped
   *   and reported through `onCorrupt`.
   */
  async list(): Promise<LeaseInfo[]> {
    const index = this.#keys.index;
    const members = await listIndexScript(this.#conn, { index });
    const named: [string, string][] = [];
    for (const member of members) {
      const parsed = parseLeaseMember(member);
      if (parsed === undefined) {
        this.#conn.reportCorrupt(
          new DecodeError(index, member, `index member is not an escaped exId:symbol pair`),
        );
      } else {
        named.push(parsed);
      }
    }
    const leases = await Promise.all(
      named.map(([exId, symbol]) => {
        const key = this.#keys.lease(exId, symbol);
        // A lease key of a foreign Redis type is stored garbage: reported and skipped.
        return this.#conn
          .send<(string | null)[]>(key, ['HMGET', key, ...LEASE_FIELDS])
          .catch((error: unknown) => {
            if (!DecodeError.is(error)) throw error;
            this.#conn.reportCorrupt(error);
            return [];
          });
      }),
    );
    const out: LeaseInfo[] = [];
    named.forEach(([exId, symbol], i) => {
      const key = this.#keys.lease(exId, symbol);
      try {
        const lease = readLease(leases[i] ?? [], key);
        // Gone since the index was read (expired or released): not a live lease any more.
        if (lease !== null) {
          out.push({
            exId,
            symbol,
            botId: lease.holder,
            expiresAt: lease.expiresAt,
            token: lease.token,
          });
        }
      } catch (error) {
        if (!DecodeError.is(error)) throw error;
        this.#conn.reportCorrupt(error);
      }
    });
    return out.sort((a, b) => byName(a.exId, b.exId) || byName(a.symbol, b.symbol));
  }
}
