import { ConfigurationError, ValidationError } from '@fullon/core';
import { MAX_TTL_MS } from '@fullon/core/author';
import { describe, expect, it } from 'vitest';
import { ExchangeCache } from './exchange-cache.js';
import { SymbolCache } from './symbol-cache.js';

/** A port nothing listens on: `open()` must fail on its options before trying it. */
const NOWHERE = 'redis://127.0.0.1:1';

describe('construction', () => {
  it.each([
    ['undefined', undefined],
    ['a plain object', {}],
    ['null', null],
    ['a raw node-redis client', { sendCommand: () => undefined, connect: () => undefined }],
  ])('new ExchangeCache(%s) / new SymbolCache(%s) throw ConfigurationError', (_, conn) => {
    for (const make of [
      () => new ExchangeCache(conn as never),
      () => new SymbolCache(conn as never),
    ]) {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(ConfigurationError.is(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/(Exchange|Symbol)Cache needs a connection/);
    }
  });

  it('open() rejects bad options before connecting', async () => {
    for (const opening of [
      ExchangeCache.open(NOWHERE, { ttlMs: MAX_TTL_MS + 1 }),
      ExchangeCache.open(NOWHERE, { wsErrors: { ttlMs: 0 } }),
      ExchangeCache.open(NOWHERE, { timeoutMs: 2 ** 31 }),
      SymbolCache.open(NOWHERE, { ttlMs: MAX_TTL_MS + 1 }),
    ]) {
      const error = await opening.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(ValidationError.is(error)).toBe(true);
    }
  });

  it('names an option of the old name (0.1) and its new name instead of ignoring it', async () => {
    const renamed: [Promise<unknown>, string, string][] = [
      [ExchangeCache.open(NOWHERE, { loadTimeoutMs: 5 } as never), 'loadTimeoutMs', 'timeoutMs'],
      [ExchangeCache.open(NOWHERE, { wsErrorCap: 5 } as never), 'wsErrorCap', 'wsErrors.cap'],
      [ExchangeCache.open(NOWHERE, { wsErrorTtlMs: 5 } as never), 'wsErrorTtlMs', 'wsErrors.ttlMs'],
      [SymbolCache.open(NOWHERE, { loadTimeoutMs: 5 } as never), 'loadTimeoutMs', 'timeoutMs'],
    ];
    for (const [opening, old, now] of renamed) {
      const error = await opening.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(ValidationError.is(error), String(error)).toBe(true);
      expect((error as ValidationError).field).toBe(`options.${old}`);
      expect((error as ValidationError).message).toContain(now);
    }
  });

  it('open() rejects options that are not a plain object, or loaders that are not functions, as a ConfigurationError', async () => {
    for (const opening of [
      ExchangeCache.open(NOWHERE, null as never),
      ExchangeCache.open(NOWHERE, 5 as never),
      ExchangeCache.open(NOWHERE, new Map() as never),
      ExchangeCache.open(NOWHERE, { load: 5 as never }),
      ExchangeCache.open(NOWHERE, { load: { exchange: 'db' as never } }),
      ExchangeCache.open(NOWHERE, { load: new Map() as never }),
      ExchangeCache.open(NOWHERE, { wsErrors: 5 as never }),
      ExchangeCache.open(NOWHERE, { wsErrors: [] as never }),
      SymbolCache.open(NOWHERE, null as never),
      SymbolCache.open(NOWHERE, [] as never),
      SymbolCache.open(NOWHERE, { load: {} as never }),
    ]) {
      const error = await opening.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(ConfigurationError.is(error), String(error)).toBe(true);
    }
  });
});
