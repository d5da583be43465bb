// Test support, excluded from the build: the conformance table of ExchangeCache.

import type { Id } from '@fullon/core/author';
import { defineConformance, type FieldKind, type ParamSpec } from '@fullon/core/testing';
import { expect } from 'vitest';
import { ExchangeCache } from './exchange-cache.js';
import type { CatExchange, ExchangeInput } from './schema.js';

const EXCHANGE_FIELDS: Readonly<Record<string, FieldKind>> = {
  exId: 'id',
  userId: 'id',
  name: 'name',
  catExId: 'id',
  catExchange: 'name',
  active: 'boolean',
  test: 'boolean',
};
const CAT_FIELDS: Readonly<Record<string, FieldKind>> = { catExId: 'id', name: 'name' };
const exId: ParamSpec = { name: 'exId', kind: 'id' };
const userId: ParamSpec = { name: 'userId', kind: 'id' };

/** A valid exchange account. */
function account(id: Id, owner: Id, name = 'binance spot'): ExchangeInput {
  return { exId: id, userId: owner, name, catExId: 1, catExchange: 'binance' };
}
const CATALOG: CatExchange[] = [
  { catExId: 1, name: 'binance' },
  { catExId: 2, name: 'kraken' },
];

/** The conformance table of `ExchangeCache`, with deterministic read-through loaders. */
export const exchangeConformance = defineConformance<ExchangeCache>({
  name: 'exchange',
  cacheClass: ExchangeCache,
  create: (conn) =>
    new ExchangeCache(conn, {
      load: {
        exchange: async (id) => account(id, 1),
        userExchanges: async (owner) =>
          String(owner) === '1' ? [account(1, 1), account(2, 1, 'kraken main')] : [],
        catExchanges: async () => CATALOG,
      },
    }),
  async seed(cache) {
    await cache.setExchanges(1, [account(1, 1), account(2, 1, 'kraken main')]);
    await cache.setCatExchanges(CATALOG);
    await cache.pushWsError(1, 'socket closed: 1006');
    await cache.pushWsError(1, 'socket closed: 1011');
  },
  families: {
    exchange: {},
    'exchange-user': { index: true },
    'exchange-cat': {},
    'exchange-ws-errors': {},
  },
  methods: {
    getExchange: { kind: 'read', params: [exId], args: () => [1] },
    getExchanges: { kind: 'listing', params: [userId], args: () => [1] },
    getCatExchanges: { kind: 'listing', params: [], args: () => [] },
    setExchange: {
      kind: 'write',
      params: [{ name: 'exchange', kind: 'record', fields: EXCHANGE_FIELDS }],
      args: (i) => [account(100 + i, 1)],
    },
    setExchanges: {
      kind: 'write',
      params: [userId, { name: 'exchanges', kind: 'records', fields: EXCHANGE_FIELDS }],
      args: (i) => [10 + i, [account(`u${i}`, 10 + i)]],
    },
    setCatExchanges: {
      kind: 'write',
      params: [{ name: 'catExchanges', kind: 'records', fields: CAT_FIELDS }],
      args: (i) => [[{ catExId: 100 + i, name: `cat${i}` }, ...CATALOG]],
    },
    deleteExchange: { kind: 'write', params: [exId], args: (i) => [i + 1] },
    invalidate: {
      kind: 'write',
      params: [
        {
          name: 'target',
          kind: 'record',
          fields: { exId: 'id', userId: 'id', catExchanges: 'boolean' },
        },
      ],
      args: (i) => [{ exId: i + 1, userId: 1 }],
    },
    pushWsError: {
      kind: 'write',
      params: [exId, { name: 'message', kind: 'text' }],
      args: (i) => [i + 1, `socket closed: ${i}`],
    },
    popWsError: {
      kind: 'take',
      params: [exId, { name: 'options', kind: 'options', fields: { timeoutMs: 'waitMs' } }],
      args: () => [1, { timeoutMs: 20 }],
      async pushItem(cache) {
        await cache.pushWsError(1, 'pushed during the stall');
      },
    },
  },
  prototypeNames: {
    async 'exchange ids, user ids and names'(cache, name) {
      await cache.setExchanges(name, [account(name, name, name)]);
      expect(await cache.getExchange(name)).toMatchObject({ exId: name, userId: name, name });
      expect((await cache.getExchanges(name)).map((e) => e.exId)).toEqual([name]);
      await cache.setExchange({ exId: 'other', userId: name, name });
      expect((await cache.getExchanges(name)).map((e) => e.exId).sort()).toEqual(
        ['other', name].sort(),
      );
    },
    async 'catalog ids and names'(cache, name) {
      await cache.setCatExchanges([{ catExId: name, name }, ...CATALOG]);
      const ids = (await cache.getCatExchanges()).map((c) => c.catExId);
      expect(ids).toContain(name);
      expect(ids).toHaveLength(3);
    },
    async 'websocket error queues'(cache, name) {
      await cache.pushWsError(name, name);
      expect(await cache.popWsError(name, { timeoutMs: 0 })).toBe(name);
    },
  },
});
