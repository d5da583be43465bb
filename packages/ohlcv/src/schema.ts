import { EpochMs, FiniteNumber, NonNegative } from '@fullon/core/author';
import * as v from 'valibot';

/** The timeframes a series may have: ccxt's names, from one minute to one week. */
export const TIMEFRAMES = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '12h',
  '1d',
  '1w',
] as const;

/** A candle timeframe, e.g. `1m` or `1d` (see {@link TIMEFRAMES}). */
export const Timeframe = v.picklist(TIMEFRAMES, `must be one of ${TIMEFRAMES.join(' ')}`);
/** Output type of {@link Timeframe}. */
export type Timeframe = v.InferOutput<typeof Timeframe>;

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

/** Length of each timeframe in ms. */
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '6h': 360 * MINUTE,
  '12h': 720 * MINUTE,
  '1d': DAY,
  '1w': 7 * DAY,
};

/**
 * Where weeks start: Monday 1970-01-05 00:00 UTC, 4 days after the epoch (a Thursday), as on
 * Binance and in ccxt. Every other timeframe divides a UTC day and starts at the epoch.
 */
export const WEEK_ORIGIN_MS = 4 * DAY;

/**
 * Whether `time` is the open time of a candle of `timeframe`: a whole multiple of its length
 * since the epoch (UTC), or, for `1w`, since a Monday 00:00 UTC.
 * @param time - Epoch ms.
 * @param timeframe - A valid timeframe.
 * @returns `true` when aligned.
 */
export function isAligned(time: number, timeframe: Timeframe): boolean {
  const origin = timeframe === '1w' ? WEEK_ORIGIN_MS : 0;
  return (time - origin) % TIMEFRAME_MS[timeframe] === 0;
}

/**
 * The open time of the candle of `timeframe` that contains `time` (floor to the timeframe).
 * @param time - Epoch ms.
 * @param timeframe - A valid timeframe.
 * @returns The aligned open time.
 */
export function alignTime(time: number, timeframe: Timeframe): number {
  const origin = timeframe === '1w' ? WEEK_ORIGIN_MS : 0;
  const span = TIMEFRAME_MS[timeframe];
  return Math.floor((time - origin) / span) * span + origin;
}

/** `[time, open, high, low, close, volume]`, as ccxt's `fetchOHLCV` returns each candle. */
export type Bar = [
  time: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
];

/**
 * One candle, `[time, open, high, low, close, volume]`: time in epoch ms (the candle's open
 * time), prices finite with `low ≤ open ≤ high` and `low ≤ close ≤ high`, volume finite and
 * ≥ 0. Alignment of `time` to a timeframe is checked by the cache, which knows the timeframe.
 */
export const Bar = v.pipe(
  v.strictTuple(
    [EpochMs, FiniteNumber, FiniteNumber, FiniteNumber, FiniteNumber, NonNegative],
    'must be [time, open, high, low, close, volume]',
  ),
  // Each rule between slots is reported at the slot it blames, so the path names it.
  v.forward(
    v.check(([, , high, low]) => low <= high, 'low must be ≤ high'),
    [3],
  ),
  v.forward(
    v.check(
      ([, open, high, low]) => low <= open && open <= high,
      'open must be within [low, high]',
    ),
    [1],
  ),
  v.forward(
    v.check(
      ([, , high, low, close]) => low <= close && close <= high,
      'close must be within [low, high]',
    ),
    [4],
  ),
) as v.GenericSchema<unknown, Bar>;

/** The stored form of a bar, as an object so that a record layout can describe it. */
export const BarFields = v.object({
  time: EpochMs,
  open: FiniteNumber,
  high: FiniteNumber,
  low: FiniteNumber,
  close: FiniteNumber,
  volume: NonNegative,
});
/** Output type of {@link BarFields}. */
export type BarFields = v.InferOutput<typeof BarFields>;

/** {@link BarFields} with the rules between fields, re-checked on every decode. */
export const BarRecord = v.pipe(
  BarFields,
  v.check((b) => b.low <= b.high, 'low must be ≤ high'),
  v.check((b) => b.low <= b.open && b.open <= b.high, 'open must be within [low, high]'),
  v.check((b) => b.low <= b.close && b.close <= b.high, 'close must be within [low, high]'),
);
