/** One measured operation: `run(i)` performs call number `i`. */
export interface Variant {
  /** Short name shown in tables, e.g. `ours` or `(a) raw node-redis`. */
  name: string;
  /** Performs one call. */
  run: (i: number) => Promise<unknown>;
}

/** A comparison of our operation with one or more baselines. */
export interface Contest {
  /** Operation name, e.g. `setTicker`. */
  op: string;
  /** Our implementation. */
  ours: Variant;
  /** What it is compared with. */
  baselines: Variant[];
}

/** Throughput of one variant over every round. */
export interface Measurement {
  op: string;
  variant: string;
  inFlight: number;
  /** Median ops/s over the rounds. */
  opsPerSec: number;
  /** Every round's ops/s. */
  rounds: number[];
}

/** Runs `variant` with `inFlight` concurrent callers for `durationMs`; returns ops/s. */
async function trial(
  variant: Variant,
  inFlight: number,
  durationMs: number,
  offset: number,
): Promise<number> {
  let next = offset;
  let done = 0;
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      await variant.run(next++);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return done / ((performance.now() - started) / 1000);
}

/** Median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Lets the previous trial's work finish before the next starts: its garbage is collected (when
 * node runs with `--expose-gc`, as `pnpm bench` does) and pending I/O callbacks run, so one
 * variant's allocations are not paid for inside the next variant's trial.
 */
async function settle(): Promise<void> {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** `items` rotated left by `by` places. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % Math.max(items.length, 1);
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * Measures every variant of every contest in the same process, interleaved: each round runs
 * every contest's variants back to back, so ours and its baselines meet the same machine state
 * (the other core busy, server memory grown), in an order rotated per round within the contest,
 * so no variant always runs first after another contest's. Each trial starts after
 * {@link settle}.
 */
export async function measure(
  contests: readonly Contest[],
  options: { inFlight: readonly number[]; rounds: number; durationMs: number; warmupMs: number },
): Promise<Measurement[]> {
  const groups = contests.map((c) => [c.ours, ...c.baselines].map((v) => ({ op: c.op, v })));
  const results: Measurement[] = [];
  let offset = 0;
  const run = async (v: Variant, inFlight: number, durationMs: number) => {
    await settle();
    offset += 1_000_000;
    return trial(v, inFlight, durationMs, offset);
  };
  for (const inFlight of options.inFlight) {
    for (const { v } of groups.flat()) await run(v, inFlight, options.warmupMs);
    const perEntry = new Map(groups.flat().map((entry) => [entry, [] as number[]]));
    for (let round = 0; round < options.rounds; round++) {
      for (const group of groups) {
        for (const entry of rotated(group, round)) {
          perEntry.get(entry)?.push(await run(entry.v, inFlight, options.durationMs));
        }
      }
    }
    for (const [{ op, v }, rounds] of perEntry) {
      results.push({ op, variant: v.name, inFlight, opsPerSec: median(rounds), rounds });
    }
  }
  return results;
}
