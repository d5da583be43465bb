import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheConnection } from '../../connection/connection.js';
import { DecodeError, FullonCacheError } from '../../errors.js';
import { testConnection } from '../index.js';
import { listKeys, nodeClients } from '../keyspace.js';
import { garbageKinds, spoil } from './garbage.js';
import { awkwardNameCases, hostileCases, PROTOTYPE_NAMES } from './hostile.js';
import {
  afterCloseProblem,
  describeOutcome,
  hostileRejectionProblem,
  invokeMethod,
  type Outcome,
  sameResult,
  untypedProblem,
} from './invoke.js';
import { familyOf, keyspaceDiff, snapshotKeyspace } from './snapshot.js';
import type { ConformanceTable, MethodSpec } from './table.js';

/** How many calls the close()-under-load check makes per write method and phase. */
export const CLOSE_LOAD_CALLS = 1_000;

/**
 * How long one kit test may take. A test makes thousands of calls (the first garbage test runs
 * the shared pass of every method), so on a loaded CI machine it can need far more than the
 * package's per-test timeout; this bounds a hang, it measures no speed.
 */
const KIT_TEST_TIMEOUT_MS = 180_000;

/** Case counts of one method, printed when the suite ends. */
interface Counts {
  hostile: number;
  garbage: number;
  close: number;
}

type Entry<C> = readonly [string, MethodSpec<C>];

/** Reads and listings write nothing: their clean results share one seeded keyspace. */
function isRead<C>(spec: MethodSpec<C>): boolean {
  return spec.kind === 'read' || spec.kind === 'listing';
}

/** The keys of each family under the connection's prefix, with their Redis types. */
async function familyKeys(
  conn: CacheConnection,
): Promise<Map<string, { key: string; type: string }[]>> {
  const keys = await listKeys(conn);
  const types = await Promise.all(keys.map((key) => conn.send<string>(key, ['TYPE', key])));
  const byFamily = new Map<string, { key: string; type: string }[]>();
  keys.forEach((key, i) => {
    const family = familyOf(conn, key);
    const list = byFamily.get(family) ?? [];
    list.push({ key, type: types[i] ?? 'none' });
    byFamily.set(family, list);
  });
  return byFamily;
}

/** How many keys each family has under the connection's prefix. */
async function familyCounts(conn: CacheConnection): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const key of await listKeys(conn)) {
    const family = familyOf(conn, key);
    counts[family] = (counts[family] ?? 0) + 1;
  }
  return counts;
}

/** Public method names on a class's prototype chain (below Object.prototype). */
function classMethods(prototype: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = prototype; p !== null && p !== Object.prototype; ) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const descriptor = Object.getOwnPropertyDescriptor(p, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
    p = Object.getPrototypeOf(p) as object | null;
  }
  return [...names].sort();
}

/**
 * Registers the conformance suite of a cache package: for every method of the table, hostile
 * arguments (rejected with a `ValidationError` naming the parameter, nothing written), garbage
 * in every key family (a typed error and nothing changed, or a listing that skips and
 * reports), names that are prototype members, and `close()` under load for every write. Call
 * it at the top level of a `*.test.ts` file; it runs in the standalone and cluster projects.
 * @param table - The package's table (see `defineConformance`).
 */
export function describeConformance<C extends object>(table: ConformanceTable<C>): void {
  const entries = Object.entries(table.methods) as Entry<C>[];
  const counts = new Map<string, Counts>(
    entries.map(([name]) => [name, { hostile: 0, garbage: 0, close: 0 }]),
  );
  const corrupt: DecodeError[] = [];
  let conn: CacheConnection;
  let cache: C;

  const reset = async () => {
    await conn.clear();
    await table.seed(cache, conn);
  };

  describe(`conformance: ${table.name}`, () => {
    beforeAll(async () => {
      conn = await testConnection({ onCorrupt: (error) => corrupt.push(error) });
      cache = table.create(conn);
    });
    afterAll(async () => {
      const lines = [...counts].map(
        ([name, c]) =>
          `  ${name.padEnd(28)} hostile ${c.hostile}  garbage ${c.garbage}  close ${c.close}`,
      );
      const total = [...counts.values()].reduce((n, c) => n + c.hostile + c.garbage + c.close, 0);
      console.log(`conformance ${table.name} (${conn.mode}): ${total} cases\n${lines.join('\n')}`);
      await conn.clear();
      await conn.close();
    });

    it('the table lists every public method of the class', () => {
      const declared = new Set([...entries.map(([name]) => name), 'close', 'dispose']);
      const missing = classMethods(table.cacheClass.prototype).filter((n) => !declared.has(n));
      expect(missing, 'methods missing from the conformance table').toEqual([]);
    });

    it('the seed makes every declared key family exist, and only those', async () => {
      await reset();
      const families = [...(await familyKeys(conn)).keys()].sort();
      expect(families).toEqual(Object.keys(table.families).sort());
    });

    for (const [name, spec] of entries) {
      it(
        `${name}: hostile arguments reject with a ValidationError naming them, nothing written`,
        async () => {
          await reset();
          const valid = spec.args(0);
          const cases = hostileCases(spec.params, valid);
          const before = await snapshotKeyspace(conn);
          const problems: string[] = [];
          for (const c of cases) {
            const problem = hostileRejectionProblem(
              await invokeMethod(cache, name, spec, c.args),
              c.names,
              spec.kind === 'subscription',
            );
            if (problem !== null) problems.push(`${c.label}: ${problem}`);
          }
          const changed = keyspaceDiff(before, await snapshotKeyspace(conn));
          if (changed !== null) problems.push(`the keyspace changed: ${changed}`);
          // Names that need escaping or are prototype members are valid: typed settlement only.
          for (const c of awkwardNameCases(spec.params, valid)) {
            const problem = untypedProblem(await invokeMethod(cache, name, spec, c.args));
            if (problem !== null) problems.push(`${c.label} (a valid name): ${problem}`);
          }
          expect(Object.prototype).not.toHaveProperty('polluted');
          (counts.get(name) as Counts).hostile += cases.length;
          expect(problems).toEqual([]);
        },
        KIT_TEST_TIMEOUT_MS,
      );

      if (spec.kind !== 'subscription') {
        it(
          `${name}: garbage in every key family gives a typed error and changes nothing`,
          async () => {
            const problems = (await sharedGarbage()).get(name) ?? [];
            expect(problems).toEqual([]);
          },
          KIT_TEST_TIMEOUT_MS,
        );
      }

      if (spec.kind === 'write') {
        it(
          `${name}: close() under load drains every call (fresh and warm server)`,
          async () => {
            const want = await referenceCounts(name, spec);
            for (const fresh of [true, false]) {
              const problems = await closeUnderLoad(name, spec, fresh, want);
              (counts.get(name) as Counts).close += CLOSE_LOAD_CALLS + 1;
              expect(problems, fresh ? 'scripts not loaded' : 'scripts loaded').toEqual([]);
            }
          },
          KIT_TEST_TIMEOUT_MS,
        );
      }
    }

    it(
      'names that are object-prototype members round-trip and are counted',
      async () => {
        for (const [label, roundTrip] of Object.entries(table.prototypeNames)) {
          for (const name of PROTOTYPE_NAMES) {
            await reset();
            try {
              await roundTrip(cache, name);
            } catch (error) {
              throw new FullonCacheError(
                `${label} with the name ${JSON.stringify(name)}`,
                'FULLON_CACHE_ERROR',
                {
                  cause: error,
                },
              );
            }
          }
        }
        expect(Object.keys(table.prototypeNames).length).toBeGreaterThan(0);
      },
      KIT_TEST_TIMEOUT_MS,
    );
  });

  let garbagePass: Promise<Map<string, string[]>> | undefined;
  /** The garbage problems of every method, from one shared pass (computed on first use). */
  function sharedGarbage(): Promise<Map<string, string[]>> {
    garbagePass ??= garbageProblems();
    return garbagePass;
  }

  /**
   * Runs every method against each garbage kind in each family. The methods share one spoiled
   * keyspace per case until a call changes it (a write that replaced the garbage, a read that
   * pruned what expired or reloaded through its loader), which sets it up afresh: a call that
   * fails must change nothing, so most calls need no reset of their own.
   */
  async function garbageProblems(): Promise<Map<string, string[]>> {
    const methods = entries.filter(([, spec]) => spec.kind !== 'subscription');
    const problems = new Map(methods.map(([name]) => [name, [] as string[]]));
    const push = (name: string, problem: string) => problems.get(name)?.push(problem);
    await reset();
    // The families as seeded, before any call (a write may empty one).
    const seeded = await familyKeys(conn);
    const clean = new Map<string, unknown>();
    // Reads first, on the one seeded keyspace; then each write on a keyspace of its own.
    const ordered = [
      ...methods.filter(([, spec]) => isRead(spec)),
      ...methods.filter(([, spec]) => !isRead(spec)),
    ];
    for (const [name, spec] of ordered) {
      if (!isRead(spec)) await reset();
      const outcome = await invokeMethod(cache, name, spec, spec.args(0));
      if (outcome.kind === 'resolved') clean.set(name, outcome.value);
      else push(name, `${name} on seeded data: ${describeOutcome(outcome)}`);
    }
    const ready = ordered.filter(([name]) => clean.has(name));
    for (const [family, probe] of seeded) {
      for (const kind of garbageKinds(probe[0]?.type ?? 'string')) {
        await reset();
        let keys = (await familyKeys(conn)).get(family) ?? [];
        const records = table.families[family]?.attributes === true ? 'attributes' : 'map';
        if (!(await spoil(conn, keys, kind, records))) continue;
        const where = `${family} ${kind}`;
        let before = await snapshotKeyspace(conn);
        for (const [name, spec] of ready) {
          (counts.get(name) as Counts).garbage++;
          corrupt.length = 0;
          const outcome = await invokeMethod(cache, name, spec, spec.args(0));
          const problem = garbageOutcomeProblem(outcome, keys, spec, family, clean.get(name));
          if (problem !== null) push(name, `${where}: ${problem}`);
          const after = await snapshotKeyspace(conn);
          const changed = keyspaceDiff(before, after);
          if (changed === null) continue;
          // A write may replace the garbage, a read prune what expired or reload through its
          // loader, but nothing may change after failing; the next call gets it afresh.
          if (outcome.kind !== 'resolved') push(name, `${where}: failed after writing: ${changed}`);
          await reset();
          keys = (await familyKeys(conn)).get(family) ?? [];
          await spoil(conn, keys, kind, records);
          before = await snapshotKeyspace(conn);
        }
      }
    }
    return problems;
  }

  /** Judges one call on spoiled data. */
  function garbageOutcomeProblem(
    outcome: Outcome,
    keys: readonly { key: string }[],
    spec: MethodSpec<C>,
    family: string,
    clean: unknown,
  ): string | null {
    if (outcome.kind === 'sync-throw') return describeOutcome(outcome);
    if (outcome.kind === 'rejected') {
      const { error } = outcome;
      if (!DecodeError.is(error)) return `${describeOutcome(outcome)} (expected a DecodeError)`;
      if (!keys.some(({ key }) => key === error.key)) {
        return `DecodeError names ${error.key}, not a spoiled key`;
      }
      return null;
    }
    const reads = spec.kind === 'read' || spec.kind === 'listing';
    if (!reads || spec.volatile === true || table.families[family]?.index === true) return null;
    if (sameResult(outcome.value, clean) || corrupt.length > 0) return null;
    return `${describeOutcome(outcome)} silently (clean: ${JSON.stringify(clean)?.slice(0, 120)})`;
  }

  /** Keys per family after seed, the `args(0)` call and 1 000 calls, without close(). */
  async function referenceCounts(
    name: string,
    spec: MethodSpec<C>,
  ): Promise<Record<string, number>> {
    const reference = await testConnection();
    try {
      const ref = table.create(reference);
      await table.seed(ref, reference);
      await invokeMethod(ref, name, spec, spec.args(0));
      const calls: Promise<Outcome>[] = [];
      for (let i = 1; i <= CLOSE_LOAD_CALLS; i++)
        calls.push(invokeMethod(ref, name, spec, spec.args(i)));
      await Promise.all(calls);
      return await familyCounts(reference);
    } finally {
      await reference.clear();
      await reference.close();
    }
  }

  /**
   * Seed, the `args(0)` call, then 1 000 calls and close() at once — with the server's script
   * cache flushed first (`fresh`) or warm: every call resolves, the effects are those of the
   * same calls without close(), and a call after close() is refused as not sent.
   */
  async function closeUnderLoad(
    name: string,
    spec: MethodSpec<C>,
    fresh: boolean,
    want: Record<string, number>,
  ): Promise<string[]> {
    const problems: string[] = [];
    const loaded = await testConnection();
    try {
      const closing = table.create(loaded);
      await table.seed(closing, loaded);
      await invokeMethod(closing, name, spec, spec.args(0));
      if (fresh) {
        const nodes = await nodeClients();
        await Promise.all(nodes.map((n) => n.sendCommand(['SCRIPT', 'FLUSH'])));
        await Promise.all(nodes.map((n) => n.disconnect()));
      }
      const calls: Promise<Outcome>[] = [];
      for (let i = 1; i <= CLOSE_LOAD_CALLS; i++)
        calls.push(invokeMethod(closing, name, spec, spec.args(i)));
      const closed = loaded.close();
      const outcomes = await Promise.all(calls);
      await closed;
      const failed = outcomes.filter((o) => o.kind !== 'resolved');
      if (failed.length > 0) {
        problems.push(
          `${failed.length} of ${CLOSE_LOAD_CALLS} calls failed, e.g. ${describeOutcome(failed[0] as Outcome)}`,
        );
      }
      const after = afterCloseProblem(await invokeMethod(closing, name, spec, spec.args(0)));
      if (after !== null) problems.push(`a call after close(): ${after} (expected not-sent)`);
      const reopened = await testConnection({ prefix: loaded.keys.prefix });
      try {
        const got = await familyCounts(reopened);
        if (!sameResult(got, want)) {
          problems.push(
            `keys per family after close() ${JSON.stringify(got)}, without close() ${JSON.stringify(want)}`,
          );
        }
        await reopened.clear();
      } finally {
        await reopened.close();
      }
    } finally {
      await loaded.close();
    }
    return problems;
  }
}
