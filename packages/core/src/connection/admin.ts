import type { Codec } from '../encoding/codec.js';
import type { KeyBuilder } from '../keys/key-builder.js';
import { connectFailureReason } from './connect-failure.js';
import { OutcomeConnectionError } from './outcome.js';
import { translateError } from './translate.js';
import type { NodePort, Transport } from './transport.js';
import type { HealthReport } from './types.js';

/** What the admin operations need of the connection. @internal */
export interface AdminContext {
  readonly transport: Transport;
  readonly prefix: string;
  readonly codecName: string;
  /** The SCAN pattern of every key under the prefix. */
  readonly scanPattern: string;
  /** One PING, translated; resolves to the round trip in ms. */
  ping(): Promise<number>;
}

/**
 * Measures the connection and reads server facts from every master.
 * @param context - The connection.
 * @returns Latency, server version, mode, node count, memory, prefix and codec.
 * @throws {ConnectionError} when Redis is unreachable.
 */
export async function readHealth(context: AdminContext): Promise<HealthReport> {
  const { transport } = context;
  const latencyMs = await context.ping();
  let serverVersion = '';
  let usedMemoryBytes = 0;
  let nodes = 0;
  const unreadable = new Set<string>();
  // A section the server refuses (an ACL without +info) is reported as unreadable, not fatal;
  // a connection failure still throws.
  const section = async (node: NodePort, name: string): Promise<string> => {
    try {
      return await node.send<string>(['INFO', name]);
    } catch (error) {
      const translated = translateError(error, 'INFO', transport);
      if (translated.code !== 'COMMAND') throw translated;
      unreadable.add(`INFO ${name}`);
      return '';
    }
  };
  try {
    const masters = await transport.masters();
    nodes = masters.length;
    for (const node of masters) {
      const info = await section(node, 'server');
      const memory = await section(node, 'memory');
      serverVersion ||= /redis_version:(\S+)/.exec(info)?.[1] ?? '';
      usedMemoryBytes += Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0);
    }
  } catch (error) {
    throw translateError(error, 'INFO', transport);
  }
  return {
    ok: true,
    latencyMs,
    serverVersion,
    mode: transport.mode,
    nodes,
    usedMemoryBytes,
    prefix: context.prefix,
    codec: context.codecName,
    unreadable: [...unreadable],
  };
}

/**
 * Deletes every key under the prefix (SCAN + UNLINK on every master). Never FLUSHDB.
 * @param context - The connection.
 * @returns How many keys were deleted.
 * @throws {ConnectionError} when Redis is unreachable.
 */
export async function clearPrefix(context: AdminContext): Promise<number> {
  const { transport, scanPattern } = context;
  let deleted = 0;
  try {
    for (const node of await transport.masters()) {
      let cursor = '0';
      do {
        const [next, keys] = await node.send<[string, string[]]>([
          'SCAN',
          cursor,
          'MATCH',
          scanPattern,
          'COUNT',
          '1000',
        ]);
        cursor = next;
        // One UNLINK per key: keys found on one node may still sit in different slots.
        const counts = await Promise.all(keys.map((k) => node.send<number>(['UNLINK', k])));
        deleted += counts.reduce((a, b) => a + b, 0);
      } while (cursor !== '0');
    }
  } catch (error) {
    throw translateError(error, 'clear', transport);
  }
  return deleted;
}

/**
 * Builds the context of the admin operations.
 * @param transport - The connection's transport.
 * @param keys - Its key builder (prefix, SCAN pattern).
 * @param codec - Its codec (name).
 * @param ping - Its translated PING.
 * @returns The context.
 */
export function adminContext(
  transport: Transport,
  keys: KeyBuilder,
  codec: Codec,
  ping: () => Promise<number>,
): AdminContext {
  return {
    transport,
    prefix: keys.prefix,
    codecName: codec.name,
    scanPattern: keys.scanPattern(),
    ping,
  };
}

/**
 * Opens the transport — TCP, handshake and a first PING to every master — within
 * `connectTimeoutMs` in all; on failure closes what was opened and fails fast.
 * @param transport - The transport.
 * @param connectTimeoutMs - The bound on the whole first connect.
 * @param tls - Whether the connection uses TLS (for the message). Defaults to `false`.
 * @throws {ConnectionError} naming the target, with the cause (outcome `not-sent`).
 */
export async function openOrFail(
  transport: Transport,
  connectTimeoutMs: number,
  tls = false,
): Promise<void> {
  const opening = transport.open();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    );
  });
  try {
    await Promise.race([opening, timeout]);
  } catch (cause) {
    // A server that accepts TCP but never answers leaves `opening` pending until close().
    opening.catch(() => undefined);
    await transport.destroy();
    throw new OutcomeConnectionError(
      `cannot connect to Redis at ${transport.target}: ${connectFailureReason(cause, tls)}`,
      { outcome: 'not-sent', cause },
    );
  } finally {
    clearTimeout(timer);
  }
}
