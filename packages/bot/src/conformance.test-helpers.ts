import { defineConformance, type ParamSpec } from '@fullon/core/testing';
import { expect } from 'vitest';
import { BotCache } from './bot-cache.js';
import type { JsonValue } from './schema.js';

const TTL = 60_000;
const exId: ParamSpec = { name: 'exId', kind: 'id' };
const symbol: ParamSpec = { name: 'symbol', kind: 'name' };
const botId: ParamSpec = { name: 'botId', kind: 'id' };
/**
 * `unblockExchange`'s and `unmarkOpeningPosition`'s third argument in their
 * `(exId, symbol, botId, options?)` overload: the holder. Their `(exId, symbol, options?)`
 * overload (the options in its place, `{ force: true }`) is checked in `leases.test.ts` and
 * `lease-identity.test.ts`; the kit describes one parameter list per method.
 */
const holder: ParamSpec = { name: 'botId', kind: 'id', optional: true };
/**
 * A fencing token is a whole number ≥ 1 (a server time in µs, beyond `count`'s cap); `count`'s
 * hostile values (0, -0, -1, 1.5, 2**64, NaN, '5'…) are all invalid tokens.
 */
const LEASE_OPTIONS: ParamSpec = {
  name: 'options',
  kind: 'options',
  optional: true,
  fields: { ttlMs: 'ttlMs', force: 'boolean' },
};
const RELEASE_OPTIONS: ParamSpec = {
  name: 'options',
  kind: 'options',
  optional: true,
  fields: { force: 'boolean', token: 'count' },
};

/** Status data of a bot: feed name → plain data. */
function feeds(i: number): Record<string, JsonValue> {
  return { feed1: { status: 'running', symbols: ['S0/USDT'], n: i }, feed2: 'idle' };
}

/**
 * The conformance table of `BotCache`.
 *
 * - `holdBlock` is a write: it takes the block and starts renewing it. Its `invoke` does not
 *   release the hold: in the close()-under-load check a release would be a second call made
 *   after `close()` (refused, `not-sent`), so the closed side would keep 1 000 blocks the
 *   reference released, and the keyspaces would no longer compare. A hold left running only
 *   renews its own lease under its own token; once a case's reset re-creates the leases (new
 *   tokens) its renewals find another token or no lease and write nothing. Its `onLost` option
 *   is a callback, which no field kind describes: its check is in `hold.test.ts`.
 * - Reads that return tokens, expiry times or update times (`getBlocks`, `getOpeningPositions`,
 *   `getBot`, `getBots`) are `volatile`: every reset re-seeds them with new server times.
 */
export const botConformance = defineConformance<BotCache>({
  name: 'bot',
  cacheClass: BotCache,
  create: (conn) => new BotCache(conn),
  async seed(cache) {
    await cache.blockExchange(1, 'S0/USDT', 'bot-0', { ttlMs: TTL });
    await cache.blockExchange(2, 'S1/USDT', 'bot-1', { ttlMs: TTL });
    await cache.markOpeningPosition(1, 'S0/USDT', 'bot-0', { ttlMs: TTL });
    await cache.markOpeningPosition(2, 'S1/USDT', 'bot-1', { ttlMs: TTL });
    await cache.updateBot('bot-0', feeds(0));
    await cache.updateBot('bot-1', feeds(1));
  },
  families: {
    'bot-block': { attributes: true },
    'bot-opening': { attributes: true },
    'bot-blocks': { index: true },
    'bot-openings': { index: true },
    'bot-fence': {},
    'bot-status': {},
    'bot-status-index': { index: true },
  },
  methods: {
    blockExchange: {
      kind: 'write',
      params: [exId, symbol, botId, LEASE_OPTIONS],
      args: (i) => [1, `S${i}/USDT`, 'bot-0', { ttlMs: TTL }],
    },
    renewBlock: {
      kind: 'write',
      params: [
        exId,
        symbol,
        botId,
        {
          name: 'options',
          kind: 'options',
          optional: true,
          fields: { ttlMs: 'ttlMs', token: 'count' },
        },
      ],
      args: () => [1, 'S0/USDT', 'bot-0', { ttlMs: TTL }],
    },
    unblockExchange: {
      kind: 'write',
      params: [exId, symbol, holder, RELEASE_OPTIONS],
      args: (i) => [1, `S${i}/USDT`, 'bot-0', {}],
    },
    isBlocked: { kind: 'read', params: [exId, symbol], args: () => [1, 'S0/USDT'] },
    getBlocks: { kind: 'listing', params: [], args: () => [], volatile: true },
    holdBlock: {
      kind: 'write',
      params: [
        exId,
        symbol,
        botId,
        {
          name: 'options',
          kind: 'options',
          optional: true,
          fields: { ttlMs: 'ttlMs', signal: 'signal' },
        },
      ],
      args: (i) => [1, `S${i}/USDT`, 'bot-0', { ttlMs: TTL }],
    },
    markOpeningPosition: {
      kind: 'write',
      params: [exId, symbol, botId, LEASE_OPTIONS],
      args: (i) => [1, `S${i}/USDT`, 'bot-0', { ttlMs: TTL }],
    },
    unmarkOpeningPosition: {
      kind: 'write',
      params: [exId, symbol, holder, RELEASE_OPTIONS],
      args: (i) => [1, `S${i}/USDT`, 'bot-0', {}],
    },
    isOpeningPosition: { kind: 'read', params: [exId, symbol], args: () => [1, 'S0/USDT'] },
    getOpeningPositions: { kind: 'listing', params: [], args: () => [], volatile: true },
    updateBot: {
      kind: 'write',
      params: [
        botId,
        { name: 'data', kind: 'map' },
        { name: 'options', kind: 'options', optional: true, fields: { replace: 'boolean' } },
      ],
      args: (i) => [`bot-${i}`, feeds(i), {}],
    },
    getBot: { kind: 'read', params: [botId], args: () => ['bot-0'], volatile: true },
    getBots: { kind: 'listing', params: [], args: () => [], volatile: true },
    deleteBot: { kind: 'write', params: [botId], args: (i) => [`bot-${i}`] },
    deleteBots: { kind: 'write', params: [], args: () => [] },
  },
  prototypeNames: {
    async 'exId, symbol and botId of leases'(cache, name) {
      expect((await cache.blockExchange(name, name, name)).acquired).toBe(true);
      expect(await cache.isBlocked(name, name)).toBe(name);
      expect((await cache.getBlocks()).filter((b) => b.symbol === name && b.exId === name)).toEqual(
        [expect.objectContaining({ botId: name })],
      );
      expect((await cache.markOpeningPosition(name, name, name)).acquired).toBe(true);
      expect(await cache.isOpeningPosition(name, name)).toBe(name);
      expect(await cache.getOpeningPositions()).toHaveLength(3);
      expect(await cache.unblockExchange(name, name, name)).toBe(true);
      expect(await cache.unmarkOpeningPosition(name, name, name)).toBe(true);
    },
    async 'botId and feed names of status records'(cache, name) {
      const data: Record<string, JsonValue> = {};
      Object.defineProperty(data, name, { value: 1, enumerable: true, writable: true });
      await cache.updateBot(name, data);
      const own = (o: object | undefined) =>
        o === undefined ? undefined : Object.getOwnPropertyDescriptor(o, name)?.value;
      const bot = await cache.getBot(name);
      expect(bot?.botId).toBe(name);
      expect(own(bot?.data)).toBe(1);
      expect(Object.keys(bot?.data ?? {})).toEqual([name]);
      const bots = await cache.getBots();
      expect(Object.keys(bots)).toHaveLength(3);
      expect(own(own(bots)?.data)).toBe(1);
      expect(await cache.deleteBot(name)).toBe(true);
    },
  },
});
