// `.js` so that test/web (NodeNext resolution) can import this file too.
import { calendarDay } from '../earn/earnRules.js';
import {
  REWARD_CATEGORIES,
  type Reward,
  type RewardCategory,
  type RewardKind,
  type Voucher,
} from './spendTypes.js';

/**
 * Pure rules of the resident's spending pages: which rewards a filter shows, whether one can be
 * bought and afforded now, how vouchers are ordered. They explain and suggest; the API decides.
 */

/** Whether buying the reward issues a voucher to show at a till (not a tax reduction or gift). */
export function issuesVoucher(kind: RewardKind): boolean {
  return kind === 'facility_item' || kind === 'merchant_discount';
}

/** Why a reward cannot be bought now, or null when it can (as far as the page can tell). */
export function unavailableReason(
  reward: Pick<Reward, 'status' | 'validFrom' | 'validUntil' | 'stockLeft'>,
  now: Date,
): 'archived' | 'notYet' | 'over' | 'soldOut' | null {
  if (reward.status !== 'active') return 'archived';
  if (reward.validFrom && new Date(reward.validFrom) > now) return 'notYet';
  if (reward.validUntil && new Date(reward.validUntil) <= now) return 'over';
  if (reward.stockLeft !== null && reward.stockLeft <= 0) return 'soldOut';
  return null;
}

/** The points still missing to buy the reward (0: the resident can afford it). */
export function pointsShort(reward: Pick<Reward, 'pricePoints'>, balance: number): number {
  return Math.max(0, reward.pricePoints - balance);
}

/** The "where" filter: every place, only rewards that need no place, or one partner. */
export type WhereFilter = 'all' | 'none' | { partnerId: string };
export type WhatFilter = 'all' | RewardCategory;

/** The categories the rewards fall in, in the catalogue's order. */
export function categoriesOf(rewards: readonly Pick<Reward, 'category'>[]): RewardCategory[] {
  const present = new Set(rewards.map((reward) => reward.category));
  return REWARD_CATEGORIES.filter((category) => present.has(category));
}

export interface PlaceOption {
  partnerId: string;
  name: string;
  municipalityId: string;
}

/** Every partner where one of the rewards is used, once, by name. */
export function placesOf(rewards: readonly Pick<Reward, 'places'>[]): PlaceOption[] {
  const byId = new Map<string, PlaceOption>();
  for (const reward of rewards) {
    for (const place of reward.places) {
      if (!byId.has(place.partnerId)) {
        byId.set(place.partnerId, {
          partnerId: place.partnerId,
          name: place.name,
          municipalityId: place.municipalityId,
        });
      }
    }
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether any reward needs no place at all (a tax reduction, a donation). */
export function someNeedNoPlace(rewards: readonly Pick<Reward, 'kind'>[]): boolean {
  return rewards.some((reward) => !issuesVoucher(reward.kind));
}

/** The rewards a "what" and a "where" choice show, in the API's order (cheapest first). */
export function filterRewards<T extends Pick<Reward, 'category' | 'kind' | 'places'>>(
  rewards: readonly T[],
  what: WhatFilter,
  where: WhereFilter,
): T[] {
  return rewards.filter((reward) => {
    if (what !== 'all' && reward.category !== what) return false;
    if (where === 'all') return true;
    if (where === 'none') return !issuesVoucher(reward.kind);
    return reward.places.some((place) => place.partnerId === where.partnerId);
  });
}

/** Reads the filter from the address (`?what=energy&where=ptn_…`); unknown values show all. */
export function readFilters(
  params: URLSearchParams,
  categories: readonly RewardCategory[],
  partnerIds: readonly string[],
): { what: WhatFilter; where: WhereFilter } {
  const what = params.get('what');
  const where = params.get('where');
  return {
    what:
      what && (categories as readonly string[]).includes(what) ? (what as RewardCategory) : 'all',
    where:
      where === 'none'
        ? 'none'
        : where && partnerIds.includes(where)
          ? { partnerId: where }
          : 'all',
  };
}

/** The value a "where" filter has in the address and in the select. */
export function whereValue(where: WhereFilter): string {
  return typeof where === 'string' ? where : where.partnerId;
}

/** The day (YYYY-MM-DD, Brussels) a voucher bought at `now` can last be used, or null. */
export function validUntilDay(reward: Pick<Reward, 'validityDays'>, now: Date): string | null {
  if (reward.validityDays === null) return null;
  return calendarDay(new Date(now.getTime() + reward.validityDays * 86_400_000));
}

/** Open vouchers first (the one that expires soonest on top), then the others, newest first. */
export function orderVouchers<T extends Pick<Voucher, 'status' | 'expiresAt' | 'issuedAt'>>(
  vouchers: readonly T[],
): { open: T[]; earlier: T[] } {
  const open = vouchers
    .filter((voucher) => voucher.status === 'issued')
    .sort(
      (a, b) =>
        Date.parse(a.expiresAt ?? '9999-12-31T00:00:00Z') -
        Date.parse(b.expiresAt ?? '9999-12-31T00:00:00Z'),
    );
  const earlier = vouchers
    .filter((voucher) => voucher.status !== 'issued')
    .sort((a, b) => Date.parse(b.issuedAt) - Date.parse(a.issuedAt));
  return { open, earlier };
}

/** When a reached purchase limit lets the resident buy again (from the API's `resetsAt`). */
export type PurchaseReset =
  | { kind: 'date'; date: string }
  | { kind: 'never' }
  | { kind: 'unknown' };

export function purchaseReset(details: Record<string, unknown>): PurchaseReset {
  if (!('resetsAt' in details)) return { kind: 'unknown' };
  const resetsAt = details.resetsAt;
  if (resetsAt === null) return { kind: 'never' };
  if (typeof resetsAt === 'string' && !Number.isNaN(Date.parse(resetsAt))) {
    return { kind: 'date', date: calendarDay(resetsAt) };
  }
  return { kind: 'unknown' };
}

/** A fresh id for one purchase confirmation, so a retry after a dropped answer never buys twice. */
export function newClientPurchaseId(): string {
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Whether a text is a clientPurchaseId the API accepts. */
export function isClientPurchaseId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{8,64}$/.test(value);
}
