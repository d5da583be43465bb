import type { CacheConnectionLike } from '@fullon/core';
import { COMPLETE_MARKER, defineScript } from '@fullon/core/author';

/**
 * Stores a user's complete exchange list: the index is replaced by the ids plus the completeness
 * marker (so an empty list is remembered too) and every record is written. Nothing the server
 * may refuse comes after the first write (DEL and SET accept any type).
 *
 * KEYS[1] the user's index set; KEYS[2..n+1] the n exchange records.
 * ARGV[1] TTL (ms); ARGV[2] marker; ARGV[3..n+2] exchange ids; ARGV[n+3..2n+2] record bytes.
 * Returns n.
 */
const STORE_USER_EXCHANGES = defineScript(
  'exchange.store-user',
  `-- KEYS[1] index, KEYS[2..] records | ARGV[1] ttl ms, ARGV[2] marker, ARGV[3..] ids, then bytes
local n = #KEYS - 1
redis.call('DEL', KEYS[1])
redis.call('SADD', KEYS[1], ARGV[2])
for i = 1, n do
  redis.call('SADD', KEYS[1], ARGV[2 + i])
  redis.call('SET', KEYS[1 + i], ARGV[2 + n + i], 'PX', ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return n
`,
);

/**
 * Runs {@link STORE_USER_EXCHANGES}.
 * @internal
 * @param conn - Connection.
 * @param keys - The user's index, and each record's key in the order of `args.records`.
 * @param args - TTL and the records (id and bytes).
 * @returns How many records were stored.
 */
export function storeUserExchangesScript(
  conn: CacheConnectionLike,
  keys: { index: string; records: readonly string[] },
  args: { ttlMs: number; records: readonly { exId: string; bytes: Buffer }[] },
): Promise<number> {
  const argv: (string | Buffer)[] = [String(args.ttlMs), COMPLETE_MARKER];
  for (const r of args.records) argv.push(r.exId);
  for (const r of args.records) argv.push(r.bytes);
  return conn.runScript<number>(STORE_USER_EXCHANGES, [keys.index, ...keys.records], argv);
}
