// @fullon/core/author — the tools for writing a cache package on @fullon/core: keys, record
// layouts, Lua scripts, validation, the cache lifecycle, read-through, registries. Cache users
// do not need this entry.
export { onAbort } from '../connection/abort-listener.js';
export { requireConnection } from '../connection/connection-like.js';
export { DecodedSubscription } from '../connection/decoded-subscription.js';
export { asBuffer } from '../encoding/codec.js';
export { flatTupleEncoder } from '../encoding/flat-encoder.js';
export type { LayoutDefinition, RecordLayout } from '../encoding/layout.js';
export { defineLayout } from '../encoding/layout.js';
export {
  MSGPACK_NUMBER_MAX_BYTES,
  msgpackStringMaxBytes,
  writeMsgpackNumber,
  writeMsgpackString,
} from '../encoding/msgpack-writer.js';
export { decodeStoredTime, isEpochMs } from '../encoding/stored-time.js';
export type { PatternPart } from '../keys/key-builder.js';
export { escapeKeyPart, KeyBuilder, unescapeKeyPart, WILDCARD } from '../keys/key-builder.js';
export { KeyMemo } from '../keys/key-memo.js';
export type { CompleteFieldRead, UpsertFieldOptions } from '../patterns/complete-hash.js';
export {
  COMPLETE_MARKER,
  deleteKeys,
  readCompleteHash,
  readCompleteHashField,
  replaceCompleteHash,
  upsertCompleteHashField,
} from '../patterns/complete-hash.js';
export { decodeListed } from '../patterns/decode-listed.js';
export { closeCache, openCache } from '../patterns/lifecycle.js';
export { NameRegistry } from '../patterns/name-registry.js';
export { runOperation } from '../patterns/operation.js';
export type { ReadThroughSource } from '../patterns/single-flight.js';
export { SingleFlight } from '../patterns/single-flight.js';
export type { TakeQueuedKeys, TakeQueuedOptions } from '../patterns/take-queued.js';
export {
  DEFAULT_TAKE_LEASE_MS,
  inFlightKey,
  MAX_IN_FLIGHT,
  takeQueued,
} from '../patterns/take-queued.js';
export {
  CORRUPT_REPLY_TAG,
  LUA_CHECK_TYPES,
  LUA_HSET_PAIRS,
  LUA_KEEP_INDEX,
  LUA_NOW_MS,
  LUA_WRONG_TYPE,
  rejectCorrupt,
} from '../scripts/lua-snippets.js';
export type { LuaScript } from '../scripts/script.js';
export { defineScript } from '../scripts/script.js';
export { LUA_SCRIPT_REPLY, ScriptReply } from '../scripts/script-reply.js';
export { asPromise } from '../util/as-promise.js';
export {
  DEFAULT_CHUNK_SIZE,
  groupPositions,
  inChunks,
  inChunksSequentially,
} from '../util/chunks.js';
export { byName } from '../util/compare.js';
export type { JsonValue } from '../util/json.js';
export { flatPairs, hashEntries } from '../util/pairs.js';
export { BUFFERS } from '../util/send-options.js';
export {
  cacheOptions,
  isPlainObject,
  ownRecord,
  plainOptions,
  plainRecord,
  setOwn,
} from '../validation/plain-object.js';
export {
  Count,
  EpochMs,
  FiniteNumber,
  Id,
  isNameText,
  isWellFormed,
  MAX_COUNT,
  MAX_EPOCH_MS,
  MAX_NAME_LENGTH,
  MAX_TTL_MS,
  MIN_EPOCH_MS,
  Name,
  NonNegative,
  PositiveMs,
  TtlMs,
  WaitMs,
} from '../validation/schemas.js';
export {
  checkName,
  countOption,
  idKey,
  option,
  optionalAge,
  optionsObject,
  rejectRenamedOptions,
  signalOption,
  ttlOption,
  validate,
  validateAt,
  validateList,
  validateStored,
  waitOption,
} from '../validation/validation.js';
