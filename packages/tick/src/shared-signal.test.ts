import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { TickCache } from './tick-cache.js';
import type { TickSubscription } from './types.js';

const SUBSCRIPTIONS = 12;

describe('TickCache.subscribe with one AbortSignal shared (issue R3 defect 17)', () => {
  const conn = useTestConnection();

  it(`${SUBSCRIPTIONS} subscriptions on one signal: no warning, and abort ends every one`, async () => {
    const ticks = new TickCache(conn());
    const controller = new AbortController();
    const warnings: Error[] = [];
    const record = (warning: Error) => warnings.push(warning);
    process.on('warning', record);
    const subs: TickSubscription[] = [];
    try {
      for (let i = 0; i < SUBSCRIPTIONS; i++) {
        const sub = ticks.subscribe({ exchange: `shared${i}`, signal: controller.signal });
        await sub.ready;
        subs.push(sub);
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', record);
    }
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toStrictEqual([]);
    controller.abort();
    const ends = await Promise.all(subs.map((sub) => sub[Symbol.asyncIterator]().next()));
    expect(ends.every((end) => end.done === true)).toBe(true);
  });
});
