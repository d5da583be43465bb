import type { CacheConnectionLike } from '@fullon/core';
import { describe, expectTypeOf, it } from 'vitest';
import { BotCache } from './bot-cache.js';
import type { ReleaseOptions } from './types.js';

declare const conn: CacheConnectionLike;
const bots = new BotCache(conn);

describe('BotCache release overloads: the options object is always last', () => {
  it('accepts (exId, symbol, options?) and (exId, symbol, botId, options?)', () => {
    expectTypeOf(bots.unblockExchange(1, 'BTC/USDT', 'bot-7')).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(bots.unblockExchange(1, 'BTC/USDT', 7, { token: 3 })).toEqualTypeOf<
      Promise<boolean>
    >();
    expectTypeOf(bots.unblockExchange('1', 'BTC/USDT', { force: true })).toEqualTypeOf<
      Promise<boolean>
    >();
    expectTypeOf(bots.unblockExchange(1, 'BTC/USDT')).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(bots.unblockExchange(1, 'BTC/USDT', undefined, { force: true })).toEqualTypeOf<
      Promise<boolean>
    >();
    expectTypeOf(bots.unmarkOpeningPosition(1, 'BTC/USDT', 'bot-7', {})).toEqualTypeOf<
      Promise<boolean>
    >();
    expectTypeOf(bots.unmarkOpeningPosition(1, 'BTC/USDT', { force: true })).toEqualTypeOf<
      Promise<boolean>
    >();
  });

  it('refuses options followed by more options (the second would be ignored)', () => {
    const options: ReleaseOptions = { force: true };
    // @ts-expect-error options sit last: nothing may follow them
    void bots.unblockExchange(1, 'BTC/USDT', options, { token: 3 });
    // @ts-expect-error options sit last: nothing may follow them
    void bots.unmarkOpeningPosition(1, 'BTC/USDT', options, { token: 3 });
  });
});
