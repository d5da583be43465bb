import { describe, expect, it } from 'vitest';
import { FullonCacheError } from '../errors.js';
import { sleep } from '../util/sleep.js';
import { eventually, until } from './wait.js';

describe('until', () => {
  it('returns once the condition holds', async () => {
    let calls = 0;
    await until(() => ++calls >= 3, { timeoutMs: 1_000, intervalMs: 1 });
    expect(calls).toBe(3);
  });

  it('fails with a FullonCacheError when the condition never holds', async () => {
    await expect(until(async () => false, 30)).rejects.toThrow(FullonCacheError);
  });
});

describe('eventually', () => {
  it("returns the check's result on its first passing run", async () => {
    let calls = 0;
    const result = await eventually(
      () => {
        calls++;
        expect(calls).toBeGreaterThan(2);
        return 'done';
      },
      { intervalMs: 1 },
    );
    expect(result).toBe('done');
  });

  it('throws the last failure itself once the time is up', async () => {
    const failure = new Error('still not there');
    await expect(
      eventually(() => {
        throw failure;
      }, 30),
    ).rejects.toBe(failure);
  });
});

describe('sleep', () => {
  it('resolves after the pause', async () => {
    const started = Date.now();
    await expect(sleep(20)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
