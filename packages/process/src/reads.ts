import { DecodeError } from '@fullon/core';
import {
  BUFFERS,
  checkName,
  decodeListed,
  decodeStoredTime,
  flatPairs,
  inChunks,
  NonNegative,
  optionsObject,
  rejectRenamedOptions,
  validateAt,
} from '@fullon/core/author';
import * as v from 'valibot';
import { PAGE, type ProcessContext } from './context.js';
import { decodeProcess } from './layouts.js';
import type { ProcessRecord } from './schema.js';
import type { ActiveProcessesOptions } from './types.js';

/**
 * Default window of `getActiveProcesses` (and of `getMetrics`' active count): heartbeats in
 * the last 5 minutes.
 * @internal
 */
export const DEFAULT_ACTIVE_MS = 300_000;

const ActiveOptions = v.object({
  type: v.optional(v.string()),
  component: v.optional(v.string()),
  maxAgeMs: v.optional(NonNegative),
});

/** What `registerProcess` generates (`crypto.randomUUID()`): the only ids the cache stores. */
const PROCESS_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Reads one process (`ProcessCache.getProcess`).
 * @param ctx - The cache's context.
 * @param processId - The process.
 * @returns The record, or `null` when there is none.
 * @throws {DecodeError} when the stored record is corrupt.
 * @internal
 */
export async function readProcess(
  ctx: ProcessContext,
  processId: string,
): Promise<ProcessRecord | null> {
  checkName(processId, 'processId');
  const key = ctx.keys.record(processId);
  const bytes = await ctx.connection.send<Buffer | null>(key, ['GET', key], BUFFERS);
  return bytes === null ? null : decodeProcess(ctx.connection.codec, bytes, key, processId);
}

/**
 * The processes with a heartbeat within the window, filtered (`ProcessCache.getActiveProcesses`).
 * @param ctx - The cache's context.
 * @param options - `type`, `component`, `maxAgeMs`.
 * @returns The records, most recent first.
 * @throws {ValidationError} naming `options` or the option.
 * @internal
 */
export async function listActive(
  ctx: ProcessContext,
  options: ActiveProcessesOptions,
): Promise<ProcessRecord[]> {
  const opts = optionsObject(options);
  rejectRenamedOptions(opts, { sinceMs: 'maxAgeMs' });
  const { type, component, maxAgeMs } = validateAt(ActiveOptions, opts, 'options');
  if (type !== undefined) checkName(type, 'options.type');
  if (component !== undefined) checkName(component, 'options.component');
  const records = await seenSince(ctx, Date.now() - (maxAgeMs ?? DEFAULT_ACTIVE_MS));
  return records.filter(
    (r) =>
      (type === undefined || r.type === type) &&
      (component === undefined || r.component === component),
  );
}

/**
 * The current process of a component (`ProcessCache.getComponentStatus`).
 * @param ctx - The cache's context.
 * @param component - The component.
 * @returns Its record, or `null` when none.
 * @throws {DecodeError} when the record is corrupt, or naming the components key and
 *   `component` when the stored id is not a process id or names another component's process.
 * @internal
 */
export async function readComponentStatus(
  ctx: ProcessContext,
  component: string,
): Promise<ProcessRecord | null> {
  checkName(component, 'component');
  const { components } = ctx.keys;
  const processId = await ctx.connection.send<string | null>(components, [
    'HGET',
    components,
    component,
  ]);
  if (processId === null) return null;
  if (!PROCESS_ID.test(processId)) {
    throw new DecodeError(components, component, 'the stored process id is not a process id');
  }
  const record = await readProcess(ctx, processId);
  // Another component's process under this name is a corrupt entry, not this component's.
  if (record !== null && record.component !== component) {
    throw new DecodeError(
      components,
      component,
      `the stored process id names a process of component ${JSON.stringify(record.component)}`,
    );
  }
  return record;
}

/**
 * The processes (not stopped) with a heartbeat at or after `since`, most recent first: the live
 * index read by score, then the records in pages of MGET. Garbage scores, corrupt records and
 * record keys of another Redis type are skipped and reported through `onCorrupt`.
 * @param ctx - The cache's context.
 * @param since - Earliest heartbeat (epoch ms).
 * @returns The records.
 * @internal
 */
export async function seenSince(ctx: ProcessContext, since: number): Promise<ProcessRecord[]> {
  const { connection, keys } = ctx;
  const flat = await connection.send<string[]>(keys.live, [
    'ZRANGE',
    keys.live,
    '+inf',
    String(since),
    'BYSCORE',
    'REV',
    'WITHSCORES',
  ]);
  // A score is the heartbeat time: one outside the epoch-ms range (inf, -1, 1e300) is
  // garbage in the index, skipped and reported rather than read as "seen just now".
  const ids: string[] = [];
  for (const [id, score] of flatPairs(flat)) {
    if (decodeListed(connection, () => decodeStoredTime(score, keys.live, id)) !== undefined) {
      ids.push(id);
    }
  }
  const records = await inChunks(
    ids,
    async (slice) => {
      const recordKeys = slice.map((id) => keys.record(id));
      const values = await connection.send<(Buffer | null)[]>(
        recordKeys[0],
        ['MGET', ...recordKeys],
        BUFFERS,
      );
      return Promise.all(
        values.map(async (bytes, i) => {
          const id = slice[i];
          const key = recordKeys[i];
          if (id === undefined || key === undefined) return undefined;
          // MGET answers nil for a key of another Redis type as for an expired record.
          if (bytes === null) return missingRecord(ctx, key);
          return decodeListed(connection, () => decodeProcess(connection.codec, bytes, key, id));
        }),
      );
    },
    PAGE,
  );
  return records.filter((r): r is ProcessRecord => r !== undefined && r.status !== 'stopped');
}

/**
 * An index entry whose record MGET did not return: expired (skipped, cleanup drops the
 * entry), or a key of another Redis type in its place (skipped and reported).
 */
async function missingRecord(ctx: ProcessContext, key: string): Promise<undefined> {
  const type = await ctx.connection.send<string>(key, ['TYPE', key]);
  if (type !== 'none') {
    ctx.connection.reportCorrupt(
      new DecodeError(key, undefined, `holds a Redis ${type}, not a process record`),
    );
  }
  return undefined;
}
