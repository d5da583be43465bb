import type { CacheConnectionLike } from '@fullon/core';
import {
  defineScript,
  LUA_CHECK_TYPES,
  LUA_SCRIPT_REPLY,
  rejectCorrupt,
} from '@fullon/core/author';
import { INDEX_LUA, type WriteStatus } from './index-lua.js';

/**
 * Write-if-newer of one tick, its index entry, its TTL and its publication, in one step. Both
 * keys' types are checked first: a key of another Redis type is reported as stored garbage
 * (the corrupt reply of `LUA_CHECK_TYPES`) and nothing is written. The PUBLISH (which an ACL may refuse) comes before the first write, so a refused publication
 * leaves nothing written; subscribers still read the stored tick, as the script is atomic.
 *
 * KEYS[1] ticker hash `tick:{exchange}:symbol`; KEYS[2] index `tick-index:{exchange}`.
 * ARGV[1] tick time (ms); ARGV[2] layout bytes; ARGV[3] `1` to write even when older;
 * ARGV[4] TTL (ms); ARGV[5] channel; ARGV[6] symbol.
 * Returns a {@link WriteStatus}, or the corrupt reply. A tick with the same time as the stored one is written.
 * @internal Imported by `bench/` by relative path, to run the very same script raw.
 */
export const SET_TICKER = defineScript(
  'tick.set',
  `${INDEX_LUA}${LUA_CHECK_TYPES}${LUA_SCRIPT_REPLY}
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'zset'})
if bad then return bad end
if ARGV[3] ~= '1' then
  local stored = redis.call('HGET', KEYS[1], 't')
  local stored_time = stored and tonumber(stored)
  if stored_time and stored_time > tonumber(ARGV[1]) then return ScriptReply.stale end
end
redis.call('PUBLISH', ARGV[5], ARGV[2])
local added = index_touch(KEYS[2], ARGV[6], ARGV[4])
redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if added then return ScriptReply.added end
return ScriptReply.ok
`,
);

/** The keys of one ticker write. */
export interface TickerWriteKeys {
  /** The ticker hash. */
  readonly ticker: string;
  /** Its exchange's symbol index. */
  readonly index: string;
}

/** The arguments of one ticker write. */
export interface TickerWriteArgs {
  /** Tick time (ms). */
  readonly time: number;
  /** Layout bytes. */
  readonly bytes: Buffer;
  /** Symbol (its index member). */
  readonly symbol: string;
  /** The channel the write is published on. */
  readonly channel: string;
  /** Write even when the stored tick is newer. */
  readonly force: boolean;
  /** The ticker's TTL, as a string of ms. */
  readonly ttlMs: string;
}

/**
 * Runs {@link SET_TICKER}.
 * @internal
 * @param conn - Connection.
 * @param keys - The ticker hash and its index.
 * @param args - Time, bytes, symbol, channel, `force` and the TTL.
 * @returns What happened.
 * @throws {DecodeError} naming a key of another Redis type; nothing is written.
 */
export function setTickerScript(
  conn: CacheConnectionLike,
  keys: TickerWriteKeys,
  args: TickerWriteArgs,
): Promise<WriteStatus> {
  return conn.runScript<WriteStatus, WriteStatus>(
    SET_TICKER,
    [keys.ticker, keys.index],
    [String(args.time), args.bytes, args.force ? '1' : '0', args.ttlMs, args.channel, args.symbol],
    undefined,
    rejectCorrupt,
  );
}
