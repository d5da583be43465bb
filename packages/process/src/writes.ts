import { randomUUID } from 'node:crypto';
import { ConfigurationError, DecodeError } from '@fullon/core';
import {
  checkName,
  optionsObject,
  plainRecord,
  ScriptReply,
  validate,
  validateAt,
} from '@fullon/core/author';
import type { ProcessContext } from './context.js';
import { decodeProcess, ProcessLayout, storeParams } from './layouts.js';
import {
  Message,
  ProcessPatch,
  type ProcessRecord,
  type ProcessType,
  RegisterOptions,
} from './schema.js';
import { REWRITABLE_CODECS } from './scripts/record-lua.js';
import { registerScript } from './scripts/register.js';
import { updateScript } from './scripts/update.js';
import type { ProcessUpdate, RegisterProcessOptions } from './types.js';

/** One change of a stored record, as the update script applies it. */
interface RecordChange {
  heartbeat: boolean;
  status: string | undefined;
  message: string | undefined;
  params: Record<string, string> | undefined;
  reply: boolean;
}

/**
 * Stores a new process record and enters it in the indexes (`ProcessCache.registerProcess`).
 * @param ctx - The cache's context.
 * @param type - Process type.
 * @param component - What it works on.
 * @param options - `params`, `message`, `status`.
 * @returns The new process id.
 * @throws {ValidationError} naming the argument or option; nothing is written.
 * @throws {DecodeError} when an index key holds another Redis type; nothing is written.
 * @internal
 */
export async function registerRecord(
  ctx: ProcessContext,
  type: ProcessType,
  component: string,
  options: RegisterProcessOptions,
): Promise<string> {
  checkName(type, 'type');
  checkName(component, 'component');
  const parsed = validateAt(RegisterOptions, optionsObject(options), 'options');
  const { connection, keys } = ctx;
  const now = Date.now();
  const processId = randomUUID();
  const status = parsed.status ?? 'starting';
  const bytes = ProcessLayout.encode(connection.codec, {
    processId,
    type,
    component,
    status,
    message: parsed.message ?? `Process ${component} registered`,
    params: storeParams(parsed.params ?? {}),
    createdAt: now,
    updatedAt: now,
    lastSeen: now,
  });
  await registerScript(
    connection,
    {
      record: keys.record(processId),
      live: keys.live,
      stopped: keys.stopped,
      components: keys.components,
    },
    {
      codec: connection.codec.name,
      processId,
      bytes,
      now,
      ttlMs: ctx.ttl,
      component,
      stopped: status === 'stopped',
    },
  );
  return processId;
}

/**
 * Changes a stored record in one step (`ProcessCache.updateProcess`).
 * @param ctx - The cache's context.
 * @param processId - The process.
 * @param update - The change.
 * @returns The updated record, or `null` when there is no such process.
 * @throws {ValidationError} naming the field; nothing is written.
 * @throws {DecodeError} when the stored record is corrupt; nothing is written.
 * @throws {ConfigurationError} when the connection's codec is neither msgpack nor json.
 * @internal
 */
export async function updateRecord(
  ctx: ProcessContext,
  processId: string,
  update: ProcessUpdate,
): Promise<ProcessRecord | null> {
  checkName(processId, 'processId');
  const patch = validate(ProcessPatch, plainRecord(update, 'update'), 'update');
  const bytes = await rewrite(ctx, processId, {
    heartbeat: patch.heartbeat ?? true,
    status: patch.status,
    message: patch.message,
    params: patch.params === undefined ? undefined : storeParams(patch.params),
    reply: true,
  });
  return bytes === null
    ? null
    : decodeProcess(ctx.connection.codec, bytes, ctx.keys.record(processId), processId);
}

/**
 * Sets `lastSeen` to now and renews the record's TTL (`ProcessCache.heartbeat`).
 * @param ctx - The cache's context.
 * @param processId - The process.
 * @returns `false` when there is no such process.
 * @throws {DecodeError} when the stored record is corrupt; nothing is written.
 * @internal
 */
export async function heartbeatRecord(ctx: ProcessContext, processId: string): Promise<boolean> {
  checkName(processId, 'processId');
  const bytes = await rewrite(ctx, processId, {
    heartbeat: true,
    status: undefined,
    message: undefined,
    params: undefined,
    reply: false,
  });
  return bytes !== null;
}

/**
 * Sets status `stopped` and the message (`ProcessCache.stopProcess`).
 * @param ctx - The cache's context.
 * @param processId - The process.
 * @param message - Status message; defaults to `Process stopped`.
 * @returns `false` when there is no such process.
 * @throws {ValidationError} naming the argument.
 * @throws {DecodeError} when the stored record is corrupt; nothing is written.
 * @internal
 */
export async function stopRecord(
  ctx: ProcessContext,
  processId: string,
  message: string | undefined,
): Promise<boolean> {
  checkName(processId, 'processId');
  const text = message === undefined ? 'Process stopped' : validate(Message, message, 'message');
  const bytes = await rewrite(ctx, processId, {
    heartbeat: false,
    status: 'stopped',
    message: text,
    params: undefined,
    reply: false,
  });
  return bytes !== null;
}

/**
 * The codec name the record scripts are given: they rewrite records inside Redis, so only
 * codecs whose bytes Lua reads will do.
 * @param ctx - The cache's context.
 * @returns The connection's codec name.
 * @throws {ConfigurationError} when the codec is neither msgpack nor json.
 * @internal
 */
export function rewritableCodec(ctx: ProcessContext): string {
  const codec = ctx.connection.codec.name;
  if (!REWRITABLE_CODECS.includes(codec)) {
    throw new ConfigurationError(
      'codec',
      `ProcessCache rewrites records inside Redis and reads only ${REWRITABLE_CODECS.join(' and ')} values, not ${codec}`,
    );
  }
  return codec;
}

/** Runs the update script; `null` when there is no record, the new bytes when asked for. */
async function rewrite(
  ctx: ProcessContext,
  processId: string,
  change: RecordChange,
): Promise<Buffer | null> {
  const codec = rewritableCodec(ctx);
  const { keys } = ctx;
  const record = keys.record(processId);
  const [status, bytes] = await updateScript(
    ctx.connection,
    { record, live: keys.live, stopped: keys.stopped, components: keys.components },
    { codec, processId, now: Date.now(), ttlMs: ctx.ttl, ...change },
  );
  if (status === ScriptReply.none) return null;
  if (status === ScriptReply.corrupt) {
    throw new DecodeError(record, undefined, 'not a process record of layout version 1');
  }
  return bytes ?? Buffer.alloc(0);
}
