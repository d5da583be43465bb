import { NonNegative, option, optionsObject, rejectRenamedOptions } from '@fullon/core/author';
import type { ProcessContext } from './context.js';
import { countNames } from './names.js';
import { DEFAULT_ACTIVE_MS, seenSince } from './reads.js';
import type { ProcessMetrics, SystemHealth, SystemHealthOptions } from './types.js';

/** Default window of `getSystemHealth`: heartbeats in the last hour. */
const DEFAULT_HEALTH_WINDOW_MS = 3_600_000;
/** Default staleness of `getSystemHealth`: no heartbeat for 5 minutes. */
const DEFAULT_HEALTH_STALE_MS = 300_000;

/**
 * A health summary of the processes seen within the window (`ProcessCache.getSystemHealth`).
 * @param ctx - The cache's context.
 * @param options - `maxAgeMs`, `staleMs`.
 * @returns Counts by type and status, stale and error counts, and the verdict.
 * @throws {ValidationError} naming `options` or the option.
 * @internal
 */
export async function systemHealth(
  ctx: ProcessContext,
  options: SystemHealthOptions,
): Promise<SystemHealth> {
  const opts = optionsObject(options);
  rejectRenamedOptions(opts, { windowMs: 'maxAgeMs' });
  const maxAgeMs = option(NonNegative, opts.maxAgeMs, DEFAULT_HEALTH_WINDOW_MS, 'maxAgeMs');
  const staleMs = option(NonNegative, opts.staleMs, DEFAULT_HEALTH_STALE_MS, 'staleMs');
  const now = Date.now();
  const records = await seenSince(ctx, now - maxAgeMs);
  let staleProcesses = 0;
  let errorProcesses = 0;
  for (const r of records) {
    if (r.lastSeen < now - staleMs) staleProcesses++;
    if (r.status === 'error') errorProcesses++;
  }
  return {
    healthy: staleProcesses === 0 && errorProcesses === 0,
    totalProcesses: records.length,
    byType: countNames(records.map((r) => r.type)),
    byStatus: countNames(records.map((r) => r.status)),
    staleProcesses,
    errorProcesses,
  };
}

/**
 * Counts from the indexes, without SCAN (`ProcessCache.getMetrics`).
 * @param ctx - The cache's context.
 * @returns The metrics.
 * @internal
 */
export async function metrics(ctx: ProcessContext): Promise<ProcessMetrics> {
  const { connection } = ctx;
  const { live, stopped, components } = ctx.keys;
  const now = Date.now();
  const alive = `${now - ctx.ttlMs}`;
  const [liveProcesses, stoppedProcesses, componentCount, active] = await Promise.all([
    connection.send<number>(live, ['ZCOUNT', live, alive, '+inf']),
    connection.send<number>(stopped, ['ZCOUNT', stopped, alive, '+inf']),
    connection.send<number>(components, ['HLEN', components]),
    seenSince(ctx, now - DEFAULT_ACTIVE_MS),
  ]);
  const activeByType = countNames(active.map((r) => r.type));
  return {
    totalProcesses: liveProcesses + stoppedProcesses,
    liveProcesses,
    activeProcesses: active.length,
    stoppedProcesses,
    components: componentCount,
    activeByType,
  };
}
