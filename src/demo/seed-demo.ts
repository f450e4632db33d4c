import { findEarner } from '../modules/identity/earners.service.js';
import { createHouseholdFor } from '../modules/identity/households.service.js';
import { registerResident } from '../modules/identity/identity.service.js';
import type { Resident, User } from '../modules/identity/identity.types.js';
import { provisionActiveUser } from '../modules/identity/users.service.js';
import {
  createTransfers,
  ensureSystemAccounts,
  openAccount,
} from '../modules/ledger/ledger.service.js';
import {
  addLocation,
  createPartner,
  findPartnerByName,
} from '../modules/partners/partners.service.js';
import type { Partner } from '../modules/partners/partners.types.js';
import { householdsFromPopulation } from '../modules/tenancy/tenancy.rules.js';
import {
  configureRegion,
  findRegion,
  upsertMunicipality,
} from '../modules/tenancy/tenancy.service.js';
import type { Municipality } from '../modules/tenancy/tenancy.types.js';
import type { ServiceContext } from '../shared/context.js';
import { DomainError } from '../shared/errors.js';
import type { PartnerKind, PartnerRole, StaffRole } from '../shared/roles.js';
import { STAFF_ROLES } from '../shared/roles.js';
import { inTransaction } from '../storage/transaction.js';
import { readBelgianMunicipalities } from './belgian-municipalities.js';
import { seedDemoCatalogue } from './demo-catalogue.js';
import { seedDemoReportCategories } from './demo-report-categories.js';
import { seedDemoRewards } from './demo-rewards.js';
import { seedDemoTasks } from './demo-tasks.js';

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
  /** Staff of every role per municipality, the operator admin, and the partners' users. */
  users: User[];
  partners: Partner[];
}

/**
 * Each demo municipality has one demo resident, in a demo household, with enough points to try
 * every demo reward (the composter is the dearest).
 */
export const DEMO_WELCOME_POINTS = 3000;

/** The demo resident's address (the .invalid domain can never receive mail). */
export function demoResidentEmail(slug: string): string {
  return `resident.${slug}@demo.civicpoints.invalid`;
}

/** A demo staff member's address, e.g. `admin.pelt@demo.civicpoints.invalid`. */
export function demoStaffEmail(role: StaffRole, slug: string): string {
  return `${role}.${slug}@demo.civicpoints.invalid`;
}

/** The demo operator admin (the whole region). */
export const DEMO_OPERATOR_EMAIL = 'operator@demo.civicpoints.invalid';

export type DemoPartnerKey = 'pool' | 'shop' | 'thrift' | 'recycling' | 'energy' | 'charity';

/**
 * The demo partners of each municipality, each with one location near the centre (inside the
 * municipality) and its users: a swimming pool and a local shop (admin, cashier) where vouchers
 * are spent; a thrift shop, a recycling centre, an energy provider and a volunteer charity
 * (admin, confirmer) that confirm what residents did.
 */
export const DEMO_PARTNERS: readonly {
  key: DemoPartnerKey;
  kind: PartnerKind;
  name: (place: string) => string;
  roles: readonly PartnerRole[];
}[] = [
  {
    key: 'pool',
    kind: 'facility',
    name: (place) => `Zwembad ${place}`,
    roles: ['partner_admin', 'cashier'],
  },
  {
    key: 'shop',
    kind: 'merchant',
    name: (place) => `Buurtwinkel ${place}`,
    roles: ['partner_admin', 'cashier'],
  },
  {
    key: 'thrift',
    kind: 'charity',
    name: (place) => `Kringwinkel ${place}`,
    roles: ['partner_admin', 'confirmer'],
  },
  {
    key: 'recycling',
    kind: 'recycling_centre',
    name: (place) => `Recyclagepark ${place}`,
    roles: ['partner_admin', 'confirmer'],
  },
  {
    key: 'energy',
    kind: 'energy_provider',
    name: (place) => `Groene Stroom ${place}`,
    roles: ['partner_admin', 'confirmer'],
  },
  {
    key: 'charity',
    kind: 'charity',
    name: (place) => `Vrijwilligerspunt ${place}`,
    roles: ['partner_admin', 'confirmer'],
  },
];

/** Where the partners other than pool and shop are: a short way from the shop, in the centre. */
const DEMO_OFFSETS: Record<Exclude<DemoPartnerKey, 'pool' | 'shop'>, [number, number]> = {
  thrift: [0.002, -0.003],
  recycling: [-0.003, 0.003],
  energy: [0.001, 0.002],
  charity: [-0.002, -0.001],
};

/** Where each demo partner is: plausible spots inside each municipality (WGS84). */
const DEMO_LOCATIONS: Record<
  string,
  Record<'pool' | 'shop', { address: string; lat: number; lon: number }>
> = {
  pelt: {
    pool: { address: 'Sportlaan 1, 3900 Pelt', lat: 51.2163, lon: 5.4258 },
    shop: { address: 'Markt 10, 3900 Pelt', lat: 51.2249, lon: 5.4276 },
  },
  lommel: {
    pool: { address: 'Sportveld 2, 3920 Lommel', lat: 51.229, lon: 5.302 },
    shop: { address: 'Kerkplein 5, 3920 Lommel', lat: 51.2305, lon: 5.313 },
  },
  'hamont-achel': {
    pool: { address: 'Zwembadstraat 3, 3930 Hamont-Achel', lat: 51.252, lon: 5.54 },
    shop: { address: 'Stad 8, 3930 Hamont-Achel', lat: 51.2535, lon: 5.548 },
  },
};

/** Where a demo partner of the municipality is. */
function demoSpot(slug: string, key: DemoPartnerKey) {
  const spots = DEMO_LOCATIONS[slug]!;
  if (key === 'pool' || key === 'shop') return spots[key];
  const [dLat, dLon] = DEMO_OFFSETS[key];
  return { address: spots.shop.address, lat: spots.shop.lat + dLat, lon: spots.shop.lon + dLon };
}

/** A demo partner user's address, e.g. `pool.cashier.pelt@demo.civicpoints.invalid`. */
export function demoPartnerUserEmail(partner: DemoPartnerKey, role: PartnerRole, slug: string) {
  return `${partner}.${role.replace('partner_', '')}.${slug}@demo.civicpoints.invalid`;
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
      const member = { residentId: resident.id, municipalityId: municipality.id };
      if (!(await findEarner(tx, municipality.id, member))?.householdId) {
        await createHouseholdFor(tx, member, { address: `Demostraat 1, ${municipality.names.nl}` });
      }
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
    const users: User[] = [];
    const partners: Partner[] = [];
    const account = (email: string, displayName: string) => ({
      email,
      displayName,
      locale: 'nl' as const,
    });
    for (const municipality of municipalities) {
      const place = municipality.names.nl;
      let thriftShopId = '';
      const partnerIds: Partial<Record<DemoPartnerKey, string>> = {};
      for (const role of STAFF_ROLES) {
        users.push(
          await provisionActiveUser(
            tx,
            { kind: 'staff', municipalityId: municipality.id, roles: [role] },
            account(demoStaffEmail(role, municipality.slug), `${place} ${role} (demo)`),
          ),
        );
      }
      for (const demo of DEMO_PARTNERS) {
        const name = `${demo.name(place)} (demo)`;
        let partner = await findPartnerByName(tx, municipality.id, name);
        if (!partner) {
          partner = await createPartner(tx, municipality.id, { name, kind: demo.kind });
          const spot = demoSpot(municipality.slug, demo.key);
          await addLocation(tx, partner, {
            name,
            address: spot.address,
            latitude: spot.lat,
            longitude: spot.lon,
          });
        }
        partners.push(partner);
        if (demo.key === 'thrift') thriftShopId = partner.id;
        partnerIds[demo.key] = partner.id;
        for (const role of demo.roles) {
          users.push(
            await provisionActiveUser(
              tx,
              {
                kind: 'partner',
                municipalityId: municipality.id,
                partnerId: partner.id,
                roles: [role],
              },
              account(
                demoPartnerUserEmail(demo.key, role, municipality.slug),
                `${demo.name(place)} ${role.replace('partner_', '')} (demo)`,
              ),
            ),
          );
        }
      }
      const shop = DEMO_LOCATIONS[municipality.slug]!.shop;
      await seedDemoCatalogue(tx, municipality.id, {
        thriftShopId,
        centre: { latitude: shop.lat, longitude: shop.lon },
      });
      await seedDemoRewards(tx, municipality.id, {
        recyclingCentreId: partnerIds.recycling!,
        charityId: partnerIds.charity!,
      });
      await seedDemoReportCategories(tx, municipality.id);
      await seedDemoTasks(tx, municipality.id, { latitude: shop.lat, longitude: shop.lon });
    }
    users.push(
      await provisionActiveUser(
        tx,
        { kind: 'operator' },
        account(DEMO_OPERATOR_EMAIL, 'Operator (demo)'),
      ),
    );
    return { municipalities, residents, users, partners };
  });
}

/** True when the database has no region yet, i.e. nothing was ever set up. */
export async function isEmpty(ctx: ServiceContext): Promise<boolean> {
  return (await findRegion(ctx)) === undefined;
}
