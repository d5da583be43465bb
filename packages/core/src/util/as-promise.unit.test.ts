import { describe, expect, it } from 'vitest';
import { asPromise } from './as-promise.js';

describe('asPromise', () => {
  it("returns the body's own promise", async () => {
    const promise = Promise.resolve(7);
    expect(asPromise(() => promise)).toBe(promise);
    await expect(asPromise(() => Promise.reject(new Error('async')))).rejects.toThrow('async');
  });

  it('turns a synchronous throw into a rejected promise instead of throwing', async () => {
    const refused = new TypeError('bad input');
    let result: Promise<number> | undefined;
    expect(() => {
      result = asPromise<number>(() => {
        throw refused;
      });
    }).not.toThrow();
    await expect(result).rejects.toBe(refused);
  });
});
