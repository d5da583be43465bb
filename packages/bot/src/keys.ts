import type { KeyBuilderLike } from '@fullon/core';
import { escapeKeyPart, unescapeKeyPart } from '@fullon/core/author';

/**
 * Hash tag of every lease key (blocks, opening markers, their indexes, the fencing counter):
 * one script then checks a lease, takes a token and updates the index atomically, on a
 * cluster too. Leases are few and small, and written at trading-decision rates.
 */
const LEASE_TAG = 'leases';
/** Hash tag of every bot status key (records and their index). */
const STATUS_TAG = 'bots';

/** What a lease protects: a block of a symbol, or an opening-position marker. */
export type LeaseKind = 'block' | 'opening';

/** The keys of one kind of lease. */
export interface LeaseKeys {
  /** The hash holding the lease of `(exId, symbol)`. */
  lease(exId: string, symbol: string): string;
  /** The index of live leases of this kind. */
  readonly index: string;
  /** The fencing counter shared by every lease. */
  readonly fence: string;
}

/**
 * Every key of `@fullon/bot`. The only place this package names keys.
 *
 * | key | type | content | bound |
 * |---|---|---|---|
 * | `bot-block:{leases}:<exId>:<symbol>` | hash | `h` holder botId, `t` fencing token, `e` expiry (server ms), `k` this key's own name (¹) | PEXPIRE = the lease's TTL (default 60 s); deleted on release |
 * | `bot-opening:{leases}:<exId>:<symbol>` | hash | the same, for an opening-position marker | the same |
 * | `bot-blocks:{leases}` | zset | `exId:symbol` (escaped) → expiry (server ms) | members pruned on every acquisition and listing; key TTL = its latest lease's |
 * | `bot-openings:{leases}` | zset | the same, for markers | the same |
 * | `bot-fence:{leases}` | string | the last fencing token issued | one key for the whole prefix |
 * | `bot-status:{bots}:<botId>` | hash | feed → entry tuple; field `""` = last update (server ms) | TTL `ttlMs` (default 24 h), renewed by every update |
 * | `bot-status-index:{bots}` | zset | botId → deadline (server ms) | pruned on every listing; key TTL = its latest member's |
 *
 * (¹) `k` is the lease's identity: another lease's whole hash copied onto a key names the other
 * key, and every read and script then fails with a `DecodeError` naming this key (nothing
 * written). The full key name is compared as is (no parsing, no escaping; the same on every
 * cluster node). A hash without `k` was written before leases carried it and is accepted as
 * legacy — old and new bots share leases during an upgrade — until it expires or its holder
 * renews it (which stamps `k`).
 * @internal Imported by the cache, the tests and `bench/` by relative path.
 */
export class BotKeys {
  readonly #kb: KeyBuilderLike;
  /** Keys of symbol blocks. */
  readonly block: LeaseKeys;
  /** Keys of opening-position markers. */
  readonly opening: LeaseKeys;
  /** The index of bots with a status record. */
  readonly statusIndex: string;

  /** @param kb - The connection's key builder. */
  constructor(kb: KeyBuilderLike) {
    this.#kb = kb;
    const fence = kb.tagged('bot-fence', LEASE_TAG);
    this.block = {
      lease: (exId, symbol) => kb.tagged('bot-block', LEASE_TAG, exId, symbol),
      index: kb.tagged('bot-blocks', LEASE_TAG),
      fence,
    };
    this.opening = {
      lease: (exId, symbol) => kb.tagged('bot-opening', LEASE_TAG, exId, symbol),
      index: kb.tagged('bot-openings', LEASE_TAG),
      fence,
    };
    this.statusIndex = kb.tagged('bot-status-index', STATUS_TAG);
  }

  /**
   * @param botId - Bot id, in its string form.
   * @returns The hash of that bot's status record.
   */
  status(botId: string): string {
    return this.#kb.tagged('bot-status', STATUS_TAG, botId);
  }
}

/**
 * The index member naming `(exId, symbol)`: both escaped (no `:` left in either), joined by `:`.
 * @internal
 */
export function leaseMember(exId: string, symbol: string): string {
  return `${escapeKeyPart(exId)}:${escapeKeyPart(symbol)}`;
}

/**
 * Reverses {@link leaseMember}.
 * @returns `[exId, symbol]`, or `undefined` for a member this package did not write.
 * @internal
 */
export function parseLeaseMember(member: string): [string, string] | undefined {
  const parts = member.split(':');
  if (parts.length !== 2) return undefined;
  try {
    const [exId = '', symbol = ''] = parts.map(unescapeKeyPart);
    return exId === '' || symbol === '' ? undefined : [exId, symbol];
  } catch {
    return undefined;
  }
}
