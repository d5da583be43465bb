import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection, trackingClients } from '../testing/index.js';
import type { CacheConnection } from './connection.js';

/** Collects what a tracker reports. */
function recorder() {
  const keys: (readonly string[] | null)[] = [];
  let lives = 0;
  let resets = 0;
  return {
    handlers: {
      onInvalidate: (k: readonly string[] | null) => keys.push(k),
      onLive: () => lives++,
      onReset: () => resets++,
    },
    keys,
    lives: () => lives,
    resets: () => resets,
  };
}

describe('trackInvalidations', () => {
  let conn: CacheConnection;
  beforeAll(async () => {
    conn = await testConnection();
  });
  afterAll(async () => {
    await conn.clear();
    await conn.close();
  });

  it('reports a write to a key under the prefix, and none outside it', async () => {
    const seen = recorder();
    const tracking = conn.trackInvalidations(`${conn.keys.key('inv')}:`, seen.handlers);
    await expect.poll(() => tracking.live).toBe(true);
    expect(seen.lives()).toBe(1);
    const outside = conn.keys.key('other', 'a');
    const inside = conn.keys.key('inv', 'a');
    await conn.send(outside, ['SET', outside, '1']);
    await conn.send(inside, ['SET', inside, '1']);
    await expect.poll(() => seen.keys.flat()).toContain(inside);
    expect(seen.keys.flat()).not.toContain(outside);
    await tracking.close();
    expect(tracking.live).toBe(false);
  });

  it('leaves no tracking connection behind when closed, or when the connection closes', async () => {
    const before = await trackingClients();
    const t1 = conn.trackInvalidations(`${conn.keys.key('inv2')}:`, recorder().handlers);
    await expect.poll(() => t1.live).toBe(true);
    expect(await trackingClients()).toBeGreaterThan(before);
    await t1.close();
    await expect.poll(() => trackingClients()).toBe(before);

    const other = await testConnection();
    const t2 = other.trackInvalidations(`${other.keys.key('inv3')}:`, recorder().handlers);
    await expect.poll(() => t2.live).toBe(true);
    await other.close();
    expect(t2.live).toBe(false);
    await expect.poll(() => trackingClients()).toBe(before);
    expect(() => other.trackInvalidations('x:', recorder().handlers)).toThrow(/closed/);
  });
});
