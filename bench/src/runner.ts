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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Measures every variant of every contest in the same process, interleaved: each round runs all
 * variants once, in an order rotated per round, so drift (GC, server memory growth, the other
 * core being busy) hits every variant alike.
 */
export async function measure(
  contests: readonly Contest[],
  options: { inFlight: readonly number[]; rounds: number; durationMs: number; warmupMs: number },
): Promise<Measurement[]> {
  const variants = contests.flatMap((c) => [c.ours, ...c.baselines].map((v) => ({ op: c.op, v })));
  const results: Measurement[] = [];
  let offset = 0;
  for (const inFlight of options.inFlight) {
    for (const { v } of variants) {
      offset += 1_000_000;
      await trial(v, inFlight, options.warmupMs, offset);
    }
    const perVariant = variants.map(() => [] as number[]);
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < variants.length; k++) {
        const index = (k + round) % variants.length;
        const entry = variants[index];
        if (entry === undefined) continue;
        offset += 1_000_000;
        perVariant[index]?.push(await trial(entry.v, inFlight, options.durationMs, offset));
      }
    }
    variants.forEach(({ op, v }, index) => {
      const rounds = perVariant[index] ?? [];
      results.push({ op, variant: v.name, inFlight, opsPerSec: median(rounds), rounds });
    });
  }
  return results;
}
