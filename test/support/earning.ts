import type { FastifyInstance } from 'fastify';
import { createActivity } from '../../src/modules/catalog/catalog.service.js';
import type { Activity, ActivityTerms } from '../../src/modules/catalog/catalog.types.js';
import {
  DEFAULT_EARNING_SETTINGS,
  type EarningSettings,
} from '../../src/modules/claims/claims.types.js';
import { saveEarningSettings } from '../../src/modules/claims/earning-settings.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { activityTerms } from './activity-terms.js';
import { testContext } from './server.js';

export { activityTerms };

/** Factories for the earning side: activity terms, activities, earning settings. */

/** An activity in the municipality, made as the CLI would. */
export async function makeActivity(
  app: FastifyInstance,
  slug: string,
  code: string,
  overrides: Partial<ActivityTerms> = {},
): Promise<Activity> {
  const ctx = { ...testContext(app), actor: { kind: 'operator_cli' as const } };
  const municipality = await getMunicipality(ctx, slug);
  return createActivity(ctx, municipality.id, { code, terms: activityTerms(overrides) });
}

/** Saves earning settings (default: no new-account flag, so fresh test residents are not flagged). */
export async function setEarningSettings(
  app: FastifyInstance,
  slug: string,
  settings: Partial<EarningSettings> = {},
): Promise<void> {
  const ctx = { ...testContext(app), actor: { kind: 'operator_cli' as const } };
  const municipality = await getMunicipality(ctx, slug);
  await saveEarningSettings(ctx, municipality.id, {
    ...DEFAULT_EARNING_SETTINGS,
    newAccountDays: 0,
    ...settings,
  });
}
