import type { CacheConnectionLike, RedisArg } from '@fullon/core';
import { defineScript, LUA_CHECK_TYPES, rejectCorrupt } from '@fullon/core/author';

/**
 * Drops component entries whose record is gone, in one step: an entry is removed only when it
 * still names the given process and that process has no record.
 *
 * KEYS[1] components, then one record key per pair. ARGV pairs (component, processId).
 * Returns how many entries were removed, or core's corrupt reply when the components key holds
 * another Redis type (nothing written).
 * @internal
 */
const PRUNE_COMPONENTS = defineScript(
  'process.prune-components',
  `-- KEYS[1] components, records... | ARGV (component, processId)...
${LUA_CHECK_TYPES}
local bad = check_types({KEYS[1], 'hash'})
if bad then return bad end
local gone = {}
for i = 1, #ARGV, 2 do
  local component, id = ARGV[i], ARGV[i + 1]
  if redis.call('EXISTS', KEYS[(i + 1) / 2 + 1]) == 0 and redis.call('HGET', KEYS[1], component) == id then
    gone[#gone + 1] = component
  end
end
if #gone > 0 then redis.call('HDEL', KEYS[1], unpack(gone)) end
return #gone
`,
);

/** Keys of {@link pruneComponentsScript}. */
export interface PruneComponentsKeys {
  /** Component → processId. */
  components: string;
  /** The record key of each pair's process, aligned with `pairs`. */
  records: readonly string[];
}

/** Arguments of {@link pruneComponentsScript}. */
export interface PruneComponentsArgs {
  /** (component, processId) entries read from the components hash. */
  pairs: readonly (readonly [component: string, processId: string])[];
}

/**
 * Runs the component prune on some (component, processId) pairs.
 * @param conn - Connection.
 * @param keys - The components hash and the pairs' record keys.
 * @param args - The pairs.
 * @returns How many entries were removed.
 * @throws {DecodeError} naming the components key when it holds another Redis type (nothing
 *   written).
 * @internal
 */
export function pruneComponentsScript(
  conn: CacheConnectionLike,
  keys: PruneComponentsKeys,
  args: PruneComponentsArgs,
): Promise<number> {
  const argv: RedisArg[] = [];
  for (const [component, id] of args.pairs) argv.push(component, id);
  return conn.runScript<number, number>(
    PRUNE_COMPONENTS,
    [keys.components, ...keys.records],
    argv,
    undefined,
    rejectCorrupt,
  );
}
