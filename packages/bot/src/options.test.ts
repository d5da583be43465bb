import { ValidationError } from '@fullon/core';
import { redisTarget, snapshotKeyspace, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { BotCache } from './bot-cache.js';

/** Options arguments of the wrong type: each must be refused, naming `options`. */
const BAD_OPTIONS: readonly unknown[] = [null, 5, 'ttlMs', [], [{ ttlMs: 1_000 }]];

/**
 * Calls `call` and returns what its promise rejected with; a synchronous throw fails the test
 * (methods report bad input as a rejected promise).
 */
async function rejectionOf(call: () => Promise<unknown>): Promise<unknown> {
  let pending: Promise<unknown> | undefined;
  expect(() => {
    pending = call();
  }).not.toThrow();
  if (pending === undefined) return expect.unreachable('no promise');
  try {
    await pending;
  } catch (error) {
    return error;
  }
  return expect.unreachable('resolved');
}

describe('BotCache options arguments', () => {
  const conn = useTestConnection();

  it('the constructor and open() refuse options that are not an object, naming options', async () => {
    const target = redisTarget();
    const config = target.mode === 'cluster' ? { clusterNodes: target.nodes } : { url: target.url };
    for (const bad of BAD_OPTIONS) {
      expect(() => new BotCache(conn(), bad as never), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ name: 'ValidationError', field: 'options' }),
      );
      const error = await rejectionOf(() => BotCache.open(config, bad as never));
      expect(error, JSON.stringify(bad)).toMatchObject({ field: 'options' });
      expect(ValidationError.is(error)).toBe(true);
    }
  });

  it('every method refuses an options argument that is not an object, writing nothing', async () => {
    const bots = new BotCache(conn());
    const before = await snapshotKeyspace(conn());
    const methods: [string, (options: never) => Promise<unknown>][] = [
      ['blockExchange', (o) => bots.blockExchange(1, 'BTC/USDT', 'bot-a', o)],
      ['renewBlock', (o) => bots.renewBlock(1, 'BTC/USDT', 'bot-a', o)],
      ['unblockExchange', (o) => bots.unblockExchange(1, 'BTC/USDT', 'bot-a', o)],
      ['holdBlock', (o) => bots.holdBlock(1, 'BTC/USDT', 'bot-a', o)],
      ['markOpeningPosition', (o) => bots.markOpeningPosition(1, 'BTC/USDT', 'bot-a', o)],
      ['unmarkOpeningPosition', (o) => bots.unmarkOpeningPosition(1, 'BTC/USDT', 'bot-a', o)],
      ['updateBot', (o) => bots.updateBot('bot-a', { feed: { status: 'up' } }, o)],
    ];
    for (const [name, call] of methods) {
      for (const bad of BAD_OPTIONS) {
        const error = await rejectionOf(() => call(bad as never));
        expect(ValidationError.is(error), `${name}(${JSON.stringify(bad)})`).toBe(true);
        expect(error, `${name}(${JSON.stringify(bad)})`).toMatchObject({ field: 'options' });
      }
    }
    expect(await snapshotKeyspace(conn())).toEqual(before);
  });
});
