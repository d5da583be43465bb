import { describe, expect, it } from 'vitest';
import { useTestConnection } from '../testing/index.js';

const SUBSCRIPTIONS = 12;

/** Collects the process warnings emitted while `body` runs (and the ticks right after it). */
async function warningsDuring(body: () => Promise<void>): Promise<Error[]> {
  const warnings: Error[] = [];
  const record = (warning: Error) => warnings.push(warning);
  process.on('warning', record);
  try {
    await body();
    // Node emits a warning on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', record);
  }
  return warnings;
}

describe('one AbortSignal shared by many subscriptions (issue R3 defect 17)', () => {
  const conn = useTestConnection();

  it(`${SUBSCRIPTIONS} subscriptions on one signal: no MaxListenersExceededWarning, abort ends all`, async () => {
    const controller = new AbortController();
    const channel = conn().keys.channel('shared-signal');
    const subs: Awaited<ReturnType<ReturnType<typeof conn>['subscribe']>>[] = [];
    const warnings = await warningsDuring(async () => {
      for (let i = 0; i < SUBSCRIPTIONS; i++) {
        subs.push(await conn().subscribe({ channels: [channel], signal: controller.signal }));
      }
    });
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toStrictEqual([]);
    expect(subs.every((s) => !s.closed)).toBe(true);
    controller.abort();
    expect(subs.every((s) => s.closed)).toBe(true);
    for (const sub of subs)
      expect(await sub.next()).toStrictEqual({ value: undefined, done: true });
  });

  it('a subscription closed early stops listening; the others still end on abort', async () => {
    const controller = new AbortController();
    const channel = conn().keys.channel('shared-signal-2');
    const first = await conn().subscribe({ channels: [channel], signal: controller.signal });
    const second = await conn().subscribe({ channels: [channel], signal: controller.signal });
    await first.close();
    controller.abort();
    expect(second.closed).toBe(true);
  });
});
