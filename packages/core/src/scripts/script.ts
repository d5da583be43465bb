import { createHash } from 'node:crypto';

/** A Lua script, loaded once per server and then called by SHA. */
export interface LuaScript {
  /** Name used in error messages. */
  readonly name: string;
  /** Lua source. */
  readonly source: string;
  /** SHA1 of the source, as EVALSHA expects. */
  readonly sha: string;
}

/**
 * Declares a Lua script. Every key it touches must be passed in KEYS, and keys of one call must
 * share a hash tag, so the script runs unchanged on a cluster.
 * @param name - Short name for messages, e.g. `tick.set`.
 * @param source - Lua source; head it with a comment listing KEYS and ARGV.
 * @returns The script, ready for `conn.runScript`.
 */
export function defineScript(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}
