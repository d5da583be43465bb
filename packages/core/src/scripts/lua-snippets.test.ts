import { describe, expect, it } from 'vitest';
import { replaceCompleteHash } from '../patterns/complete-hash.js';
import { useTestConnection } from '../testing/index.js';
import { LUA_KEEP_INDEX, LUA_NOW_MS } from './lua-snippets.js';
import { defineScript } from './script.js';
import { LUA_SCRIPT_REPLY, ScriptReply } from './script-reply.js';

const NOW = defineScript(
  'test.now',
  `-- no keys | no args
${LUA_NOW_MS}
local t = redis.call('TIME')
return {now_ms(), tostring(now_us()), tonumber(t[1])}`,
);

const KEEP = defineScript(
  'test.keep-index',
  `-- KEYS[1] index | ARGV[1] ttl ms
${LUA_KEEP_INDEX}
redis.call('ZADD', KEYS[1], 1, 'member')
keep_index(KEYS[1], ARGV[1])
return redis.call('PTTL', KEYS[1])`,
);

const REPLIES = defineScript(
  'test.replies',
  `-- no keys | no args
${LUA_SCRIPT_REPLY}
return {ScriptReply.ok, ScriptReply.none, ScriptReply.added, ScriptReply.stale, ScriptReply.conflict, ScriptReply.wrongType, ScriptReply.corrupt}`,
);

describe('Lua snippets', () => {
  const conn = useTestConnection();

  it('now_ms and now_us read the server clock', async () => {
    const [ms, us, seconds] = await conn().runScript<[number, string, number]>(NOW, [], []);
    expect(Math.floor(ms / 1000)).toBeGreaterThanOrEqual(seconds - 1);
    expect(Math.floor(ms / 1000)).toBeLessThanOrEqual(seconds);
    expect(Math.abs(Number(us) / 1000 - ms)).toBeLessThan(1000);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });

  it('keep_index gives a fresh index its TTL, lengthens it and never shortens it', async () => {
    const c = conn();
    const index = c.keys.key('keep-index');
    const first = await c.runScript<number>(KEEP, [index], ['60000']);
    expect(first).toBeGreaterThan(50_000);
    expect(await c.runScript<number>(KEEP, [index], ['600000'])).toBeGreaterThan(500_000);
    expect(await c.runScript<number>(KEEP, [index], ['1000'])).toBeGreaterThan(500_000);
  });

  it('the ScriptReply table in Lua answers the TypeScript codes', async () => {
    const codes = await conn().runScript<number[]>(REPLIES, [], []);
    expect(codes).toEqual([
      ScriptReply.ok,
      ScriptReply.none,
      ScriptReply.added,
      ScriptReply.stale,
      ScriptReply.conflict,
      ScriptReply.wrongType,
      ScriptReply.corrupt,
    ]);
  });

  it('REPLACE_HASH (on hset_pairs) writes hashes larger than one HSET batch whole', async () => {
    const c = conn();
    const key = c.keys.key('replace-big');
    const entries = Array.from({ length: 1234 }, (_, i) => [`f${i}`, `v${i}`] as const);
    await replaceCompleteHash(c, key, entries, 60_000);
    const stored = await c.send<string[]>(key, ['HGETALL', key]);
    expect(stored.length).toBe(2 * (entries.length + 1));
    expect(await c.send(key, ['HGET', key, 'f1233'])).toBe('v1233');
  });
});
