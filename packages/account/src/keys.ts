import type { KeyBuilderLike } from '@fullon/core';

/**
 * The hash tag every account key carries. One tag for the whole package: the account index
 * and each account's hashes then change in one atomic script, on a cluster too. Account data
 * is small (a few currencies and positions per exchange account) and written at account-sync
 * rates, so one slot carries it comfortably.
 */
const TAG = 'accounts';

/**
 * Every key of `@fullon/account`. The only place this package names keys.
 *
 * | key | type | content | bound |
 * |---|---|---|---|
 * | `account-balances:{accounts}:<exId>` | hash | currency → balance tuple | one field per currency the user stores; TTL `ttlMs` (default 24 h), renewed by every write to it |
 * | `account-positions:{accounts}:<exId>` | hash | symbol → position tuple | one field per symbol the user stores; TTL `ttlMs`, renewed by every write to it |
 * | `account-index:{accounts}` | zset | exId → deadline (server ms) of its data | members past their deadline pruned on every listing; an account emptied by a write leaves at once; key TTL = its latest member's |
 *
 * A currency or a symbol is a hash field of its own, so no name (`date`, `timestamp`) can
 * collide with metadata: there is none in these hashes.
 * @internal Imported by the cache, the tests and `bench/` by relative path.
 */
export class AccountKeys {
  readonly #kb: KeyBuilderLike;
  /** Keys built so far, by exId: escaping names on every hot call costs; bounded below. */
  readonly #balances = new Map<string, string>();
  readonly #positions = new Map<string, string>();
  /** The index of accounts that have data. */
  readonly index: string;

  /** @param kb - The connection's key builder. */
  constructor(kb: KeyBuilderLike) {
    this.#kb = kb;
    this.index = kb.tagged('account-index', TAG);
  }

  /**
   * @param exId - Exchange account id, in its string form.
   * @returns The hash of that account's balances.
   */
  balances(exId: string): string {
    return remember(this.#balances, exId, () => this.#kb.tagged('account-balances', TAG, exId));
  }

  /**
   * @param exId - Exchange account id, in its string form.
   * @returns The hash of that account's positions.
   */
  positions(exId: string): string {
    return remember(this.#positions, exId, () => this.#kb.tagged('account-positions', TAG, exId));
  }
}

/** Most keys a memo keeps before starting over (it must not grow with hostile input). */
const MAX_REMEMBERED = 10_000;

function remember(memo: Map<string, string>, name: string, build: () => string): string {
  let key = memo.get(name);
  if (key === undefined) {
    if (memo.size >= MAX_REMEMBERED) memo.clear();
    key = build();
    memo.set(name, key);
  }
  return key;
}
