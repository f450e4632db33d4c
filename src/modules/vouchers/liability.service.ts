import { monthOf } from '../../shared/calendar.js';
import type { ServiceContext } from '../../shared/context.js';
import type { LocalizedText } from '../../shared/locales.js';
import { authorize } from '../../shared/policy.js';
import { findRewardsByIds } from '../catalog/rewards.service.js';
import { expiringPointsByDay, walletBalancesFromOtherAccounts } from '../ledger/ledger.figures.js';
import { partnerNamesByIds } from '../partners/partner-sites.service.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import * as repo from './settlement.repository.js';
import { spendingSettingsOf } from './spending-settings.service.js';

/**
 * What the municipality's outstanding points would cost: the points residents hold (spendable and
 * set aside for open vouchers) at the point value, what it owes partners for vouchers redeemed
 * and not yet paid, open vouchers by reward, what expires when, how many vouchers get used, and a
 * warning when the total passes the budget the municipality set.
 */

export interface Liability {
  pointValueCents: number;
  /** Points residents can spend now, and points set aside for open vouchers. */
  spendablePoints: number;
  heldPoints: number;
  /** Cents: residents' points at the point value, plus what is owed to partners. */
  residentsCents: number;
  owedToPartnersCents: number;
  totalCents: number;
  budgetCents: number | null;
  overBudget: boolean;
  openVouchers: {
    rewardId: string;
    names: LocalizedText;
    count: number;
    points: number;
    cents: number;
  }[];
  owedToPartners: {
    partnerId: string;
    name: string | null;
    redemptions: number;
    points: number;
    cents: number;
  }[];
  /** Residents' points and open vouchers that expire, by month (YYYY-MM), soonest first. */
  expiring: { month: string; points: number; vouchers: number; voucherPoints: number }[];
  /** Of the vouchers bought in the last 12 months that are no longer open, the share redeemed. */
  redemptionRate: number | null;
  vouchersLastYear: { redeemed: number; expired: number; cancelled: number; open: number };
}

/** The municipality's liability (admin, finance, analyst). */
export async function getLiability(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<Liability> {
  authorize(ctx, 'liability.read', municipalityId);
  const municipality = (await findMunicipalityById(ctx, municipalityId))!;
  const value = municipality.pointValueCents;
  const { held, spendable } = await walletBalancesFromOtherAccounts(ctx, municipalityId);
  const owed = await repo.owedByPartner(ctx.db, municipalityId);
  const owedCents = owed.reduce((sum, row) => sum + row.cents, 0);
  // Their names in one query (not one per partner owed).
  const names = await partnerNamesByIds(
    ctx,
    owed.map((row) => row.partnerId),
  );
  const residentsCents = (spendable + held) * value;
  const total = residentsCents + owedCents;
  const settings = await spendingSettingsOf(ctx.db, municipalityId);
  const open = await repo.openVouchersByReward(ctx.db, municipalityId);
  const rewards = await findRewardsByIds(
    ctx,
    open.map((row) => row.rewardId),
  );
  const expiring = new Map<string, { points: number; vouchers: number; voucherPoints: number }>();
  const bucket = (at: string) => {
    const month = monthOf(new Date(at));
    let entry = expiring.get(month);
    if (!entry) {
      entry = { points: 0, vouchers: 0, voucherPoints: 0 };
      expiring.set(month, entry);
    }
    return entry;
  };
  for (const day of await expiringPointsByDay(ctx, municipalityId))
    bucket(day.expiresAt).points += day.points;
  for (const day of await repo.openVouchersByExpiry(ctx.db, municipalityId)) {
    if (day.expiresAt === null) continue;
    const entry = bucket(day.expiresAt);
    entry.vouchers += day.count;
    entry.voucherPoints += day.points;
  }
  const yearAgo = new Date(ctx.clock.now().getTime() - 365 * 86_400_000).toISOString();
  const outcomes = await repo.voucherOutcomesSince(ctx.db, municipalityId, yearAgo);
  const lastYear = {
    redeemed: outcomes.redeemed ?? 0,
    expired: outcomes.expired ?? 0,
    cancelled: outcomes.cancelled ?? 0,
    open: outcomes.issued ?? 0,
  };
  const ended = lastYear.redeemed + lastYear.expired + lastYear.cancelled;
  return {
    pointValueCents: value,
    spendablePoints: spendable,
    heldPoints: held,
    residentsCents,
    owedToPartnersCents: owedCents,
    totalCents: total,
    budgetCents: settings.liabilityBudgetCents,
    overBudget: settings.liabilityBudgetCents !== null && total > settings.liabilityBudgetCents,
    openVouchers: open
      .map((row) => ({
        rewardId: row.rewardId,
        names: rewards.get(row.rewardId)?.names ?? { nl: '', fr: '', de: '', en: '' },
        count: row.count,
        points: row.points,
        cents: row.cents,
      }))
      .sort((a, b) => b.points - a.points),
    owedToPartners: owed.map((row) => ({
      partnerId: row.partnerId,
      name: names.get(row.partnerId) ?? null,
      redemptions: row.count,
      points: row.points,
      cents: row.cents,
    })),
    expiring: [...expiring.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, entry]) => ({ month, ...entry })),
    redemptionRate: ended === 0 ? null : lastYear.redeemed / ended,
    vouchersLastYear: lastYear,
  };
}
