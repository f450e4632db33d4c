import type { ServiceContext } from '../../shared/context.js';
import { invalidInput } from '../../shared/errors.js';
import { authorize } from '../../shared/policy.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as repo from './claims.repository.js';
import type { EarningSettings } from './claims.types.js';

/** A municipality's earning settings: the yearly cap per resident and the checks' thresholds. */

/** How long a process keeps a municipality's settings for claims (as the ledger's expiry policy). */
export const SETTINGS_CACHE_MS = 5000;
const settingsCaches = new WeakMap<
  object,
  Map<string, { settings: EarningSettings; readAt: number }>
>();

/**
 * The settings in force (the defaults until an admin saves some), read at most every few seconds
 * per process: every claim needs them. This process's own changes apply at once.
 */
export async function getEarningSettings(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<EarningSettings> {
  let cache = settingsCaches.get(ctx.storage);
  if (!cache) {
    cache = new Map();
    settingsCaches.set(ctx.storage, cache);
  }
  const entry = cache.get(municipalityId);
  if (entry && Date.now() - entry.readAt <= SETTINGS_CACHE_MS) return entry.settings;
  const settings = await repo.findSettings(ctx.db, municipalityId);
  cache.set(municipalityId, { settings, readAt: Date.now() });
  return settings;
}

/** The settings for staff who manage the municipality. */
export async function readEarningSettings(ctx: ServiceContext, municipalityId: string) {
  authorize(ctx, 'municipality.settings', municipalityId);
  return repo.findSettings(ctx.db, municipalityId);
}

/**
 * Saves the settings (admin). Outcomes: the settings; `invalid_input`; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function saveEarningSettings(
  ctx: ServiceContext,
  municipalityId: string,
  input: EarningSettings,
): Promise<EarningSettings> {
  authorize(ctx, 'municipality.settings', municipalityId);
  const errors = [];
  if (
    input.yearlyCapPoints !== null &&
    !(Number.isSafeInteger(input.yearlyCapPoints) && input.yearlyCapPoints > 0)
  ) {
    errors.push({
      field: '/yearlyCapPoints',
      code: 'range',
      message: 'A positive number of points, or none.',
    });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const before = await repo.findSettings(ctx.db, municipalityId);
  await inTransaction(ctx.db, async (db) => {
    await repo.saveSettings(db, {
      municipality_id: municipalityId,
      yearly_cap_points: input.yearlyCapPoints,
      new_account_days: input.newAccountDays,
      velocity_max_claims: input.velocityMaxClaims,
      velocity_window_minutes: input.velocityWindowMinutes,
      photo_max_hours_apart: input.photoMaxHoursApart,
      updated_at: ctx.clock.now().toISOString(),
    });
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'earning_settings.changed',
        subjectType: 'municipality',
        subjectId: municipalityId,
        before,
        after: input,
      },
    );
  });
  settingsCaches.get(ctx.storage)?.delete(municipalityId);
  return repo.findSettings(ctx.db, municipalityId);
}
