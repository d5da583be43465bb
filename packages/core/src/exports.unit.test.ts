import { describe, expect, it } from 'vitest';
import * as author from './author/index.js';
import * as main from './index.js';
import * as server from './server/index.js';

/**
 * The API report of @fullon/core: every runtime name each entry point exports. A change here is
 * a change to the public API and must be deliberate (and carry a changeset).
 */
describe('@fullon/core entry points', () => {
  it('main entry: the user API only — no server, port or authoring helper', () => {
    expect(Object.keys(main).sort()).toEqual([
      'CONFIG_VARIABLES',
      'CacheConnection',
      'ConfigurationError',
      'ConnectionError',
      'DecodeError',
      'FullonCacheError',
      'LockError',
      'PubSubError',
      'TimeoutError',
      'ValidationError',
      'connect',
      'createMsgpackCodec',
      'hasConfiguredRedis',
      'jsonCodec',
      'loadConfig',
      'msgpackCodec',
    ]);
    for (const helper of ['startRedisServer', 'findFreePort', 'probeRedis', 'ensureRedis']) {
      expect(main).not.toHaveProperty(helper);
    }
  });

  it('author entry: the tools for writing a cache package', () => {
    expect(Object.keys(author).sort()).toEqual([
      'BUFFERS',
      'COMPLETE_MARKER',
      'CORRUPT_REPLY_TAG',
      'Count',
      'DEFAULT_CHUNK_SIZE',
      'DEFAULT_TAKE_LEASE_MS',
      'DecodedSubscription',
      'EpochMs',
      'FiniteNumber',
      'Id',
      'KeyBuilder',
      'KeyMemo',
      'LUA_CHECK_TYPES',
      'LUA_HSET_PAIRS',
      'LUA_KEEP_INDEX',
      'LUA_NOW_MS',
      'LUA_SCRIPT_REPLY',
      'LUA_WRONG_TYPE',
      'MAX_COUNT',
      'MAX_EPOCH_MS',
      'MAX_IN_FLIGHT',
      'MAX_NAME_LENGTH',
      'MAX_TTL_MS',
      'MIN_EPOCH_MS',
      'MSGPACK_NUMBER_MAX_BYTES',
      'Name',
      'NameRegistry',
      'NonNegative',
      'PositiveMs',
      'ScriptReply',
      'SingleFlight',
      'TtlMs',
      'WILDCARD',
      'WaitMs',
      'asBuffer',
      'asPromise',
      'byName',
      'cacheOptions',
      'checkName',
      'closeCache',
      'countOption',
      'decodeListed',
      'decodeStoredTime',
      'defineLayout',
      'defineScript',
      'deleteKeys',
      'escapeKeyPart',
      'flatPairs',
      'flatTupleEncoder',
      'groupPositions',
      'hashEntries',
      'idKey',
      'inChunks',
      'inChunksSequentially',
      'inFlightKey',
      'isEpochMs',
      'isNameText',
      'isPlainObject',
      'isWellFormed',
      'msgpackStringMaxBytes',
      'onAbort',
      'openCache',
      'option',
      'optionalAge',
      'optionsObject',
      'ownRecord',
      'plainOptions',
      'plainRecord',
      'readCompleteHash',
      'readCompleteHashField',
      'rejectCorrupt',
      'rejectRenamedOptions',
      'replaceCompleteHash',
      'requireConnection',
      'runOperation',
      'setOwn',
      'signalOption',
      'takeQueued',
      'ttlOption',
      'unescapeKeyPart',
      'upsertCompleteHashField',
      'validate',
      'validateAt',
      'validateList',
      'validateStored',
      'waitOption',
      'writeMsgpackNumber',
      'writeMsgpackString',
    ]);
  });

  it('server entry: throwaway Redis servers for examples and scripts', () => {
    expect(Object.keys(server).sort()).toEqual([
      'REDIS_INSTALL_HINT',
      'ensureRedis',
      'findFreePort',
      'findRedisServer',
      'probeRedis',
      'startRedisCluster',
      'startRedisServer',
    ]);
  });
});
