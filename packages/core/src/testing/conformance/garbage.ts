import { randomBytes } from 'node:crypto';
import { encode } from '@msgpack/msgpack';
import type { CacheConnection } from '../../connection/connection.js';
import type { RedisArg } from '../../connection/connection-like.js';
import { flatPairs } from '../../util/pairs.js';
import { BUFFERS } from '../../util/send-options.js';

/** A way to spoil a key family's stored data. */
export type GarbageKind =
  | 'wrong-type'
  | 'random-bytes'
  | 'wrong-shape'
  | 'foreign'
  | 'score-inf'
  | 'score-neg-inf'
  | 'score-negative'
  | 'score-huge';

/** The kinds that apply to a key of Redis type `type`. */
export function garbageKinds(type: string): GarbageKind[] {
  const common: GarbageKind[] = ['wrong-type', 'random-bytes', 'wrong-shape', 'foreign'];
  if (type !== 'zset') return common;
  return [...common, 'score-inf', 'score-neg-inf', 'score-negative', 'score-huge'];
}

const SHAPES: readonly Buffer[] = [
  Buffer.from(encode({ unexpected: true })),
  Buffer.from(encode([255, 'x', null])),
  Buffer.from(encode('text')),
  Buffer.from(encode(-1)),
];

function random(): Buffer {
  return randomBytes(12);
}

function wrongShape(n: number): Buffer {
  return SHAPES[n % SHAPES.length] ?? random();
}

const SCORES: Partial<Record<GarbageKind, string>> = {
  'score-inf': 'inf',
  'score-neg-inf': '-inf',
  'score-negative': '-1',
  'score-huge': '1e300',
};

type Cmd = (key: string, args: RedisArg[]) => Promise<unknown>;

/** Rewrites every value of `key` (a string, hash, list, set or zset) with `make(n)`. */
async function rewriteValues(
  send: Cmd,
  conn: CacheConnection,
  key: string,
  type: string,
  make: (n: number, old: Buffer) => Buffer,
): Promise<void> {
  switch (type) {
    case 'string': {
      const old = await conn.send<Buffer>(key, ['GET', key], BUFFERS);
      await send(key, ['SET', key, make(0, old), 'KEEPTTL']);
      return;
    }
    case 'hash': {
      const flat = await conn.send<Buffer[]>(key, ['HGETALL', key], BUFFERS);
      for (const [n, [field, value]] of flatPairs(flat).entries()) {
        await send(key, ['HSET', key, field, make(n, value)]);
      }
      return;
    }
    case 'list': {
      const items = await conn.send<Buffer[]>(key, ['LRANGE', key, '0', '-1'], BUFFERS);
      for (const [i, item] of items.entries())
        await send(key, ['LSET', key, String(i), make(i, item)]);
      return;
    }
    case 'set': {
      // Members are names: renaming one only hides its record. Add a garbage member instead.
      await send(key, ['SADD', key, make(0, Buffer.alloc(0))]);
      return;
    }
    case 'zset': {
      const [, score] = await conn.send<Buffer[]>(
        key,
        ['ZRANGE', key, '0', '0', 'WITHSCORES'],
        BUFFERS,
      );
      await send(key, [
        'ZADD',
        key,
        score?.toString() ?? '1700000000000',
        make(0, Buffer.alloc(0)),
      ]);
      return;
    }
  }
}

/**
 * Spoils every key of one family in place (TTLs kept where the command allows).
 * @param conn - The connection.
 * @param keys - The family's keys, with their Redis types.
 * @param kind - How to spoil them.
 * @param records - `attributes` when each hash is one record whose fields are its attributes
 *   (`foreign` then copies another key's whole hash), `map` (default) when each field holds a
 *   record of its own.
 * @returns Whether the kind applied (e.g. `foreign` needs two values to swap).
 */
export async function spoil(
  conn: CacheConnection,
  keys: readonly { key: string; type: string }[],
  kind: GarbageKind,
  records: 'map' | 'attributes' = 'map',
): Promise<boolean> {
  const send: Cmd = (key, args) => conn.send(key, args);
  if (kind === 'wrong-type') {
    for (const { key, type } of keys) {
      await send(key, ['DEL', key]);
      if (type === 'string') await send(key, ['HSET', key, 'garbage', 'x']);
      else await send(key, ['SET', key, 'garbage']);
    }
    return true;
  }
  if (kind === 'foreign') {
    return records === 'attributes' ? swapWholeHashes(conn, keys) : swapValues(conn, keys);
  }
  const score = SCORES[kind];
  for (const { key, type } of keys) {
    if (score !== undefined) {
      const members = await conn.send<Buffer[]>(key, ['ZRANGE', key, '0', '-1'], BUFFERS);
      for (const m of members) await send(key, ['ZADD', key, score, m]);
    } else {
      await rewriteValues(send, conn, key, type, kind === 'random-bytes' ? random : wrongShape);
    }
  }
  return true;
}

/** Replaces each hash with the next key's whole hash (its TTL kept): another record entire. */
async function swapWholeHashes(
  conn: CacheConnection,
  keys: readonly { key: string; type: string }[],
): Promise<boolean> {
  const hashes = keys.filter((k) => k.type === 'hash');
  const contents = await Promise.all(
    hashes.map(({ key }) => conn.send<Buffer[]>(key, ['HGETALL', key], BUFFERS)),
  );
  if (hashes.length < 2) return false;
  for (const [i, { key }] of hashes.entries()) {
    const other = contents[(i + 1) % hashes.length] ?? [];
    const ttl = await conn.send<number>(key, ['PTTL', key]);
    await conn.send(key, ['DEL', key]);
    await conn.send(key, ['HSET', key, ...other]);
    if (ttl > 0) await conn.send(key, ['PEXPIRE', key, String(ttl)]);
  }
  return true;
}

/**
 * Copies, for each field that two hashes of the family share, the other hash's value onto this
 * one's (another account's `BTC` balance under this account's `BTC`): the copy a record that
 * does not carry its owner's identity cannot tell from its own.
 * @returns Whether any field was replaced.
 */
async function sameFieldFromOtherKey(
  conn: CacheConnection,
  hashes: readonly { key: string }[],
): Promise<boolean> {
  const contents = await Promise.all(
    hashes.map(async ({ key }) => {
      const flat = await conn.send<Buffer[]>(key, ['HGETALL', key], BUFFERS);
      const fields = new Map<string, Buffer>();
      for (const [field, value] of flatPairs(flat)) fields.set(field.toString('latin1'), value);
      return { key, fields };
    }),
  );
  let changed = false;
  for (const [i, { key, fields }] of contents.entries()) {
    for (const [field, value] of fields) {
      const donor = contents.find(
        (other, j) => j !== i && other.fields.get(field)?.equals(value) === false,
      );
      const foreign = donor?.fields.get(field);
      if (foreign === undefined) continue;
      await conn.send(key, ['HSET', key, Buffer.from(field, 'latin1'), foreign]);
      changed = true;
    }
  }
  return changed;
}

/**
 * Puts another record's bytes in each place: hash fields the same field of another hash when two
 * share fields, else the next field's value (a field names its record); strings the next key's
 * value; and each list the next list's first item (a list's order names nothing, so items are
 * only taken from another list of the family).
 */
async function swapValues(
  conn: CacheConnection,
  keys: readonly { key: string; type: string }[],
): Promise<boolean> {
  const send: Cmd = (k, a) => conn.send(k, a);
  const values: Buffer[] = [];
  const lists: { key: string; first: Buffer }[] = [];
  for (const { key, type } of keys) {
    if (type === 'string') values.push(await conn.send<Buffer>(key, ['GET', key], BUFFERS));
    else if (type === 'hash')
      values.push(...(await conn.send<Buffer[]>(key, ['HVALS', key], BUFFERS)));
    else if (type === 'list') {
      const [first] = await conn.send<Buffer[]>(key, ['LRANGE', key, '0', '0'], BUFFERS);
      if (first !== undefined) lists.push({ key, first });
    }
  }
  let changed = await sameFieldFromOtherKey(
    conn,
    keys.filter((k) => k.type === 'hash'),
  );
  if (!changed && new Set(values.map((b) => b.toString('hex'))).size >= 2) {
    let n = 0;
    const next = (_i: number, old: Buffer) => {
      for (let step = 1; step <= values.length; step++) {
        const candidate = values[(n + step) % values.length] as Buffer;
        if (!candidate.equals(old)) {
          n++;
          return candidate;
        }
      }
      n++;
      return old;
    };
    for (const { key, type } of keys) {
      if (type === 'string' || type === 'hash') await rewriteValues(send, conn, key, type, next);
    }
    changed = true;
  }
  if (new Set(lists.map((l) => l.first.toString('hex'))).size >= 2) {
    for (const [i, { key }] of lists.entries()) {
      const other = (lists[(i + 1) % lists.length] as { first: Buffer }).first;
      await rewriteValues(send, conn, key, 'list', () => other);
    }
    changed = true;
  }
  return changed;
}
