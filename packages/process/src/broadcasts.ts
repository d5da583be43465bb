import { type CacheConnectionLike, DecodeError } from '@fullon/core';
import {
  checkName,
  countOption,
  DecodedSubscription,
  optionsObject,
  signalOption,
  validate,
  validateAt,
} from '@fullon/core/author';
import type { ProcessContext } from './context.js';
import { BroadcastLayout, decodeBroadcast } from './layouts.js';
import { escapeJson } from './names.js';
import {
  type Broadcast,
  type JsonObject,
  JsonObject as JsonObjectSchema,
  Message,
  type ProcessType,
} from './schema.js';
import type { BroadcastSubscribeOptions, BroadcastSubscription } from './types.js';

/**
 * Publishes a broadcast to a process type (`ProcessCache.broadcast`).
 * @param ctx - The cache's context.
 * @param type - The process type addressed.
 * @param message - The message.
 * @param data - Extra data; defaults to `{}`.
 * @returns How many subscribers received it.
 * @throws {ValidationError} naming the argument.
 * @internal
 */
export async function publishBroadcast(
  ctx: ProcessContext,
  type: ProcessType,
  message: string,
  data: JsonObject | undefined,
): Promise<number> {
  checkName(type, 'type');
  validate(Message, message, 'message');
  const payload = data === undefined ? {} : validateAt(JsonObjectSchema, data, 'data');
  const bytes = BroadcastLayout.encode(ctx.connection.codec, {
    type,
    message,
    data: escapeJson(payload) as JsonObject,
    time: Date.now(),
  });
  return ctx.connection.publish(ctx.keys.broadcast(type), bytes);
}

/**
 * Subscribes to a process type's broadcasts (`ProcessCache.subscribeBroadcasts`). A bad
 * argument never throws here: `ready` (and iteration) reject with the `ValidationError`.
 * @param ctx - The cache's context.
 * @param type - The process type.
 * @param options - `signal`, `bufferSize`.
 * @returns The stream of decoded broadcasts.
 * @internal
 */
export function subscribeToBroadcasts(
  ctx: ProcessContext,
  type: ProcessType,
  options: BroadcastSubscribeOptions,
): BroadcastSubscription {
  const { connection } = ctx;
  const codec = connection.codec;
  let pending: ReturnType<CacheConnectionLike['subscribe']>;
  try {
    checkName(type, 'type');
    const opts = optionsObject(options);
    const signal = signalOption(opts.signal);
    const bufferSize =
      opts.bufferSize === undefined ? undefined : countOption(opts.bufferSize, 0, 'bufferSize');
    pending = connection.subscribe({
      channels: [ctx.keys.broadcast(type)],
      ...(signal === undefined ? {} : { signal }),
      ...(bufferSize === undefined ? {} : { bufferSize }),
    });
  } catch (error) {
    pending = Promise.reject(error);
  }
  return new DecodedSubscription<Broadcast>(connection, pending, (message, channel) => {
    const broadcast = decodeBroadcast(codec, message, channel);
    if (broadcast.type !== type) {
      throw new DecodeError(channel, undefined, `broadcast for ${broadcast.type} on ${type}`);
    }
    return [broadcast];
  });
}
