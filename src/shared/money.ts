/** Points and euro cents are integers; these guards keep floats out of every amount. */

export function isWholeAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The euro value, in cents, of an amount of points at a municipality's point value. */
export function pointsToCents(points: number, pointValueCents: number): number {
  const cents = points * pointValueCents;
  if (!Number.isSafeInteger(cents)) throw new RangeError('amount out of range');
  return cents;
}
