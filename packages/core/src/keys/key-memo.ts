/**
 * A bounded two-level memo (outer name → inner name → value) for key names built on hot paths:
 * escaping and joining names on every call showed in profiles. Past `maxEntries` values it starts
 * over rather than grow with hostile input (one name per call would otherwise fill memory).
 * @example
 * ```ts
 * const memo = new KeyMemo<string>(50_000);
 * let key = memo.get(exchange, symbol);
 * if (key === undefined) key = memo.set(exchange, symbol, kb.tagged('tick', exchange, symbol));
 * ```
 */
export class KeyMemo<V> {
  readonly #byOuter = new Map<string, Map<string, V>>();
  readonly #maxEntries: number;
  #count = 0;

  /** @param maxEntries - Most values held; the memo is cleared when a new one would pass it. */
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** How many values the memo holds now. */
  get size(): number {
    return this.#count;
  }

  /**
   * @param outer - The first-level name (an exchange).
   * @param inner - The second-level name (a symbol).
   * @returns The remembered value, or `undefined`.
   */
  get(outer: string, inner: string): V | undefined {
    return this.#byOuter.get(outer)?.get(inner);
  }

  /**
   * Remembers a value (call it after a {@link KeyMemo.get} miss). When the memo is full it is
   * cleared first.
   * @param outer - The first-level name.
   * @param inner - The second-level name.
   * @param value - The value built for them.
   * @returns `value`.
   */
  set(outer: string, inner: string, value: V): V {
    let byInner = this.#byOuter.get(outer);
    if (byInner?.has(inner)) {
      byInner.set(inner, value);
      return value;
    }
    if (this.#count >= this.#maxEntries) {
      this.#byOuter.clear();
      this.#count = 0;
      byInner = undefined;
    }
    if (byInner === undefined) {
      byInner = new Map();
      this.#byOuter.set(outer, byInner);
    }
    byInner.set(inner, value);
    this.#count++;
    return value;
  }
}
