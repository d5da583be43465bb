import { isEpochMs, isNameText, MAX_NAME_LENGTH } from '@fullon/core/author';
import type { Balance, Position, PositionInput, StoredBalance } from './schema.js';

// Hand-written checks of the common valid case, for hot paths: valibot decides everything
// else (and writes the messages). Each must accept nothing its schema rejects.

const isName = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length > 0 &&
  value.length <= MAX_NAME_LENGTH &&
  isNameText(value);
const isId = (value: unknown): boolean =>
  isName(value) || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
const finite = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const optionalFinite = (value: unknown): boolean => value === undefined || finite(value);

/**
 * @returns The balance (unknown properties dropped) when `input` is plainly valid, else
 *   `undefined` (let the schema decide and name the field).
 * @internal
 */
export function fastBalance(input: unknown): Balance | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { total, free, used } = input as Record<string, unknown>;
  return finite(total) && finite(free) && finite(used) ? { total, free, used } : undefined;
}

/**
 * @returns Whether a decoded balance holds (the layout already checked slot types).
 * @internal
 */
export function validStoredBalance(b: StoredBalance): boolean {
  return (
    isName(b.currency) && finite(b.total) && finite(b.free) && finite(b.used) && isName(b.exId)
  );
}

function validPositionFields(p: Record<string, unknown>): boolean {
  return (
    isName(p.symbol) &&
    finite(p.volume) &&
    finite(p.price) &&
    p.price >= 0 &&
    optionalFinite(p.cost) &&
    optionalFinite(p.fee) &&
    (p.count === undefined || (finite(p.count) && p.count >= 0)) &&
    (p.time === undefined || isEpochMs(p.time))
  );
}

/**
 * @returns The position (unknown properties dropped, absent fields left out) when `input` is
 *   plainly valid, else `undefined` (let the schema decide and name the field).
 * @internal
 */
export function fastPosition(input: unknown): PositionInput | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const p = input as Record<string, unknown>;
  if (!validPositionFields(p) || (p.exId !== undefined && !isId(p.exId))) return undefined;
  const out: Record<string, unknown> = { symbol: p.symbol, volume: p.volume, price: p.price };
  if (p.cost !== undefined) out.cost = p.cost;
  if (p.fee !== undefined) out.fee = p.fee;
  if (p.count !== undefined) out.count = p.count;
  if (p.time !== undefined) out.time = p.time;
  if (p.exId !== undefined) out.exId = p.exId;
  return out as PositionInput;
}

/**
 * @returns Whether a decoded position holds (the layout already checked slot types).
 * @internal
 */
export function validStoredPosition(p: Position): boolean {
  return validPositionFields(p as unknown as Record<string, unknown>) && isId(p.exId);
}
