import { registerResident } from '../modules/identity/identity.service.js';
import type { Resident } from '../modules/identity/identity.types.js';
import {
  createTransfers,
  ensureSystemAccounts,
  openAccount,
} from '../modules/ledger/ledger.service.js';
import { householdsFromPopulation } from '../modules/tenancy/tenancy.rules.js';
import {
  configureRegion,
  findRegion,
  upsertMunicipality,
} from '../modules/tenancy/tenancy.service.js';
import type { Municipality } from '../modules/tenancy/tenancy.types.js';
import type { ServiceContext } from '../shared/context.js';
import { DomainError } from '../shared/errors.js';
import { inTransaction } from '../storage/transaction.js';
import { readBelgianMunicipalities } from './belgian-municipalities.js';

/**
 * The demo region: three real municipalities in Limburg, the province where e-portemonnee ran.
 * Marked as a demo everywhere it shows; no municipality endorses it.
 */

export const DEMO_REGION = {
  slug: 'demo-limburg',
  names: {
    nl: 'Demoregio Noord-Limburg',
    fr: 'Région de démonstration Limbourg du Nord',
    de: 'Demoregion Nord-Limburg',
    en: 'North Limburg demo region',
  },
  demo: true,
} as const;

/** NIS code and slug of each demo municipality. */
export const DEMO_MUNICIPALITIES = [
  { nis: '72043', slug: 'pelt' },
  { nis: '72020', slug: 'lommel' },
  { nis: '72037', slug: 'hamont-achel' },
] as const;

/** What one demo point is worth: 1 euro cent, so 500 points buy a €5 discount. */
export const DEMO_POINT_VALUE_CENTS = 1;

/** Demo points expire two years after they were earned. */
export const DEMO_POINTS_EXPIRY_MONTHS = 24;

export interface DemoSeedResult {
  municipalities: Municipality[];
  residents: Resident[];
}

/** Each demo municipality has one demo resident with some points to try things with. */
export const DEMO_WELCOME_POINTS = 250;

/** The demo resident's address (the .invalid domain can never receive mail). */
export function demoResidentEmail(slug: string): string {
  return `resident.${slug}@demo.civicpoints.invalid`;
}

/**
 * Creates the demo region or brings it back to its demo state; running it twice changes nothing.
 * Refuses (`seed_demo_on_live_region`) when the database holds a real region.
 */
export async function seedDemo(ctx: ServiceContext): Promise<DemoSeedResult> {
  const places = await readBelgianMunicipalities(DEMO_MUNICIPALITIES.map((m) => m.nis));
  return inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const existing = await findRegion(tx);
    if (existing && !existing.demo) {
      throw new DomainError(
        'seed_demo_on_live_region',
        'conflict',
        'This database holds a real region; the demo is only seeded into an empty or demo database.',
      );
    }
    await configureRegion(tx, DEMO_REGION);
    const municipalities = [];
    for (const [index, place] of places.entries()) {
      municipalities.push(
        await upsertMunicipality(tx, {
          slug: DEMO_MUNICIPALITIES[index]!.slug,
          nisCode: place.nis,
          // Place names in Limburg are Dutch; German and English use them as they are.
          names: { nl: place.nameNl, fr: place.nameFr, de: place.nameNl, en: place.nameNl },
          defaultLocale: 'nl',
          registeredHouseholds: householdsFromPopulation(place.population),
          pointValueCents: DEMO_POINT_VALUE_CENTS,
          pointsExpiryMonths: DEMO_POINTS_EXPIRY_MONTHS,
          boundary: place.geometry,
        }),
      );
    }
    const residents = [];
    for (const municipality of municipalities) {
      const { issuance } = await ensureSystemAccounts(tx, municipality.id);
      const resident = await registerResident(tx, {
        email: demoResidentEmail(municipality.slug),
        municipalityId: municipality.id,
        locale: 'nl',
      });
      const wallet = await openAccount(tx, {
        municipalityId: municipality.id,
        kind: 'wallet',
        ownerId: resident.id,
      });
      // A fixed id, so seeding again finds the transfer and changes nothing.
      await createTransfers(tx, [
        {
          id: `demo.welcome.${municipality.slug}`,
          municipalityId: municipality.id,
          debitAccountId: issuance.id,
          creditAccountId: wallet.id,
          amount: DEMO_WELCOME_POINTS,
          code: 'earn',
          reference: 'demo:welcome',
        },
      ]);
      residents.push(resident);
    }
    return { municipalities, residents };
  });
}

/** True when the database has no region yet, i.e. nothing was ever set up. */
export async function isEmpty(ctx: ServiceContext): Promise<boolean> {
  return (await findRegion(ctx)) === undefined;
}
