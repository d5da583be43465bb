import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeClient, nodeClients, testConnection, uniquePrefix } from '../testing/index.js';
import type { CacheConnection } from './connection.js';

/** Every key matching `pattern` on one node, by a full SCAN. */
async function scanNode(client: NodeClient, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.sendCommand<[string, string[]]>([
      'SCAN',
      cursor,
      'MATCH',
      pattern,
      'COUNT',
      '1000',
    ]);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

describe('clear', () => {
  let conn: CacheConnection;
  let sibling: CacheConnection;
  let stranger: CacheConnection;
  let nodes: NodeClient[];
  beforeAll(async () => {
    const prefix = uniquePrefix('clear');
    conn = await testConnection({ prefix });
    // `fullon` must not clear `fullon2:…`: same text, one character longer.
    sibling = await testConnection({ prefix: `${prefix}2` });
    stranger = await testConnection({ prefix: uniquePrefix('other') });
    nodes = await nodeClients();
  });
  afterAll(async () => {
    await sibling.clear();
    await stranger.clear();
    for (const c of [conn, sibling, stranger]) await c.close();
    await Promise.all(nodes.map((n) => n.disconnect()));
  });

  it('deletes every key under the prefix, on every master, and nothing else', async () => {
    const prefix = conn.config.prefix;
    const mine: string[] = [];
    for (let i = 0; i < 60; i++) mine.push(conn.keys.tagged('item', `exchange-${i}`, 'BTC/USDT'));
    for (let i = 0; i < 2500; i++) mine.push(conn.keys.key('bulk', String(i)));
    mine.push(conn.keys.key('hostile', '{x}', '*', '?', '[a]', ' ', '\n'));
    await Promise.all(mine.map((k, i) => conn.send(k, ['SET', k, String(i)])));
    const hash = conn.keys.tagged('hash', 'h');
    const list = conn.keys.tagged('list', 'l');
    const zset = conn.keys.tagged('zset', 'z');
    await conn.send(hash, ['HSET', hash, 'f', 'v']);
    await conn.send(list, ['RPUSH', list, 'a', 'b']);
    await conn.send(zset, ['ZADD', zset, '1', 'm']);
    mine.push(hash, list, zset);

    const suffix = randomBytes(4).toString('hex');
    const others = [
      sibling.keys.key('item', 'a'),
      sibling.keys.tagged('item', 'exchange-1', 'BTC/USDT'),
      stranger.keys.key('item', 'a'),
      stranger.keys.tagged('item', 'exchange-2'),
      prefix,
      `${prefix}x`,
      `${prefix};tail`,
      `x${prefix}:a`,
      `{${prefix}}:a`,
      `plain-${suffix}`,
      `${prefix.toUpperCase()}:a`,
    ];
    await Promise.all(others.map((k) => conn.send(k, ['SET', k, 'keep'])));

    // The keys really are spread: on a cluster, every master holds some of them.
    const perNode = await Promise.all(nodes.map((n) => scanNode(n, `${prefix}:*`)));
    for (const found of perNode) expect(found.length).toBeGreaterThan(0);
    expect(perNode.reduce((sum, found) => sum + found.length, 0)).toBe(mine.length);

    expect(await conn.clear()).toBe(mine.length);

    for (const n of nodes) expect(await scanNode(n, `${prefix}:*`)).toStrictEqual([]);
    for (const k of others) expect(await conn.send(k, ['GET', k]), k).toBe('keep');
    await Promise.all(others.map((k) => conn.send(k, ['DEL', k])));
  });

  it('returns 0 when there is nothing to delete', async () => {
    expect(await conn.clear()).toBe(0);
  });

  it("leaves another prefix's keys for its own clear()", async () => {
    const key = sibling.keys.key('kept', 'x');
    await sibling.send(key, ['SET', key, '1']);
    await conn.clear();
    expect(await sibling.send(key, ['EXISTS', key])).toBe(1);
    expect(await sibling.clear()).toBe(1);
    expect(await sibling.send(key, ['EXISTS', key])).toBe(0);
  });
});
