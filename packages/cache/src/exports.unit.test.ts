import * as account from '@fullon/account';
import * as bot from '@fullon/bot';
import * as core from '@fullon/core';
import * as exchange from '@fullon/exchange';
import * as ohlcv from '@fullon/ohlcv';
import * as orders from '@fullon/orders';
import * as process from '@fullon/process';
import * as tick from '@fullon/tick';
import * as trades from '@fullon/trades';
import { describe, expect, it } from 'vitest';
import * as umbrella from './index.js';

const PACKAGES = { core, tick, exchange, orders, trades, account, bot, ohlcv, process };

describe('the umbrella re-exports', () => {
  it('every value each package exports, as the same object (a name added later fails here)', () => {
    const exported: Record<string, unknown> = umbrella;
    for (const [name, mod] of Object.entries(PACKAGES)) {
      for (const [key, value] of Object.entries(mod)) {
        expect(exported[key], `${key} of @fullon/${name}`).toBe(value);
      }
    }
  });
});
