import type { KeyBuilderLike } from '@fullon/core';
import { KeyMemo } from '@fullon/core/author';

/**
 * The hash tag every account key carries. One tag for the whole package: the account index
 * and each account's hashes then change in one atomic script, on a cluster too. Account data
 * is small (a few currencies and positions per exchange account) and written at account-sync
 * rates, so one slot carries it comfortably.
 */
const TAG = 'accounts';

/** Most keys of one family the memo keeps before starting over (it must not grow with hostile input). */
const MAX_REMEMBERED = 10_000;

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
  /**
   * Keys built so far, by family then exId: escaping names on every hot call costs. Bounded
   * (10 000 keys per family), so hostile ids cannot grow it.
   */
  readonly #memo = new KeyMemo<string>(2 * MAX_REMEMBERED);
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
    return (
      this.#memo.get('balances', exId) ??
      this.#memo.set('balances', exId, this.#kb.tagged('account-balances', TAG, exId))
    );
  }

  /**
   * @param exId - Exchange account id, in its string form.
   * @returns The hash of that account's positions.
   */
  positions(exId: string): string {
    return (
      this.#memo.get('positions', exId) ??
      this.#memo.set('positions', exId, this.#kb.tagged('account-positions', TAG, exId))
    );
  }
}
