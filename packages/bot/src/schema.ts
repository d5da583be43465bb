import { ValidationError } from '@fullon/core';
import {
  checkName,
  isPlainObject,
  isWellFormed,
  type JsonValue,
  Name,
  setOwn,
} from '@fullon/core/author';
import * as v from 'valibot';

/** Plain data that survives every codec: what a bot status entry may hold (core's `JsonValue`). */
export type { JsonValue };

/** Deepest nesting accepted in a status entry. */
const MAX_DEPTH = 32;

function fail(path: string, message: string): never {
  throw new ValidationError(path, `${path}: ${message}`);
}

/**
 * Copies plain data, checking it: strings (well-formed: no lone surrogate), finite numbers,
 * booleans, `null`, arrays and plain objects, nested at most 32 deep. A property whose value is `undefined` is left out (as
 * `JSON.stringify` does). The copy shares nothing with the input, so later changes to the
 * caller's object never reach the cache and the cache never changes the caller's object.
 * @param value - Untrusted input.
 * @param path - Where it sits, for the error, e.g. `data.feed1`.
 * @param depth - Current nesting.
 * @returns The copy.
 * @throws {ValidationError} naming the offending path.
 * @internal
 */
export function copyJson(value: unknown, path: string, depth = 0): JsonValue {
  if (typeof value === 'string') {
    // A lone surrogate has no UTF-8 form: it would come back as U+FFFD, a changed value.
    return isWellFormed(value) ? value : fail(path, 'holds a lone surrogate (not valid text)');
  }
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : fail(path, 'must be a finite number');
  }
  if (typeof value !== 'object') return fail(path, `must be plain data, not a ${typeof value}`);
  if (depth >= MAX_DEPTH) return fail(path, `nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    return value.map((item: unknown, i) => copyJson(item, `${path}[${i}]`, depth + 1));
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    return fail(path, 'must be a plain object (a Date, Map or class instance is not plain data)');
  }
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (key === '__proto__') fail(`${path}.${key}`, 'is not accepted as a property name');
    if (!isWellFormed(key)) fail(path, 'has a property name with a lone surrogate');
    out[key] = copyJson(item, `${path}.${key}`, depth + 1);
  }
  return out;
}

/** Whether `value` is plain data as {@link copyJson} accepts it (used to re-check stored values). */
function isJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  return Object.values(value).every((item) => isJson(item, depth + 1));
}

/**
 * Copies and checks the data of `updateBot`: a plain object whose keys (feed names, 1–256
 * characters, `__proto__` and `constructor` included) map to plain data. Inside a feed's data
 * the key `__proto__` is refused (msgpack refuses to decode it).
 * @param data - Untrusted input.
 * @returns A deep copy.
 * @throws {ValidationError} naming `data` or the offending path (`data.feed1.symbols[2]`).
 * @internal
 */
export function copyBotData(data: unknown): Record<string, JsonValue> {
  if (!isPlainObject(data)) return fail('data', 'must be a plain object of feed name → plain data');
  // Feed names are hash fields, never object keys in stored bytes: any name is one, `__proto__`
  // included (defined as an own property, so it cannot replace the copy's prototype).
  const copy: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(data)) {
    if (item === undefined) continue;
    const path = `data.${key || '""'}`;
    checkName(key, path);
    setOwn(copy, key, copyJson(item, path, 1));
  }
  return copy;
}

/**
 * @internal One stored entry of a status record: its name and its bot (botId, string form)
 * travel with it (identity check: bytes copied under another feed or into another bot's record
 * are refused). `value` is optional in the layout only because a tuple stores `null` as an absent slot; a
 * decoded absent value is `null`.
 */
export const StatusEntry = v.object({
  key: Name,
  botId: Name,
  value: v.optional(v.custom<JsonValue>((input) => isJson(input), 'must be plain data')),
});
/** @internal Output type of {@link StatusEntry}. */
export type StatusEntry = v.InferOutput<typeof StatusEntry>;

/**
 * The outcome of `blockExchange` / `markOpeningPosition`. When `acquired`, the caller holds the
 * lease until `expiresAt` (server clock, epoch ms) and `token` is its fencing token: pass it
 * with every write the lease protects. When not, `holder` and `expiresAt` describe the other
 * bot's lease and `token` is `null` (a token is only ever handed to its holder).
 */
export type LeaseResult =
  | {
      /** The caller holds the lease. */
      acquired: true;
      /** The caller's botId (string form). */
      holder: string;
      /** Fencing token; larger than every token issued before it. */
      token: number;
      /** When the lease ends unless renewed (server clock, epoch ms). */
      expiresAt: number;
    }
  | {
      /** Another bot holds the lease. */
      acquired: false;
      /** That bot's botId (string form). */
      holder: string;
      /** Never handed out to a non-holder. */
      token: null;
      /** When its lease ends unless renewed (server clock, epoch ms). */
      expiresAt: number;
    };

/** One live lease, as `getBlocks` and `getOpeningPositions` list them. */
export interface LeaseInfo {
  /** Exchange account id (string form). */
  exId: string;
  /** Symbol. */
  symbol: string;
  /** Holder (string form). */
  botId: string;
  /** When the lease ends unless renewed (server clock, epoch ms). */
  expiresAt: number;
  /** The lease's fencing token. */
  token: number;
}

/** A bot's status record as `getBot` / `getBots` read it. */
export interface BotStatus {
  /** Bot id (string form). */
  botId: string;
  /** When it was last updated (server clock, epoch ms). */
  updatedAt: number;
  /** Feed name → plain data, as merged by every `updateBot`. */
  data: Record<string, JsonValue>;
}
