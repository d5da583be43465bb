import { jsonCodec, msgpackCodec } from '@fullon/core';
import { describe, expect, it } from 'vitest';
import { encodeBars } from './bar-bytes.js';
import type { Bar } from './schema.js';

const NUMBERS = [
  0,
  1,
  127,
  128,
  255,
  256,
  65_535,
  65_536,
  4_294_967_295,
  4_294_967_296,
  1_717_372_800_000,
  Number.MAX_SAFE_INTEGER,
  -1,
  -32,
  -33,
  -128,
  -129,
  -32_768,
  -32_769,
  -2_147_483_648,
  -2_147_483_649,
  -Number.MAX_SAFE_INTEGER,
  0.5,
  -0.5,
  64_000.25,
  1e-9,
  2 ** 60,
  -0,
];

function randomBars(n: number, seed: number): Bar[] {
  let state = seed;
  const pick = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return NUMBERS[state % NUMBERS.length] as number;
  };
  // Shapes only: the encoder does not validate, the bytes must match whatever the numbers are.
  return Array.from(
    { length: n },
    (_, i) => [1_717_372_800_000 + i * 60_000, pick(), pick(), pick(), pick(), pick()] as Bar,
  );
}

describe('encodeBars', () => {
  it('writes with msgpack exactly the bytes @msgpack/msgpack writes', () => {
    for (const n of [1, 15, 16, 100, 70_000]) {
      const bars = randomBars(n, n);
      const { members, message } = encodeBars(msgpackCodec, bars);
      const tuples = bars.map(([t, o, h, l, c, v]) => [1, t, o, h, l, c, v]);
      expect(Buffer.compare(message, msgpackCodec.encode(tuples)), `n=${n}`).toBe(0);
      members.forEach((member, i) => {
        expect(Buffer.compare(member, msgpackCodec.encode(tuples[i])), `n=${n} i=${i}`).toBe(0);
      });
    }
  });

  it('goes through the codec for any other codec', () => {
    const bars = randomBars(3, 1);
    const { members, message } = encodeBars(jsonCodec, bars);
    expect(jsonCodec.decode(message)).toEqual(bars.map((b) => [1, ...b]));
    expect(members.map((m) => jsonCodec.decode(m))).toEqual(bars.map((b) => [1, ...b]));
  });
});
