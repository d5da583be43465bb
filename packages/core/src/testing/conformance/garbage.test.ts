import { describe, expect, it } from 'vitest';
import { useTestConnection } from '../index.js';
import { garbageKinds, spoil } from './garbage.js';
import { familyOf, keyspaceDiff, snapshotKeyspace } from './snapshot.js';

describe('spoiling a key family', () => {
  const conn = useTestConnection();

  async function seed() {
    const c = conn();
    await c.clear();
    const hash = c.keys.tagged('fam', 'x', 'h');
    const other = c.keys.tagged('fam', 'x', 'h2');
    const zset = c.keys.tagged('idx', 'x');
    await c.send(hash, ['HSET', hash, 'a', 'one', 'b', 'two']);
    await c.send(other, ['HSET', other, 'a', 'three']);
    await c.send(zset, ['ZADD', zset, '1700000000000', 'm']);
    return { hash, other, zset };
  }

  it('changes the family under every kind, and the snapshot sees it', async () => {
    const c = conn();
    for (const kind of garbageKinds('hash')) {
      const { hash, other } = await seed();
      const before = await snapshotKeyspace(c);
      const keys = [
        { key: hash, type: 'hash' },
        { key: other, type: 'hash' },
      ];
      expect(await spoil(c, keys, kind), kind).toBe(true);
      expect(keyspaceDiff(before, await snapshotKeyspace(c)), kind).toMatch(/changed|deleted/);
    }
  });

  it('gives a sorted set scores that are not times', async () => {
    const c = conn();
    const { zset } = await seed();
    await spoil(c, [{ key: zset, type: 'zset' }], 'score-inf');
    expect(await c.send(zset, ['ZSCORE', zset, 'm'])).toBe('inf');
    expect(familyOf(c, zset)).toBe('idx');
  });

  it('finds an unchanged keyspace equal', async () => {
    const c = conn();
    await seed();
    expect(keyspaceDiff(await snapshotKeyspace(c), await snapshotKeyspace(c))).toBeNull();
  });
});
