// @fullon/core/author — the tools for writing a cache package on @fullon/core: keys, record
// layouts, Lua scripts, validation, the cache lifecycle, read-through, registries. Cache users
// do not need this entry.
export { onAbort } from '../abort-listener.js';
export { asPromise } from '../as-promise.js';
export { DEFAULT_CHUNK_SIZE, groupPositions, inChunks, inChunksSequentially } from '../chunks.js';
export { asBuffer } from '../codec.js';
export { byName } from '../compare.js';
export type { CompleteFieldRead, UpsertFieldOptions } from '../complete-hash.js';
export {
  COMPLETE_MARKER,
  deleteKeys,
  readCompleteHash,
  readCompleteHashField,
  replaceCompleteHash,
  upsertCompleteHashField,
} from '../complete-hash.js';
export { requireConnection } from '../connection-like.js';
export { decodeListed } from '../decode-listed.js';
export { DecodedSubscription } from '../decoded-subscription.js';
export { flatTupleEncoder } from '../flat-encoder.js';
export type { JsonValue } from '../json.js';
export type { PatternPart } from '../key-builder.js';
export { escapeKeyPart, KeyBuilder, unescapeKeyPart, WILDCARD } from '../key-builder.js';
export { KeyMemo } from '../key-memo.js';
export type { LayoutDefinition, RecordLayout } from '../layout.js';
export { defineLayout } from '../layout.js';
export { closeCache, openCache } from '../lifecycle.js';
export {
  CORRUPT_REPLY_TAG,
  LUA_CHECK_TYPES,
  LUA_HSET_PAIRS,
  LUA_KEEP_INDEX,
  LUA_NOW_MS,
  LUA_WRONG_TYPE,
  rejectCorrupt,
} from '../lua-snippets.js';
export {
  MSGPACK_NUMBER_MAX_BYTES,
  msgpackStringMaxBytes,
  writeMsgpackNumber,
  writeMsgpackString,
} from '../msgpack-writer.js';
export { NameRegistry } from '../name-registry.js';
export { runOperation } from '../operation.js';
export { flatPairs, hashEntries } from '../pairs.js';
export {
  cacheOptions,
  isPlainObject,
  ownRecord,
  plainOptions,
  plainRecord,
  setOwn,
} from '../plain-object.js';
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
} from '../schemas.js';
export type { LuaScript } from '../script.js';
export { defineScript } from '../script.js';
export { LUA_SCRIPT_REPLY, ScriptReply } from '../script-reply.js';
export { BUFFERS } from '../send-options.js';
export type { ReadThroughSource } from '../single-flight.js';
export { SingleFlight } from '../single-flight.js';
export { decodeStoredTime, isEpochMs } from '../stored-time.js';
export type { TakeQueuedKeys, TakeQueuedOptions } from '../take-queued.js';
export {
  DEFAULT_TAKE_LEASE_MS,
  inFlightKey,
  MAX_IN_FLIGHT,
  takeQueued,
} from '../take-queued.js';
export {
  checkName,
  countOption,
  idKey,
  option,
  optionalAge,
  optionsObject,
  signalOption,
  ttlOption,
  validate,
  validateAt,
  validateList,
  validateStored,
  waitOption,
} from '../validation.js';
