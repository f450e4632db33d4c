/**
 * Points expiry, pure rules. A lot is what one wallet earned on one day: it expires as a whole,
 * N months later (the municipality's policy), or never. Spending takes from the lot that expires
 * first; points that never expire go last.
 */

export interface LotState {
  id: string;
  municipalityId: string;
  accountId: string;
  expiresAt: string | null;
  remaining: number;
}

/** Points a hold took from one lot, to give back if the hold is voided or posted in part. */
export interface Reservation {
  lotId: string;
  amount: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * When points earned at `earnedAt` expire: at the end of the same calendar day (UTC) `months`
 * later, the day clamped to the month's last (31 January + 1 month → end of 28/29 February).
 */
export function lotExpiry(earnedAt: Date, months: number | null): string | null {
  if (months === null) return null;
  const year = earnedAt.getUTCFullYear();
  const month = earnedAt.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(earnedAt.getUTCDate(), lastDay);
  return new Date(Date.UTC(year, month, day) + DAY_MS).toISOString();
}

/** The lot a wallet's points earned with this expiry go into. */
export function lotIdFor(accountId: string, expiresAt: string | null): string {
  return `lot:${accountId}:${expiresAt ? expiresAt.slice(0, 10) : 'never'}`;
}

/** Lots in the order spending takes from them: first to expire first, never-expiring last. */
export function spendingOrder(a: LotState, b: LotState): number {
  if (a.expiresAt === b.expiresAt) return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  if (a.expiresAt === null) return 1;
  if (b.expiresAt === null) return -1;
  return a.expiresAt < b.expiresAt ? -1 : 1;
}

export function isDue(lot: LotState, now: string): boolean {
  return lot.expiresAt !== null && lot.remaining > 0 && now >= lot.expiresAt;
}
