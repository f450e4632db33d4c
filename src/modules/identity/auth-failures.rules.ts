/**
 * Pure rules of the increasing delay after repeated failed sign-ins (bad or forged links,
 * passkeys, API keys, verification codes): the first few failures cost nothing, then each one
 * doubles the wait before the next attempt is heard, up to a ceiling; a quiet spell forgets them.
 */

export const FREE_FAILURES = 5;
export const MAX_DELAY_SECONDS = 15 * 60;
export const FORGET_AFTER_MS = 60 * 60 * 1000;

/** Seconds to wait after the `failures`-th failure in a row. */
export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS);
}

/** The failure count after one more failure at `now`, given the last one (forgotten when old). */
export function nextFailureCount(
  previous: { failures: number; lastFailureAt: string } | undefined,
  now: Date,
): number {
  if (!previous || now.getTime() - Date.parse(previous.lastFailureAt) > FORGET_AFTER_MS) return 1;
  return previous.failures + 1;
}
