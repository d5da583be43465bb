import { describe, expect, it } from 'vitest';
import { awkwardNameCases, hostileCases } from './hostile.js';

describe('hostile argument cases', () => {
  const params = [
    { name: 'exchange', kind: 'name' },
    { name: 'tick', kind: 'record', fields: { time: 'epochMs' } },
    { name: 'options', kind: 'options', optional: true, fields: { timeoutMs: 'waitMs' } },
  ] as const;
  const valid = ['binance', { time: 1_700_000_000_000, price: 1 }, { timeoutMs: 5 }];
  const cases = hostileCases(params, valid);

  it('replaces one argument at a time and leaves the others valid', () => {
    for (const c of cases) {
      const changed = c.args.filter((arg, i) => arg !== valid[i]);
      expect(changed, c.label).toHaveLength(1);
    }
  });

  it('attacks a declared field inside an otherwise valid record and names the field', () => {
    const huge = cases.find((c) => c.label === 'tick.time = 2**64');
    expect(huge?.args[1]).toEqual({ time: 2 ** 64, price: 1 });
    expect(huge?.names).toBe('time');
  });

  it('tries undefined only where the parameter is required, and null options', () => {
    expect(cases.some((c) => c.label === 'exchange = undefined')).toBe(true);
    expect(cases.some((c) => c.label === 'options = undefined')).toBe(false);
    expect(cases.some((c) => c.label === 'options = null')).toBe(true);
    expect(cases.some((c) => c.label === 'options = Map')).toBe(true);
  });

  it('keeps escaped and prototype-member names apart as valid names', () => {
    const awkward = awkwardNameCases(params, valid).map((c) => c.args[0]);
    expect(awkward).toContain('BTC/USDT:USDT');
    expect(awkward).toContain('__proto__');
    expect(cases.map((c) => c.args[0])).not.toContain('BTC/USDT:USDT');
  });
});
