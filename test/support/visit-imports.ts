import type { FastifyInstance } from 'fastify';
import { createActivity } from '../../src/modules/catalog/catalog.service.js';
import type { Activity, ActivityTerms } from '../../src/modules/catalog/catalog.types.js';
import { DEFAULT_EARNING_SETTINGS } from '../../src/modules/claims/claims.types.js';
import { saveEarningSettings } from '../../src/modules/claims/earning-settings.service.js';
import {
  createHouseholdFor,
  joinHouseholdFor,
} from '../../src/modules/identity/households.service.js';
import { registerResident } from '../../src/modules/identity/identity.service.js';
import type { Resident } from '../../src/modules/identity/identity.types.js';
import { createPartner } from '../../src/modules/partners/partners.service.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import type { ServiceContext } from '../../src/shared/context.js';
import { activityTerms } from './earning.js';
import { createMunicipality } from './factories.js';
import { testContext } from './server.js';

/**
 * A municipality set up for visit imports: a recycling centre, one import activity per waste
 * stream the visits-csv generator writes (test/support/visits-csv.ts), residents (some sharing
 * households) and earning settings; made through the services, as the CLI would.
 */

export const GENERATED_STREAMS = [
  'paper',
  'glass',
  'green',
  'wood',
  'metal',
  'plastic_film',
  'textile',
  'weee',
] as const;

export interface VisitWorld {
  ctx: ServiceContext;
  municipalityId: string;
  slug: string;
  partner: Partner;
  residents: Resident[];
  /** Activity per stream. */
  activities: Map<string, Activity>;
}

export interface VisitWorldOptions {
  residents: number;
  /** Residents in households of two, the first `inHouseholds` of them. */
  inHouseholds?: number;
  /** Terms of each stream's activity on top of the import defaults (1 point per kg, max 100). */
  terms?: (stream: string) => Partial<ActivityTerms>;
  yearlyCapPoints?: number | null;
}

/** Builds the world in the app's database. */
export async function makeVisitWorld(
  app: FastifyInstance,
  options: VisitWorldOptions,
): Promise<VisitWorld> {
  const ctx = { ...testContext(app), actor: { kind: 'operator_cli' as const } };
  const municipality = await createMunicipality(ctx);
  const partner = await createPartner(ctx, municipality.id, {
    name: 'Recyclagepark',
    kind: 'recycling_centre',
  });
  const activities = new Map<string, Activity>();
  for (const stream of GENERATED_STREAMS) {
    activities.set(
      stream,
      await createActivity(ctx, municipality.id, {
        code: `recycling-${stream.replace('_', '-')}`,
        terms: activityTerms({
          category: 'waste',
          points: { mode: 'per_unit', unit: 'kg', pointsPerUnit: 1, maxPointsPerClaim: 100 },
          verificationMethods: ['import'],
          partnerKind: 'recycling_centre',
          impactKey: stream,
          ...options.terms?.(stream),
        }),
      }),
    );
  }
  await saveEarningSettings(ctx, municipality.id, {
    ...DEFAULT_EARNING_SETTINGS,
    newAccountDays: 0,
    yearlyCapPoints: options.yearlyCapPoints ?? null,
  });
  const residents: Resident[] = [];
  for (let i = 0; i < options.residents; i++) {
    residents.push(
      await registerResident(ctx, { email: null, municipalityId: municipality.id, locale: 'nl' }),
    );
  }
  for (let i = 0; i + 1 < (options.inHouseholds ?? 0); i += 2) {
    const member = (r: Resident) => ({ residentId: r.id, municipalityId: municipality.id });
    const household = await createHouseholdFor(ctx, member(residents[i]!), {
      address: `Markt ${i + 1}`,
    });
    await joinHouseholdFor(ctx, member(residents[i + 1]!), { inviteCode: household.inviteCode });
  }
  return {
    ctx,
    municipalityId: municipality.id,
    slug: municipality.slug,
    partner,
    residents,
    activities,
  };
}
