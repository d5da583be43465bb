/**
 * Orders two strings by UTF-16 code unit, as `Array.prototype.sort` does with no comparator: the
 * same order on every machine and locale (unlike `localeCompare`), for listings that promise a
 * stable name order.
 * @param a - One name.
 * @param b - The other.
 * @returns A negative number when `a` comes first, positive when `b` does, `0` when equal.
 * @example
 * ```ts
 * names.sort(byName);
 * ```
 */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
