import { TendFailure } from '../../src-shared/tend-failure';

/**
 * Parses a whole-number option within its range, or says which option is wrong and what it
 * takes, in the person's words rather than a schema's ("--hot must be a whole number from 1 to
 * 3650, not abc"). An option not given stays undefined.
 */
export function wholeOption(
  value: string | undefined,
  name: string,
  range: { min: number; max?: number },
): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  const inRange =
    Number.isInteger(number) &&
    number >= range.min &&
    (range.max === undefined || number <= range.max);
  if (!inRange) {
    const takes =
      range.max === undefined
        ? `a whole number of ${range.min} or more`
        : `a whole number from ${range.min} to ${range.max}`;
    throw new TendFailure('INVALID_INPUT', `${name} must be ${takes}, not ${value}.`);
  }
  return number;
}

/** Checks an option that takes one of a few words, or names them all. */
export function oneOfOption<T extends string>(
  value: string,
  name: string,
  allowed: ReadonlyArray<T>,
): T {
  const found = allowed.find((word) => word === value);
  if (found === undefined) {
    const words = `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1] ?? ''}`;
    throw new TendFailure('INVALID_INPUT', `${name} must be ${words}, not ${value}.`);
  }
  return found;
}
