import type { ServiceContext } from '../../shared/context.js';
import { authorize } from '../../shared/policy.js';
import type { Db } from '../../storage/database.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as repo from './vouchers.repository.js';

/**
 * A municipality's spending settings: the liability budget (the dashboard warns when the points
 * in circulation are worth more) and what one offline till may accept before it syncs.
 */

export interface SpendingSettings {
  /** Warn when the points in circulation are worth more than this (cents); null: no budget. */
  liabilityBudgetCents: number | null;
  /** An offline till accepts at most this many vouchers before it is back online… */
  offlineMaxCount: number;
  /** …worth at most this much in all (cents). */
  offlineMaxValueCents: number;
}

export const DEFAULT_SPENDING_SETTINGS: SpendingSettings = {
  liabilityBudgetCents: null,
  offlineMaxCount: 20,
  offlineMaxValueCents: 20_000,
};

/** The settings in force (the defaults until an admin saves some). */
export async function spendingSettingsOf(
  db: Db,
  municipalityId: string,
): Promise<SpendingSettings> {
  const row = await repo.findSpendingSettings(db, municipalityId);
  if (!row) return { ...DEFAULT_SPENDING_SETTINGS };
  return {
    liabilityBudgetCents:
      row.liability_budget_cents === null ? null : Number(row.liability_budget_cents),
    offlineMaxCount: row.offline_max_count,
    offlineMaxValueCents: Number(row.offline_max_value_cents),
  };
}

/** The settings for the municipality's admins. */
export async function readSpendingSettings(ctx: ServiceContext, municipalityId: string) {
  authorize(ctx, 'municipality.settings', municipalityId);
  return spendingSettingsOf(ctx.db, municipalityId);
}

/**
 * Saves the settings (admin; the schema checks the ranges). Outcomes: the settings;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function saveSpendingSettings(
  ctx: ServiceContext,
  municipalityId: string,
  input: SpendingSettings,
): Promise<SpendingSettings> {
  authorize(ctx, 'municipality.settings', municipalityId);
  const before = await spendingSettingsOf(ctx.db, municipalityId);
  await inTransaction(ctx.db, async (db) => {
    await repo.saveSpendingSettings(db, {
      municipality_id: municipalityId,
      liability_budget_cents: input.liabilityBudgetCents,
      offline_max_count: input.offlineMaxCount,
      offline_max_value_cents: input.offlineMaxValueCents,
      updated_at: ctx.clock.now().toISOString(),
    });
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'spending_settings.changed',
        subjectType: 'municipality',
        subjectId: municipalityId,
        before: { ...before },
        after: { ...input },
      },
    );
  });
  return spendingSettingsOf(ctx.db, municipalityId);
}
