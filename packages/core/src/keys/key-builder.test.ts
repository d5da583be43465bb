import { describe, expect, it } from 'vitest';
import { ConfigurationError, FullonCacheError } from '../errors.js';
import { redisTarget, useTestConnection } from '../testing/index.js';
import { escapeKeyPart, KeyBuilder, unescapeKeyPart, WILDCARD } from './key-builder.js';
import { keySlot } from './slot.js';

const HOSTILE = [
  '',
  '{',
  '}',
  '{}',
  '{binance}',
  '}{',
  ':',
  '::',
  'a:b',
  '*',
  '?',
  '[',
  ']',
  '[a-z]',
  '\\',
  ' ',
  'two words',
  '\n',
  '\r\n',
  '\t',
  '%',
  '%25',
  '%7B',
  '%%',
  'BTC/USDT',
  'BTC%2FUSDT',
  'ETH-PERP',
  'ünïcödé',
  '比特币',
  '🚀',
  'e\u0301',
  '\u00e9',
  '\u0000',
  'fullon:tick:{x}',
];

const ALPHABET = [
  ...'{}:*?[]\\ \n%',
  'a',
  'B',
  '0',
  '/',
  '-',
  '.',
  'é',
  '比',
  '🚀',
  '\u0000',
  '"',
  "'",
];

/** Small deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random names drawn from the hostile alphabet, 0–6 characters long, plus the fixed list. */
function names(count: number, seed: number): string[] {
  const random = prng(seed);
  const out = new Set(HOSTILE);
  while (out.size < count) {
    const length = Math.floor(random() * 7);
    let name = '';
    for (let i = 0; i < length; i++) name += ALPHABET[Math.floor(random() * ALPHABET.length)];
    out.add(name);
  }
  return [...out];
}

/** The hash tag Redis Cluster uses for `key` (the whole key when it has none). */
function hashTag(key: string): string {
  const start = key.indexOf('{');
  if (start === -1) return key;
  const end = key.indexOf('}', start + 1);
  if (end === -1 || end === start + 1) return key;
  return key.slice(start + 1, end);
}

describe('escapeKeyPart', () => {
  it('is reversed by unescapeKeyPart, for every name', () => {
    for (const name of names(3000, 1)) expect(unescapeKeyPart(escapeKeyPart(name))).toBe(name);
  });

  it('never yields a separator, brace, glob character, whitespace or an empty part', () => {
    for (const name of names(3000, 2)) {
      const escaped = escapeKeyPart(name);
      expect(escaped).not.toMatch(/[:{}*?[\]\\\s]/u);
      expect(escaped.length).toBeGreaterThan(0);
    }
  });

  it('keeps ordinary market names readable', () => {
    expect(escapeKeyPart('BTC/USDT')).toBe('BTC/USDT');
    expect(escapeKeyPart('my dex')).toBe('my%20dex');
    expect(escapeKeyPart('%')).toBe('%25');
  });
});

describe('KeyBuilder', () => {
  const kb = new KeyBuilder('fullon');

  it('maps distinct hostile names to distinct keys under the prefix', () => {
    const all = names(3000, 3);
    const keys = all.map((n) => kb.key('fam', n));
    expect(new Set(keys).size).toBe(all.length);
    for (const [i, key] of keys.entries()) {
      expect(key.startsWith('fullon:fam:')).toBe(true);
      const parts = key.split(':');
      // The separator in a name was escaped: exactly prefix, family and one part.
      expect(parts).toHaveLength(3);
      expect(unescapeKeyPart(parts[2] ?? '')).toBe(all[i]);
      expect(key).not.toMatch(/[{}*?[\]\\\s]/u);
    }
  });

  it('maps distinct pairs of names to distinct keys (no ambiguity between parts)', () => {
    const all = names(120, 4);
    const seen = new Map<string, string>();
    for (const a of all) {
      for (const b of all) {
        const key = kb.key('pair', a, b);
        const pair = JSON.stringify([a, b]);
        expect(seen.get(key) ?? pair).toBe(pair);
        seen.set(key, pair);
      }
    }
    expect(seen.size).toBe(all.length * all.length);
  });

  it('never lets a plain key, a tagged key or a channel collide', () => {
    const all = names(300, 5);
    const plain = all.flatMap((a) => [kb.key('f', a), kb.key('f', a, 'x')]);
    const tagged = all.flatMap((a) => [kb.tagged('f', a), kb.tagged('f', a, 'x')]);
    const channels = all.map((a) => kb.channel('f', a));
    const everything = [...plain, ...tagged, ...channels];
    expect(new Set(everything).size).toBe(everything.length);
  });

  it("gives a tagged key exactly the escaped tag as its hash tag, even for '{', '}' and empty names", () => {
    for (const tag of names(2000, 6)) {
      for (const key of [kb.tagged('f', tag), kb.tagged('f', tag, '}{', 'x')]) {
        const found = hashTag(key);
        expect(found).toBe(escapeKeyPart(tag));
        expect(unescapeKeyPart(found)).toBe(tag);
      }
    }
  });

  it('keeps literal names literal in channel patterns; WILDCARD becomes *', () => {
    expect(kb.channelPattern('tick', 'binance', WILDCARD)).toBe('fullon:ch:tick:binance:*');
    expect(kb.channelPattern('tick', '*', '?')).toBe('fullon:ch:tick:%2A:%3F');
    expect(kb.channel('tick', 'a b')).toBe('fullon:ch:tick:a%20b');
    expect(kb.scanPattern()).toBe('fullon:*');
  });

  it('rejects a family that is not lower-case letters, digits and dashes', () => {
    for (const family of ['', 'Tick', 'a:b', 'a{b}', 'a*', '1x', 'a b']) {
      let caught: unknown;
      try {
        kb.key(family);
      } catch (error) {
        caught = error;
      }
      expect(FullonCacheError.is(caught), family).toBe(true);
    }
  });

  it('rejects a prefix that could hold a hash tag, a separator or a glob character', () => {
    for (const prefix of ['a{b}', 'a:b', 'a*', '', 'with space']) {
      let caught: unknown;
      try {
        new KeyBuilder(prefix);
      } catch (error) {
        caught = error;
      }
      expect(ConfigurationError.is(caught), prefix).toBe(true);
    }
  });
});

describe('hash tags on the server', () => {
  const conn = useTestConnection();

  it('puts keys with the same hostile tag in one slot, the slot of the escaped tag', async () => {
    const c = conn();
    const tags = [...HOSTILE, ...names(60, 7)];
    for (const tag of tags) {
      const a = c.keys.tagged('fam', tag, 'one');
      const b = c.keys.tagged('other', tag, '{x}', ':');
      expect(hashTag(a)).toBe(hashTag(b));
      expect(keySlot(a)).toBe(keySlot(b));
      if (redisTarget().mode === 'cluster') {
        const slot = (key: string) => c.send<number>(undefined, ['CLUSTER', 'KEYSLOT', key]);
        const [slotA, slotB, slotTag] = await Promise.all([
          slot(a),
          slot(b),
          slot(escapeKeyPart(tag)),
        ]);
        expect(slotA).toBe(slotB);
        expect(slotA).toBe(slotTag);
        expect(keySlot(a)).toBe(slotA);
      }
      // Keys of one tag can be written together by one script on either topology.
      const reply = await c.send(a, [
        'EVAL',
        "redis.call('SET', KEYS[1], 'x'); return redis.call('SET', KEYS[2], 'y')",
        '2',
        a,
        b,
      ]);
      expect(reply).toBe('OK');
    }
  });
});

describe('keySlot', () => {
  const conn = useTestConnection();

  it('matches known slots and, on a cluster, CLUSTER KEYSLOT for hostile and non-ASCII keys', async () => {
    // From the Redis Cluster specification: CRC16 of "123456789" is 0x31C3.
    expect(keySlot('123456789')).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12_182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
    const keys = [
      ...names(300, 8),
      'foo{}{bar}',
      'foo{{bar}}zap',
      '{}',
      '{',
      '}{x}',
      'ü{ü}',
      '比特币',
    ];
    for (const key of keys) {
      const slot = keySlot(key);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(16_384);
      if (redisTarget().mode === 'cluster') {
        expect(await conn().send<number>(undefined, ['CLUSTER', 'KEYSLOT', key]), key).toBe(slot);
      }
    }
  });
});
