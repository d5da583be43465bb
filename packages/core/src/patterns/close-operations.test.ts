import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CacheConnection } from '../connection/connection.js';
import { defineScript } from '../scripts/script.js';
import { rejection, testConnection } from '../testing/index.js';
import { runOperation } from './operation.js';

/** A script whose SHA no server has seen yet: its first call answers NOSCRIPT (a fresh server). */
function freshIncrScript() {
  return defineScript('test.incr', `-- ${randomUUID()}\nreturn redis.call('INCR', KEYS[1])`);
}

const CALLS = 1000;

function notSent(error: unknown): boolean {
  return (error as { outcome?: unknown }).outcome === 'not-sent';
}

async function counter(prefix: string, key: string): Promise<string | null> {
  await using check = await testConnection({ prefix });
  return check.send<string | null>(key, ['GET', key]);
}

/** Starts `CALLS` calls, closes without awaiting them, and settles everything. */
async function closeUnderLoad(conn: CacheConnection, start: () => Promise<unknown>) {
  const calls = Array.from({ length: CALLS }, start);
  const closing = conn.close();
  const late = rejection(start());
  const results = await Promise.allSettled(calls);
  await closing;
  return { rejected: results.filter((r) => r.status === 'rejected'), late: await late };
}

describe('close() drains operations, not single commands (issue R3 defect 11)', () => {
  for (const warm of [false, true]) {
    const server = warm ? 'a warm server' : 'a fresh server (NOSCRIPT reload)';

    it(`every runScript started before close() resolves and is applied, on ${server}`, async () => {
      const conn = await testConnection();
      const prefix = conn.keys.prefix;
      const script = freshIncrScript();
      const key = conn.keys.tagged('drain', 't', 'script');
      if (warm) await conn.runScript(script, [key], []);
      const { rejected, late } = await closeUnderLoad(conn, () =>
        conn.runScript(script, [key], []),
      );
      expect(rejected).toStrictEqual([]);
      expect(notSent(late)).toBe(true);
      expect(await counter(prefix, key)).toBe(String(CALLS + (warm ? 1 : 0)));
      await using cleanup = await testConnection({ prefix });
      await cleanup.clear();
    });

    it(`a multi-command operation started before close() runs whole, on ${server}`, async () => {
      const conn = await testConnection();
      const prefix = conn.keys.prefix;
      const script = freshIncrScript();
      // Two slots apart, as a record and its name registry are.
      const first = conn.keys.tagged('drain', 'a', 'first');
      const second = conn.keys.tagged('drain', 'b', 'second');
      const third = conn.keys.tagged('drain', 'c', 'third');
      if (warm) await conn.runScript(script, [first], []);
      const { rejected, late } = await closeUnderLoad(conn, () =>
        runOperation(conn, async (op) => {
          await op.runScript(script, [first], []);
          await op.send(second, ['INCR', second]);
          await op.runScript(script, [third], []);
        }),
      );
      expect(rejected).toStrictEqual([]);
      expect(notSent(late)).toBe(true);
      expect(await counter(prefix, first)).toBe(String(CALLS + (warm ? 1 : 0)));
      expect(await counter(prefix, second)).toBe(String(CALLS));
      expect(await counter(prefix, third)).toBe(String(CALLS));
      await using cleanup = await testConnection({ prefix });
      await cleanup.clear();
    });
  }

  it('an operation started after close() rejects not-sent and sends nothing', async () => {
    const conn = await testConnection();
    const prefix = conn.keys.prefix;
    const key = conn.keys.key('after');
    const closing = conn.close();
    let ran = false;
    const error = await rejection(
      runOperation(conn, async (op) => {
        ran = true;
        await op.send(key, ['INCR', key]);
      }),
    );
    await closing;
    expect(notSent(error)).toBe(true);
    expect(ran).toBe(false);
    expect(await counter(prefix, key)).toBeNull();
  });
});
