import type { CacheConnection } from '../../connection/connection.js';

/**
 * What a parameter is, which decides the hostile values the kit tries on it:
 * - `name`: a symbol, exchange, currency, queue or type name (a non-empty string);
 * - `id`: an identifier, a name or a whole number ≥ 0 (`exId`, `userId`, `orderId`…);
 * - `text`: free text (a message, a reason);
 * - `record`: one plain-object record or patch;
 * - `records`: an array of records;
 * - `map`: a plain object keyed by names (balances by currency, params);
 * - `options`: the options object, always last;
 * - `count`, `epochMs`: numbers with those rules;
 * - `data`: anything that is stored as given (broadcast payloads): only `undefined`-safety and
 *   prototype members are tried.
 */
export type ParamKind =
  | 'name'
  | 'id'
  | 'text'
  | 'record'
  | 'records'
  | 'map'
  | 'options'
  | 'count'
  | 'epochMs'
  | 'data';

/**
 * What a field of a record or an options object is; decides the hostile values tried on it.
 * `choice` is one of a fixed set of strings (`side: 'buy' | 'sell'`).
 */
export type FieldKind =
  | 'name'
  | 'choice'
  | 'id'
  | 'text'
  | 'number'
  | 'nonNegative'
  | 'epochMs'
  | 'waitMs'
  | 'ttlMs'
  | 'count'
  | 'boolean'
  | 'signal';

/** One parameter of a method, as the kit attacks it. */
export interface ParamSpec {
  /** The parameter's name, as its `ValidationError` must name it (`exchange`, `options`). */
  readonly name: string;
  /** What it is. */
  readonly kind: ParamKind;
  /** Whether it may be left out (`undefined` is then not hostile). */
  readonly optional?: boolean;
  /**
   * Fields of a `record`/`records`/`options` parameter and their kinds: each gets the hostile
   * values of its kind in an otherwise valid argument, and the error must name the field.
   */
  readonly fields?: Readonly<Record<string, FieldKind>>;
}

/**
 * What a method does, which decides the checks it gets:
 * - `read`: returns stored data, writes nothing;
 * - `listing`: returns many records and skips a corrupt one (reported through `onCorrupt`);
 * - `write`: changes stored data (gets the close()-under-load check);
 * - `take`: removes and returns an item, possibly waiting (gets the stall check);
 * - `subscription`: returns an `AsyncIterable` of live updates.
 */
export type MethodKind = 'read' | 'listing' | 'write' | 'take' | 'subscription';

/** How the kit calls one public method. */
export interface MethodSpec<C> {
  /** What it does. */
  readonly kind: MethodKind;
  /** Its parameters, in order. */
  readonly params: readonly ParamSpec[];
  /**
   * Valid arguments. `i` numbers the call in the close()-under-load check (1 000 calls), so a
   * write's arguments should name a distinct record per `i`; `i` is 0 elsewhere. After
   * {@link ConformanceTable.seed}, the call with `i = 0` must succeed, and reads should find
   * seeded data. A `take` must bound its wait here (e.g. `{ timeoutMs: 20 }`).
   */
  args(i: number): unknown[];
  /** Calls the method; defaults to `cache[method](...args)`. */
  invoke?(cache: C, args: unknown[]): unknown;
  /**
   * The result depends on the clock or on generated ids, so the garbage check does not compare
   * it with the clean result (it still checks errors and the keyspace).
   */
  readonly volatile?: boolean;
  /** For a `take`: puts one item where the method takes it from (used by the stall check). */
  pushItem?(cache: C): Promise<void>;
}

/** A key family the package owns (the `family` of its keys in `keys.ts`). */
export interface FamilySpec {
  /**
   * The family is an index (a set or sorted set of names pointing at records). A corrupt index
   * may hide records without an error — documented in docs/keys.md — so a read that resolves
   * with a different result is accepted for it.
   */
  readonly index?: boolean;
  /**
   * Each key is one hash record whose fields are its attributes (a lease: holder, token,
   * expiry), not a map of records by field: the `foreign` garbage then copies another key's
   * whole hash, and the package must notice that it names another record.
   */
  readonly attributes?: boolean;
}

/** The public method names of `C` (its function-valued keys). */
export type MethodNames<C> = {
  [K in keyof C]: C[K] extends (...args: never[]) => unknown ? K : never;
}[keyof C] &
  string;

/** Lifecycle methods: checked by the close() cases, not attacked. */
export type LifecycleMethod = 'close' | 'dispose';

/**
 * The table a cache package declares once; {@link describeConformance} generates its cases.
 * @typeParam C - The cache class.
 */
export interface ConformanceTable<C extends object> {
  /** Package label for test names and the case counts, e.g. `tick`. */
  readonly name: string;
  /** The class: its prototype's methods must all be in {@link methods}. */
  readonly cacheClass: { readonly prototype: C };
  /** Constructs the cache on a connection. */
  create(conn: CacheConnection): C;
  /** Makes every declared key family exist with valid data. */
  seed(cache: C, conn: CacheConnection): Promise<void>;
  /** Every key family, by the family name in its keys (`prefix:family:…`). */
  readonly families: Readonly<Record<string, FamilySpec>>;
  /** Every public method except `close`/`dispose`, with how to call it. */
  readonly methods: { readonly [K in Exclude<MethodNames<C>, LifecycleMethod>]: MethodSpec<C> };
  /**
   * Round trips of object-prototype member names (`constructor`, `__proto__`, `toString`,
   * `hasOwnProperty`, `prototype`, `valueOf`) used as the package's names and record keys:
   * each function writes with `name`, reads back and asserts (with `expect`) that it came back
   * and is counted like any other name.
   */
  readonly prototypeNames: Readonly<Record<string, (cache: C, name: string) => Promise<void>>>;
}

/**
 * Declares a conformance table with its types checked (a missing method is a type error, and
 * the kit fails at run time on one the class has but the table lacks).
 * @param table - The table.
 * @returns The same table.
 */
export function defineConformance<C extends object>(
  table: ConformanceTable<C>,
): ConformanceTable<C> {
  return table;
}
