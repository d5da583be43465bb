import {
  type JsonValue as CoreJsonValue,
  EpochMs,
  isPlainObject,
  isWellFormed,
  Name,
  ownRecord,
} from '@fullon/core/author';
import * as v from 'valibot';

/** The process types the fullon services use; any other non-empty string is accepted too. */
export const PROCESS_TYPES = [
  'tick',
  'ohlcv',
  'bot',
  'account',
  'order',
  'bot_status_service',
  'crawler',
  'user_trades_service',
] as const;

/** A process type: one of {@link PROCESS_TYPES} or any other name (1–256 characters). */
export type ProcessType = (typeof PROCESS_TYPES)[number] | (string & {});

/** The statuses the fullon services use; any other non-empty string is accepted too. */
export const PROCESS_STATUSES = [
  'starting',
  'running',
  'processing',
  'idle',
  'error',
  'stopped',
] as const;

/**
 * A process status: one of {@link PROCESS_STATUSES} or any other name. `stopped` is special:
 * a stopped process leaves the active index.
 */
export type ProcessStatus = (typeof PROCESS_STATUSES)[number] | (string & {});

/** A JSON value: what `params` and broadcast `data` may hold (core's `JsonValue`). */
export type JsonValue = CoreJsonValue;

/** Deepest nesting accepted in a JSON value. */
const MAX_DEPTH = 32;
/** Most entries accepted in `params` or broadcast `data`. */
export const MAX_ENTRIES = 1_000;
/** Longest accepted message, in UTF-16 code units. */
export const MAX_MESSAGE_LENGTH = 10_000;

/**
 * Whether `value` is JSON-like: `null`, a boolean, a finite number, a string, an array of
 * JSON values or a plain object of them (no class instances, no `undefined`, no cycles),
 * nested at most 32 deep.
 * @param value - Anything.
 * @param depth - Current depth (internal).
 * @returns `true` when it survives a JSON round trip unchanged.
 */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (!isPlainObject(value)) return false;
  return Object.values(value).every((item) => isJsonValue(item, depth + 1));
}

/** A JSON value (see {@link isJsonValue}). */
export const JsonValue = v.custom<JsonValue>(
  (value) => isJsonValue(value),
  'must be JSON: null, a boolean, a finite number, a string, an array or a plain object, at most 32 deep',
);

/**
 * A plain object (prototype `Object.prototype` or `null`) of JSON values, at most 1 000
 * entries: `params` and broadcast `data`. Every own key is kept, `constructor` and
 * `__proto__` included (give those as own keys, e.g. from `JSON.parse`); a `Map`, array or
 * `Date` is refused.
 */
export const JsonObject = v.pipe(
  v.custom<Record<string, unknown>>(
    (value) => !isPlainObject(value) || Object.keys(value).length <= MAX_ENTRIES,
    'must have at most 1 000 entries',
  ),
  ownRecord(Name, JsonValue, 'must be a plain object'),
);
/** Output type of {@link JsonObject}. */
export type JsonObject = Record<string, JsonValue>;

/**
 * A message: any well-formed string of at most 10 000 characters. A lone UTF-16 surrogate is
 * refused as in names: it has no UTF-8 form and would be stored as U+FFFD.
 */
export const Message = v.pipe(
  v.string('must be a string'),
  v.maxLength(MAX_MESSAGE_LENGTH, 'must be at most 10 000 characters'),
  v.check(isWellFormed, 'must be well-formed text (it holds a lone UTF-16 surrogate)'),
);

/** Stored params: a plain object of (escaped) name → JSON text. */
const StoredParams = v.custom<Record<string, string>>(
  (value) => isPlainObject(value) && Object.values(value).every((t) => typeof t === 'string'),
  'must be a map of name → JSON text',
);

/** Stored broadcast data: a plain object of JSON values, keys escaped (see `names.ts`). */
const StoredData = v.custom<JsonObject>(
  (value) => isPlainObject(value) && isJsonValue(value),
  'must be a plain object of JSON values',
);

/** Options of `registerProcess`. */
export const RegisterOptions = v.object({
  params: v.optional(JsonObject),
  message: v.optional(Message),
  status: v.optional(Name),
});

/** The patch of `updateProcess`. */
export const ProcessPatch = v.object({
  status: v.optional(Name),
  message: v.optional(Message),
  params: v.optional(JsonObject),
  heartbeat: v.optional(v.boolean('must be a boolean')),
});

/**
 * A process record as stored: `params` values are JSON texts, so that the merge script can
 * move them without reading them (Lua cannot re-encode nested msgpack faithfully: an empty
 * map and an empty array are the same table there).
 */
export const StoredProcess = v.object({
  processId: Name,
  type: Name,
  component: Name,
  status: Name,
  message: Message,
  params: StoredParams,
  createdAt: EpochMs,
  updatedAt: EpochMs,
  lastSeen: EpochMs,
});
/** Output type of {@link StoredProcess}. */
export type StoredProcess = v.InferOutput<typeof StoredProcess>;

/** One registered process, as every read returns it. */
export interface ProcessRecord {
  /** Id given by `registerProcess` (a UUID). */
  processId: string;
  /** Process type, e.g. `ohlcv`. */
  type: ProcessType;
  /** What the process works on, e.g. `binance:BTC/USDT` or `ticker_daemon`. */
  component: string;
  /** Current status, e.g. `running`. */
  status: ProcessStatus;
  /** Last status message. */
  message: string;
  /** Parameters, merged shallowly by `updateProcess`. */
  params: JsonObject;
  /** When it was registered (epoch ms). */
  createdAt: number;
  /** When it was last written: registered, updated, heartbeat or stopped (epoch ms). */
  updatedAt: number;
  /** Its last sign of life: registration or heartbeat (epoch ms). Stale processes have an old one. */
  lastSeen: number;
}

/** A message sent with `broadcast` to every process of a type. */
export interface Broadcast {
  /** The process type it was sent to. */
  type: ProcessType;
  /** The message. */
  message: string;
  /** Extra data; `{}` when none was given. */
  data: JsonObject;
  /** When it was sent (epoch ms). */
  time: number;
}

/** A broadcast as stored in the message: `data` inline (no script rewrites it). */
export const StoredBroadcast = v.object({
  type: Name,
  message: Message,
  data: StoredData,
  time: EpochMs,
});
