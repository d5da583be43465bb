import { ValidationError } from '@fullon/core';
import {
  Count,
  checkName,
  EpochMs,
  optionsObject,
  validate,
  validateAt,
} from '@fullon/core/author';
import * as v from 'valibot';
import { isValidBar } from './fast-check.js';
import { Bar, isAligned, TIMEFRAME_MS, Timeframe } from './schema.js';

/**
 * Checks a timeframe argument (fast path first; valibot only words the error).
 * @internal
 * @param timeframe - Untrusted input.
 * @returns The timeframe.
 * @throws {ValidationError} naming `timeframe`.
 */
export function checkTimeframe(timeframe: unknown): Timeframe {
  if (typeof timeframe === 'string' && Object.hasOwn(TIMEFRAME_MS, timeframe)) {
    return timeframe as Timeframe;
  }
  return validate(Timeframe, timeframe, 'timeframe');
}

/**
 * Checks the three arguments naming a series.
 * @internal
 * @param symbol - Untrusted symbol.
 * @param exchange - Untrusted exchange.
 * @param timeframe - Untrusted timeframe.
 * @returns The timeframe.
 * @throws {ValidationError} naming the argument.
 */
export function checkSeries(symbol: unknown, exchange: unknown, timeframe: unknown): Timeframe {
  checkName(symbol, 'symbol');
  checkName(exchange, 'exchange');
  return checkTimeframe(timeframe);
}

/**
 * Validates every bar (fast path first; valibot only words the error), checks alignment, and
 * returns the bars sorted by time with duplicates resolved (the later one in the input wins).
 * @internal
 * @param bars - Untrusted input.
 * @param tf - The series' timeframe, already checked.
 * @returns The bars to store, ascending by time, each time once.
 * @throws {ValidationError} naming the bar and field (`bars[3].time`).
 */
export function checkBars(bars: unknown, tf: Timeframe): readonly Bar[] {
  if (!Array.isArray(bars)) throw new ValidationError('bars', 'bars: must be an array of bars');
  let ordered = true;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < bars.length; i++) {
    const input: unknown = bars[i];
    const bar = isValidBar(input) ? input : validateBar(input, i);
    const time = bar[0];
    if (!isAligned(time, tf)) {
      throw new ValidationError(
        `bars[${i}].time`,
        `bars[${i}].time: ${time} is not the open time of a ${tf} candle (a multiple of ${TIMEFRAME_MS[tf]} ms${tf === '1w' ? ' from a Monday 00:00 UTC' : ' since 00:00 UTC'})`,
      );
    }
    if (time <= last) ordered = false;
    else last = time;
  }
  // The common case (a feed sends bars in order, each time once) is used as it is: the bars
  // are encoded before this call returns, so the caller's arrays are never kept.
  if (ordered) return bars as Bar[];
  const byTime = new Map<number, Bar>();
  for (const bar of bars as Bar[]) byTime.set(bar[0], bar);
  return [...byTime.values()].sort((a, b) => a[0] - b[0]);
}

const FIELD_NAMES = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Words valibot's first issue; the slot comes from the issue's path, never from its message. */
function validateBar(input: unknown, i: number): Bar {
  const result = v.safeParse(Bar, input);
  if (result.success) return result.output;
  const [issue] = result.issues;
  const path = issue === undefined ? null : v.getDotPath(issue);
  const name = path === null || path === '' ? undefined : FIELD_NAMES[Number(path)];
  const field = name === undefined ? `bars[${i}]` : `bars[${i}].${name}`;
  throw new ValidationError(field, `${field}: ${issue?.message ?? 'invalid'}`, result.issues);
}

const RangeOptions = v.object({
  from: v.optional(EpochMs),
  to: v.optional(EpochMs),
  limit: v.optional(Count),
});

/**
 * Checks the options of `getOhlcvBars`.
 * @internal
 * @param options - Untrusted input.
 * @returns `from`, `to` and `limit`, each when given.
 * @throws {ValidationError} naming the option (`options` when it is not an object, `from`
 *   after `to` included).
 */
export function checkRange(options: unknown): BarRange {
  const range = validateAt(RangeOptions, optionsObject(options), 'options');
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new ValidationError('options.from', 'options.from: must be ≤ options.to');
  }
  return range;
}

/**
 * A checked time range of `getOhlcvBars`.
 * @internal
 */
export interface BarRange {
  /** First open time included (epoch ms). */
  from?: number | undefined;
  /** Last open time included (epoch ms). */
  to?: number | undefined;
  /** Most bars returned. */
  limit?: number | undefined;
}
