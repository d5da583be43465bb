import { Decoder, Encoder } from '@msgpack/msgpack';
import { decodeFlatTuple } from './flat-tuple.js';

/**
 * Turns values into bytes and back. The connection holds one; layouts use it for every record.
 * Implementations must be injective for the values they accept.
 */
export interface Codec {
  /** Short name shown in `health()` and docs, e.g. `msgpack`. */
  readonly name: string;
  /**
   * @param value - Plain data: arrays, objects, strings, numbers, booleans, null.
   * @returns The bytes, as a `Buffer` (node-redis v4 rejects a bare `Uint8Array`).
   */
  encode(value: unknown): Buffer;
  /**
   * @param bytes - Bytes produced by `encode`.
   * @returns The value.
   * @throws when the bytes are not valid for this codec (callers wrap it in `DecodeError`).
   */
  decode(bytes: Uint8Array): unknown;
}

/** Wraps a `Uint8Array` as a `Buffer` over the same memory, without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Creates a msgpack codec (`@msgpack/msgpack`). The default codec.
 * @returns A codec whose encoder and decoder are reused across calls.
 */
export function createMsgpackCodec(): Codec {
  const encoder = new Encoder({ ignoreUndefined: true });
  const decoder = new Decoder();
  return {
    name: 'msgpack',
    encode: (value) => asBuffer(encoder.encode(value)),
    // Record layouts are flat tuples of scalars: those take a direct path (about twice as fast
    // as the general decoder, which every other shape still goes through).
    decode: (bytes) => decodeFlatTuple(asBuffer(bytes)) ?? decoder.decode(bytes),
  };
}

/** The default codec: msgpack. */
export const msgpackCodec: Codec = createMsgpackCodec();

/** A JSON codec, for debugging with `redis-cli` and for interop with other languages. */
export const jsonCodec: Codec = {
  name: 'json',
  encode: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
  decode: (bytes) => JSON.parse(asBuffer(bytes).toString('utf8')) as unknown,
};
