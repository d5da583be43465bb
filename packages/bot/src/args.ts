import { ValidationError } from '@fullon/core';
import {
  checkName,
  type Id,
  idKey,
  isPlainObject,
  optionsObject,
  signalOption,
  ttlOption,
} from '@fullon/core/author';
import type { LeaseLost } from './block-hold.js';
import { copyBotData, type JsonValue } from './schema.js';

/** Default lease TTL of blocks and opening markers: 60 s. */
const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_LEASE = String(DEFAULT_LEASE_MS);

/**
 * A lease's checked place and holder, in string form.
 * @internal
 */
export interface LeaseTarget {
  exId: string;
  symbol: string;
  botId: string;
}

/**
 * The checked arguments of `holdBlock`.
 * @internal
 */
export interface HoldArgs extends LeaseTarget {
  /** Lease TTL in ms. */
  ttlMs: number;
  signal: AbortSignal | undefined;
  onLost: ((lost: LeaseLost) => void) | undefined;
}

/**
 * Checks an optional boolean option.
 * @internal
 * @returns The value, `false` when absent.
 * @throws {ValidationError} naming `field` when it is not a boolean.
 */
function flag(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new ValidationError(field, `${field}: must be a boolean`);
  return value;
}

/**
 * Checks an optional fencing token.
 * @returns The token, or `undefined` when absent.
 * @throws {ValidationError} naming `field` when it is not a whole number ≥ 1.
 */
function tokenOption(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(field, `${field}: must be a token from a lease (a whole number ≥ 1)`);
  }
  return value;
}

/** Checks `exId`, `symbol` and `botId`, in that order. */
function leaseTarget(exId: Id, symbol: string, botId: Id): LeaseTarget {
  return {
    exId: idKey(exId, 'exId'),
    symbol: checkName(symbol, 'symbol'),
    botId: idKey(botId, 'botId'),
  };
}

/**
 * Checks the arguments of `blockExchange` / `markOpeningPosition`.
 * @internal
 * @returns The target, the TTL (ms, as sent) and `force`.
 * @throws {ValidationError} naming the first bad argument or option.
 */
export function acquireArgs(
  exId: Id,
  symbol: string,
  botId: Id,
  options: unknown,
): LeaseTarget & { ttl: string; force: boolean } {
  const target = leaseTarget(exId, symbol, botId);
  const opts = optionsObject(options);
  const ttl = opts.ttlMs === undefined ? DEFAULT_LEASE : String(ttlOption(opts.ttlMs, 0));
  return { ...target, ttl, force: flag(opts.force, 'force') };
}

/**
 * Checks the arguments of `renewBlock`.
 * @internal
 * @returns The target, the TTL (ms, as sent) and the expected token.
 * @throws {ValidationError} naming the first bad argument or option.
 */
export function renewArgs(
  exId: Id,
  symbol: string,
  botId: Id,
  options: unknown,
): LeaseTarget & { ttl: string; token: number | undefined } {
  const target = leaseTarget(exId, symbol, botId);
  const opts = optionsObject(options);
  const ttl = String(ttlOption(opts.ttlMs, DEFAULT_LEASE_MS));
  return { ...target, ttl, token: tokenOption(opts.token, 'token') };
}

/**
 * Checks the arguments of `unblockExchange` / `unmarkOpeningPosition`: the options sit in the
 * botId place (`(exId, symbol, options?)`) or after it (`(exId, symbol, botId, options?)`).
 * @internal
 * @returns The place, and the holder and token the release requires (`undefined` for a forced
 *   release: whoever holds it).
 * @throws {ValidationError} naming the first bad argument or option, or `botId` when neither a
 *   botId nor `force: true` is given.
 */
export function releaseArgs(
  exId: Id,
  symbol: string,
  botIdOrOptions: unknown,
  options: unknown,
): { exId: string; symbol: string; holder: string | undefined; token: number | undefined } {
  const ex = idKey(exId, 'exId');
  const sym = checkName(symbol, 'symbol');
  // Only a plain object in the botId place is the options; an array, Map or Date is a botId
  // of the wrong type and is named as such.
  const givenOptions = isPlainObject(botIdOrOptions);
  const bot =
    givenOptions || botIdOrOptions === undefined ? undefined : idKey(botIdOrOptions, 'botId');
  const opts = optionsObject(givenOptions ? botIdOrOptions : options);
  const force = flag(opts.force, 'force');
  const token = tokenOption(opts.token, 'token');
  if (bot === undefined && !force) {
    throw new ValidationError(
      'botId',
      'botId: give the holder, or { force: true } to release whoever holds it',
    );
  }
  return {
    exId: ex,
    symbol: sym,
    holder: force ? undefined : bot,
    token: force ? undefined : token,
  };
}

/**
 * Checks the arguments of `holdBlock`.
 * @internal
 * @returns The target, the TTL in ms, the signal and `onLost`.
 * @throws {ValidationError} naming the first bad argument or option.
 */
export function holdArgs(exId: Id, symbol: string, botId: Id, options: unknown): HoldArgs {
  const target = leaseTarget(exId, symbol, botId);
  const opts = optionsObject(options);
  const ttlMs = ttlOption(opts.ttlMs, DEFAULT_LEASE_MS);
  const { onLost } = opts;
  const signal = signalOption(opts.signal);
  if (onLost !== undefined && typeof onLost !== 'function') {
    throw new ValidationError('onLost', 'onLost: must be a function');
  }
  return { ...target, ttlMs, signal, onLost: onLost as ((lost: LeaseLost) => void) | undefined };
}

/**
 * Checks the arguments of `updateBot`; the data is copied, never kept.
 * @internal
 * @returns The botId (string form), the copied data and `replace`.
 * @throws {ValidationError} naming `botId`, the offending data path, or `replace`.
 */
export function updateBotArgs(
  botId: Id,
  data: unknown,
  options: unknown,
): { botId: string; data: Record<string, JsonValue>; replace: boolean } {
  const bot = idKey(botId, 'botId');
  const copy = copyBotData(data);
  return { botId: bot, data: copy, replace: flag(optionsObject(options).replace, 'replace') };
}
