import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConnectionError, FullonCacheError } from '../errors.js';
import { redisTarget, useTestConnection } from '../testing/index.js';
import { defineScript } from './script.js';

/** A script the server has never seen: a random comment changes its SHA. */
function freshPairScript() {
  return defineScript(
    'test.pair',
    `-- KEYS[1] first key, KEYS[2] second key; ARGV[1], ARGV[2] their values. ${randomBytes(8).toString('hex')}
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
return { redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2]), redis.call('EXISTS', KEYS[1], KEYS[2]) }`,
  );
}

describe('runScript', () => {
  const conn = useTestConnection();

  it('runs a script over two keys of one hash tag', async () => {
    const c = conn();
    const script = freshPairScript();
    const a = c.keys.tagged('pair', 'binance', 'a');
    const b = c.keys.tagged('pair-index', 'binance');
    expect(await c.runScript(script, [a, b], ['1', 'two'])).toStrictEqual(['1', 'two', 2]);
    expect(await c.send(a, ['GET', a])).toBe('1');
    expect(await c.send(b, ['GET', b])).toBe('two');
  });

  it('works for keys of many different tags (on a cluster: on every master)', async () => {
    const c = conn();
    const script = freshPairScript();
    for (let i = 0; i < 30; i++) {
      const tag = `exchange-${i}`;
      const a = c.keys.tagged('pair', tag, 'a');
      const b = c.keys.tagged('pair', tag, 'b');
      expect(await c.runScript(script, [a, b], [`a${i}`, `b${i}`])).toStrictEqual([
        `a${i}`,
        `b${i}`,
        2,
      ]);
    }
  });

  it('falls back to EVAL after SCRIPT FLUSH (NOSCRIPT), on the node that owns the keys', async () => {
    const c = conn();
    const script = freshPairScript();
    const a = c.keys.tagged('pair', 'flush', 'a');
    const b = c.keys.tagged('pair', 'flush', 'b');
    const exists = async () => (await c.send<number[]>(a, ['SCRIPT', 'EXISTS', script.sha]))[0];

    // Never loaded: the first call is answered NOSCRIPT and loads it.
    expect(await exists()).toBe(0);
    expect(await c.runScript(script, [a, b], ['x', 'y'])).toStrictEqual(['x', 'y', 2]);
    expect(await exists()).toBe(1);

    // Routed by key, so on a cluster this flushes the very master the script runs on.
    expect(await c.send(a, ['SCRIPT', 'FLUSH'])).toBe('OK');
    expect(await exists()).toBe(0);
    expect(await c.runScript(script, [a, b], ['p', 'q'])).toStrictEqual(['p', 'q', 2]);
    expect(await exists()).toBe(1);
    expect(await c.runScript(script, [a, b], ['r', 's'])).toStrictEqual(['r', 's', 2]);
  });

  it('maps the reply in the same step, also after a NOSCRIPT reload; a throw in map rejects unchanged', async () => {
    const c = conn();
    const script = freshPairScript();
    const a = c.keys.tagged('pair', 'mapped', 'a');
    const b = c.keys.tagged('pair', 'mapped', 'b');
    const joined = (reply: [string, string, number]) => `${reply[0]}+${reply[1]}=${reply[2]}`;
    // Never loaded: the EVAL that loads it is mapped too.
    expect(await c.runScript(script, [a, b], ['x', 'y'], undefined, joined)).toBe('x+y=2');
    expect(await c.runScript(script, [a, b], ['p', 'q'], undefined, joined)).toBe('p+q=2');
    // A map may answer with a promise, which is followed.
    const later = (reply: [string, string, number]) => Promise.resolve(reply[2] * 10);
    expect(await c.runScript(script, [a, b], ['m', 'n'], undefined, later)).toBe(20);
    const own = new Error('refused by map');
    const refusing = () => {
      throw own;
    };
    await expect(c.runScript(script, [a, b], ['r', 's'], undefined, refusing)).rejects.toBe(own);
    // The script ran before map refused its reply.
    expect(await c.send(a, ['GET', a])).toBe('r');
  });

  it('returns bulk strings as Buffers when asked to', async () => {
    const c = conn();
    const key = c.keys.tagged('bytes', 't', 'k');
    const bytes = Buffer.from([0, 0xff, 0x10, 0x80]);
    const script = defineScript(
      'test.echo',
      "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
    );
    const reply = await c.runScript<Buffer>(script, [key], [bytes], { buffers: true });
    expect(Buffer.isBuffer(reply)).toBe(true);
    expect(reply.equals(bytes)).toBe(true);
  });

  it('turns a Lua runtime error into a FullonCacheError with code COMMAND naming the script', async () => {
    const c = conn();
    const key = c.keys.tagged('err', 't', 'k');
    const script = defineScript(
      'test.bad-incr',
      "redis.call('SET', KEYS[1], 'text') return redis.call('INCR', KEYS[1])",
    );
    let caught: unknown;
    try {
      await c.runScript(script, [key], []);
    } catch (error) {
      caught = error;
    }
    expect(FullonCacheError.is(caught)).toBe(true);
    expect((caught as FullonCacheError).code).toBe('COMMAND');
    expect((caught as FullonCacheError).message).toContain('test.bad-incr');
    expect(ConnectionError.is(caught)).toBe(false);
  });

  it('on a cluster, refuses keys of two different tags (CROSSSLOT) instead of running half a script', async () => {
    const c = conn();
    const script = freshPairScript();
    // Pick two tags that land in different slots.
    const a = c.keys.tagged('pair', 'tag-a', 'k');
    let b = c.keys.tagged('pair', 'tag-b', 'k');
    if (redisTarget().mode === 'cluster') {
      const slot = (k: string) => c.send<number>(undefined, ['CLUSTER', 'KEYSLOT', k]);
      for (let i = 0; (await slot(a)) === (await slot(b)); i++)
        b = c.keys.tagged('pair', `tag-b${i}`, 'k');
      let caught: unknown;
      try {
        await c.runScript(script, [a, b], ['1', '2']);
      } catch (error) {
        caught = error;
      }
      expect((caught as FullonCacheError).code).toBe('COMMAND');
      expect(await c.send(a, ['EXISTS', a])).toBe(0);
    } else {
      expect(await c.runScript(script, [a, b], ['1', '2'])).toStrictEqual(['1', '2', 2]);
    }
  });
});
