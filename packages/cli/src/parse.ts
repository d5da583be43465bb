import { InvalidArgumentError } from 'commander';

/**
 * Parses a whole number ≥ 0 given on the command line (a usage error otherwise).
 * @param value - The text.
 * @returns The number.
 * @throws {InvalidArgumentError} when it is not a whole number ≥ 0.
 */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError('must be a whole number ≥ 0');
  }
  return n;
}

/**
 * Parses a whole number ≥ 1.
 * @param value - The text.
 * @returns The number.
 * @throws {InvalidArgumentError} when it is not a whole number ≥ 1.
 */
export function positive(value: string): number {
  const n = wholeNumber(value);
  if (n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}
