import { readFileSync } from 'node:fs';
import { useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { recordedExchange } from './fixtures/ccxt.js';
import { ccxtLoader } from './fixtures/ccxt-example.js';
import { SymbolCache } from './symbol-cache.js';

const MARKER = 'everything below this line';

/** The code of the example after its imports and the marker comment. */
function exampleBody(source: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.includes(MARKER));
  return lines
    .slice(start + 2)
    .join('\n')
    .trim();
}

describe('E1-1: the ccxt example of docs/exchange.md', () => {
  const conn = useTestConnection();

  it('is the code this test runs (the docs quote src/fixtures/ccxt-example.ts verbatim)', () => {
    const docs = readFileSync(new URL('../../../docs/exchange.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./fixtures/ccxt-example.ts', import.meta.url), 'utf8');
    const body = exampleBody(source);
    expect(body.length).toBeGreaterThan(500);
    expect(docs).toContain(body);
    expect(docs).toContain(
      "import { DECIMAL_PLACES, type Exchange, type Market, TICK_SIZE } from 'ccxt';",
    );
    expect(docs).toContain("import type { PrecisionMode, SymbolInfo } from '@fullon/exchange';");
  });

  it('loads recorded ccxt markets in tick-size mode (ccxt default) and in decimals mode', async () => {
    const symbols = new SymbolCache(conn(), {
      load: ccxtLoader({
        kraken: recordedExchange('kraken'),
        'decimals-exchange': recordedExchange('decimals-exchange'),
      }),
    });
    expect(await symbols.getSymbols('kraken')).toEqual([
      {
        symbol: 'BTC/USD',
        base: 'BTC',
        quote: 'USD',
        futures: false,
        precisionMode: 'tickSize',
        pricePrecision: 0.1,
        amountPrecision: 1e-8,
        exchange: 'kraken',
      },
      {
        symbol: 'BTC/USD:USD-250328',
        base: 'BTC',
        quote: 'USD',
        futures: true,
        precisionMode: 'tickSize',
        pricePrecision: 0.5,
        amountPrecision: 1,
        exchange: 'kraken',
      },
      {
        symbol: 'ETH/USD',
        base: 'ETH',
        quote: 'USD',
        futures: false,
        precisionMode: 'tickSize',
        pricePrecision: 0.01,
        amountPrecision: 1e-8,
        exchange: 'kraken',
      },
    ]);
    expect(await symbols.getSymbol('BTC/USDT', 'decimals-exchange')).toEqual({
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
      futures: false,
      precisionMode: 'decimals',
      pricePrecision: 2,
      amountPrecision: 6,
      exchange: 'decimals-exchange',
    });
    // Read back from Redis by a second instance: the stored values are what ccxt gave.
    const reader = new SymbolCache(conn());
    expect((await reader.getSymbol('ETH/USD', 'kraken'))?.pricePrecision).toBe(0.01);
    expect(await symbols.getSymbols('not-configured')).toEqual([]);
  });
});
