import { isEpochMs, isNameText, MAX_NAME_LENGTH } from '@fullon/core/author';
import type { Trade } from './schema.js';

// A predicate that accepts only what the `Trade` schema accepts, decided without valibot: on
// the hot paths (pushing and draining) the schema costs about a microsecond per record.
// Anything it refuses goes through the schema, which then names the offending field.
// `fast-check.unit.test.ts` checks it agrees with the schema.

const OPTIONAL_NAMES = ['exTradeId', 'exOrderId', 'orderType'] as const;
const OPTIONAL_IDS = ['userId', 'exId'] as const;
const OPTIONAL_FINITE = [
  'curVolume',
  'curAvgPrice',
  'curAvgCost',
  'curFee',
  'roi',
  'roiPct',
  'totalFee',
] as const;

function isName(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_NAME_LENGTH &&
    isNameText(value)
  );
}

function isId(value: unknown): boolean {
  return typeof value === 'number' ? Number.isSafeInteger(value) && value >= 0 : isName(value);
}

function isNonNegative(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * The {@link Trade} rules as a plain predicate, for the hot paths (pushing and draining):
 * valibot costs about a microsecond per record. It accepts only what the schema accepts (a
 * record it refuses goes through the schema, which names the offending field).
 * @param input - Anything.
 * @returns `true` when `input` is a valid trade.
 * @internal
 */
export function isValidTrade(input: unknown): input is Trade {
  if (typeof input !== 'object' || input === null) return false;
  const t = input as Record<string, unknown>;
  if (
    !isId(t.tradeId) ||
    !isName(t.symbol) ||
    (t.side !== 'buy' && t.side !== 'sell') ||
    !isNonNegative(t.volume) ||
    !isNonNegative(t.price) ||
    !isNonNegative(t.cost) ||
    typeof t.fee !== 'number' ||
    !Number.isFinite(t.fee) ||
    !isEpochMs(t.time)
  ) {
    return false;
  }
  for (const field of OPTIONAL_NAMES) if (t[field] !== undefined && !isName(t[field])) return false;
  for (const field of OPTIONAL_IDS) if (t[field] !== undefined && !isId(t[field])) return false;
  for (const field of OPTIONAL_FINITE) {
    const value = t[field];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return false;
  }
  const leverage = t.leverage;
  return (
    leverage === undefined ||
    (typeof leverage === 'number' && Number.isFinite(leverage) && leverage > 0)
  );
}
