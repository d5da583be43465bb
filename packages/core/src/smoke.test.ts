import { describe, expect, it } from 'vitest';
import { useTestConnection } from './testing/index.js';

describe('harness', () => {
  const conn = useTestConnection();
  it('pings', async () => {
    expect(await conn().ping()).toBeGreaterThan(0);
    const h = await conn().health();
    expect(h.nodes).toBe(h.mode === 'cluster' ? 3 : 1);
  });
});
