import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import {
  flatPairs,
  inChunks,
  option,
  optionsObject,
  PositiveMs,
  runOperation,
} from '@fullon/core/author';
import { PAGE, type ProcessContext } from './context.js';
import { cleanupScript } from './scripts/cleanup.js';
import { pruneComponentsScript } from './scripts/prune-components.js';
import type { CleanupOptions } from './types.js';
import { rewritableCodec } from './writes.js';

/** Default staleness of `cleanupStaleProcesses`: no heartbeat for 30 minutes. */
const DEFAULT_CLEANUP_STALE_MS = 1_800_000;

/**
 * Stops stale processes and drops dangling and corrupt index entries, a page of the live index
 * per script, then prunes the components hash (`ProcessCache.cleanupStaleProcesses`).
 * @param ctx - The cache's context.
 * @param options - `staleMs`.
 * @returns How many entries left the active index.
 * @throws {ValidationError} naming `options` or `staleMs`.
 * @internal
 */
export async function cleanupStale(ctx: ProcessContext, options: CleanupOptions): Promise<number> {
  const opts = optionsObject(options);
  const staleMs = option(PositiveMs, opts.staleMs, DEFAULT_CLEANUP_STALE_MS, 'staleMs');
  const codec = rewritableCodec(ctx);
  // One operation: close() lets every page and the component pruning run.
  return runOperation(ctx.connection, (conn) => cleanupPages(ctx, conn, staleMs, codec));
}

async function cleanupPages(
  ctx: ProcessContext,
  conn: CacheConnectionLike,
  staleMs: number,
  codec: string,
): Promise<number> {
  const { keys } = ctx;
  const now = Date.now();
  const cutoff = now - staleMs;
  let removed = 0;
  let offset = 0;
  for (;;) {
    const ids = await conn.send<string[]>(keys.live, [
      'ZRANGE',
      keys.live,
      String(offset),
      String(offset + PAGE - 1),
    ]);
    if (ids.length === 0) break;
    const page = await cleanupScript(
      conn,
      {
        live: keys.live,
        stopped: keys.stopped,
        components: keys.components,
        records: ids.map((id) => keys.record(id)),
      },
      {
        codec,
        now,
        ttlMs: ctx.ttl,
        cutoff,
        message: `Process stale: no heartbeat for ${staleMs} ms`,
        ids,
      },
    );
    for (const id of page.corrupt) {
      conn.reportCorrupt(
        new DecodeError(keys.record(id), undefined, 'corrupt process record; index entry removed'),
      );
    }
    for (const id of page.badScore) {
      ctx.connection.reportCorrupt(
        new DecodeError(keys.live, id, 'heartbeat score is not an epoch-ms time; entry removed'),
      );
    }
    removed += page.stopped + page.dangling + page.corrupt.length + page.badScore.length;
    offset += page.kept;
    if (ids.length < PAGE) break;
  }
  await pruneComponents(ctx, conn);
  return removed;
}

/** Drops component entries whose record is gone, a page of the components hash per script. */
async function pruneComponents(ctx: ProcessContext, conn: CacheConnectionLike): Promise<void> {
  const { keys } = ctx;
  const { components } = keys;
  const flat = await conn.send<string[]>(components, ['HGETALL', components]);
  const pairs: [component: string, processId: string][] = flatPairs(flat);
  await inChunks(
    pairs,
    async (slice) => [
      await pruneComponentsScript(
        conn,
        { components, records: slice.map(([, id]) => keys.record(id)) },
        { pairs: slice },
      ),
    ],
    PAGE,
  );
}
