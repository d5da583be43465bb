import * as v from 'valibot';

/** Smallest accepted epoch-ms time; anything lower looks like seconds (year 1973 in ms). */
export const MIN_EPOCH_MS = 1e11;

/**
 * Largest accepted epoch-ms time: 9999-12-31T23:59:59.999Z (253 402 300 799 999).
 *
 * Why this bound: it is the last instant whose ISO 8601 form keeps a four-digit year (what
 * `toISOString()`, databases and log tools expect), it is far below 2^53 so every time stays
 * exact as a double in JS and in Lua, and it is low enough to reject the usual unit mistakes
 * (microseconds ~1.7e15, nanoseconds ~1.7e18) and garbage such as `2**64` or `1e308`. No
 * market data or process heartbeat is dated past it.
 */
export const MAX_EPOCH_MS = 253_402_300_799_999;

/**
 * An epoch-milliseconds timestamp, as `Date.now()` and ccxt give: from {@link MIN_EPOCH_MS}
 * (1e11; a lower value looks like seconds and is rejected with a message saying so) to
 * {@link MAX_EPOCH_MS} (the end of year 9999; a higher one looks like micro- or nanoseconds).
 */
export const EpochMs = v.pipe(
  v.number('must be a number of epoch milliseconds'),
  v.finite('must be finite'),
  v.minValue(MIN_EPOCH_MS, 'looks like seconds; times are epoch milliseconds (Date.now())'),
  v.maxValue(
    MAX_EPOCH_MS,
    'is past the year 9999 (micro- or nanoseconds?); times are epoch milliseconds (Date.now())',
  ),
);
/** Output type of {@link EpochMs}. */
export type EpochMs = v.InferOutput<typeof EpochMs>;

/** Longest accepted name, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 256;

/**
 * Whether a string is well-formed UTF-16 (no lone surrogate). A lone surrogate has no UTF-8
 * form: Node writes U+FFFD for it, so every lone surrogate and a real U+FFFD would share a key.
 * @param text - Any string.
 * @returns `true` when every surrogate is paired.
 */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
/**
 * Whether a string may be a name: well-formed ({@link isWellFormed}) and free of control
 * characters (U+0000–U+001F, U+007F). No exchange, symbol or id holds a newline, a tab or a
 * NUL, and one would break every table and log line that shows the name.
 * @param text - Any string.
 * @returns `true` when the text may name something.
 */
export function isNameText(text: string): boolean {
  return !CONTROL.test(text) && !LONE_SURROGATE.test(text);
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A name (symbol, exchange, currency, queue, id): a non-empty, well-formed string of at most
 * 256 UTF-16 code units.
 */
export const Name = v.pipe(
  v.string('must be a string'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_NAME_LENGTH, 'must be at most 256 characters'),
  v.check(isWellFormed, 'must be well-formed text (it holds a lone UTF-16 surrogate)'),
  v.check((text) => !CONTROL.test(text), 'must not hold control characters (newline, tab, NUL…)'),
);
/** Output type of {@link Name}. */
export type Name = v.InferOutput<typeof Name>;

/** A finite number. */
export const FiniteNumber = v.pipe(v.number('must be a number'), v.finite('must be finite'));

/** A finite number ≥ 0. */
export const NonNegative = v.pipe(FiniteNumber, v.minValue(0, 'must be ≥ 0'));

/**
 * A wait in whole milliseconds, 0 (do not wait) up to 2 147 483 647: Node's timers fire at once
 * for anything longer, so a larger value would end the wait immediately instead of never.
 */
export const WaitMs = v.pipe(
  v.number('must be a number of milliseconds'),
  v.integer('must be a whole number of milliseconds'),
  v.minValue(0, 'must be ≥ 0'),
  v.maxValue(2_147_483_647, 'must be at most 2 147 483 647 ms'),
);

/**
 * Longest accepted TTL: ten years in ms. Redis refuses an expiry whose deadline overflows, and
 * a script that learns that after its first write leaves a key that never expires.
 */
export const MAX_TTL_MS = 315_576_000_000;

/** A whole number of milliseconds from 1 to ten years ({@link MAX_TTL_MS}), for TTLs and retentions. */
export const PositiveMs = v.pipe(
  v.number('must be a number of milliseconds'),
  v.integer('must be a whole number of milliseconds'),
  v.minValue(1, 'must be > 0'),
  v.maxValue(MAX_TTL_MS, 'must be at most 315 576 000 000 ms (ten years)'),
);
/** Alias of {@link PositiveMs} under the name options use: every `ttlMs`. */
export const TtlMs = PositiveMs;

/** Largest accepted cap or count option. */
export const MAX_COUNT = 10_000_000;

/** A whole number from 1 to 10 000 000, for caps (`maxBars`, `maxAttempts`, list caps). */
export const Count = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be ≥ 1'),
  v.maxValue(MAX_COUNT, 'must be at most 10 000 000'),
);

/**
 * An identifier (`exId`, `userId`, `botId`, `orderId`…): a {@link Name} or a whole number from
 * 0 to `Number.MAX_SAFE_INTEGER`. `7` and `'7'` name the same thing in keys.
 */
export const Id = v.union(
  [
    Name,
    v.pipe(
      v.number('must be a string or a whole number'),
      v.integer('must be a whole number'),
      v.minValue(0, 'must be ≥ 0'),
      v.maxValue(Number.MAX_SAFE_INTEGER, 'must be a safe integer'),
    ),
  ],
  'must be a non-empty string or a whole number ≥ 0',
);
/** Output type of {@link Id}. */
export type Id = v.InferOutput<typeof Id>;
