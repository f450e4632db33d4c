import { sql } from 'kysely';
import type { LocalizedText } from '../../shared/locales.js';
import type { Db } from '../../storage/database.js';
import type { MunicipalitiesTable, RegionsTable } from '../../storage/schema.js';
import type {
  BoundaryGeometry,
  Municipality,
  MunicipalityInput,
  MunicipalityWithBoundary,
  Region,
  RegionInput,
} from './tenancy.types.js';

/** SQL for the tenancy tables (regions, municipalities) and nothing else. */

const MUNICIPALITY_COLUMNS = [
  'id',
  'region_id',
  'slug',
  'nis_code',
  'name_nl',
  'name_fr',
  'name_de',
  'name_en',
  'default_locale',
  'registered_households',
  'point_value_cents',
  'points_expiry_months',
  'created_at',
  'updated_at',
] as const;

type MunicipalityRow = Pick<MunicipalitiesTable, (typeof MUNICIPALITY_COLUMNS)[number]> & {
  has_boundary: number | boolean;
};

function toMunicipality(row: MunicipalityRow): Municipality {
  return {
    id: row.id,
    regionId: row.region_id,
    slug: row.slug,
    nisCode: row.nis_code,
    names: { nl: row.name_nl, fr: row.name_fr, de: row.name_de, en: row.name_en },
    defaultLocale: row.default_locale,
    registeredHouseholds: row.registered_households,
    pointValueCents: row.point_value_cents,
    pointsExpiryMonths: row.points_expiry_months,
    hasBoundary: Boolean(row.has_boundary),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRegion(row: RegionsTable): Region {
  return {
    id: row.id,
    slug: row.slug,
    names: { nl: row.name_nl, fr: row.name_fr, de: row.name_de, en: row.name_en },
    demo: row.kind === 'demo',
  };
}

const hasBoundary = sql<number>`case when boundary is null then 0 else 1 end`.as('has_boundary');

export async function findRegion(db: Db): Promise<Region | undefined> {
  const row = await db.selectFrom('regions').selectAll().orderBy('created_at').executeTakeFirst();
  return row && toRegion(row);
}

function nameColumns(names: LocalizedText) {
  return { name_nl: names.nl, name_fr: names.fr, name_de: names.de, name_en: names.en };
}

function regionColumns(input: RegionInput) {
  return {
    slug: input.slug,
    ...nameColumns(input.names),
    kind: input.demo ? 'demo' : 'live',
  } as const;
}

export async function insertRegion(db: Db, id: string, input: RegionInput, now: string) {
  await db
    .insertInto('regions')
    .values({ id, ...regionColumns(input), created_at: now })
    .execute();
}

/** Inserts the region unless one with its slug exists (a concurrent writer may have won). */
export async function insertRegionIfAbsent(db: Db, id: string, input: RegionInput, now: string) {
  await db
    .insertInto('regions')
    .values({ id, ...regionColumns(input), created_at: now })
    .onConflict((conflict) => conflict.column('slug').doNothing())
    .execute();
}

export async function updateRegion(db: Db, id: string, input: RegionInput) {
  await db.updateTable('regions').set(regionColumns(input)).where('id', '=', id).execute();
}

export async function listMunicipalities(db: Db): Promise<Municipality[]> {
  const rows = await db
    .selectFrom('municipalities')
    .select([...MUNICIPALITY_COLUMNS, hasBoundary])
    .orderBy('slug')
    .execute();
  return rows.map(toMunicipality);
}

export async function findMunicipalityBySlug(
  db: Db,
  slug: string,
): Promise<MunicipalityWithBoundary | undefined> {
  const row = await db
    .selectFrom('municipalities')
    .select([...MUNICIPALITY_COLUMNS, hasBoundary, 'boundary'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!row) return undefined;
  const boundary = row.boundary === null ? null : (JSON.parse(row.boundary) as BoundaryGeometry);
  return { ...toMunicipality(row), boundary };
}

export async function findMunicipalityById(db: Db, id: string): Promise<Municipality | undefined> {
  const row = await db
    .selectFrom('municipalities')
    .select([...MUNICIPALITY_COLUMNS, hasBoundary])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toMunicipality(row);
}

export async function findMunicipalityByNisCode(db: Db, nisCode: string) {
  return db
    .selectFrom('municipalities')
    .select(['id', 'slug'])
    .where('nis_code', '=', nisCode)
    .executeTakeFirst();
}

function municipalityColumns(input: MunicipalityInput) {
  return {
    slug: input.slug,
    nis_code: input.nisCode ?? null,
    ...nameColumns(input.names),
    default_locale: input.defaultLocale,
    registered_households: input.registeredHouseholds,
    point_value_cents: input.pointValueCents,
    points_expiry_months: input.pointsExpiryMonths ?? null,
  };
}

export async function insertMunicipality(
  db: Db,
  row: { id: string; regionId: string; input: MunicipalityInput; now: string },
) {
  await db
    .insertInto('municipalities')
    .values({
      id: row.id,
      region_id: row.regionId,
      ...municipalityColumns(row.input),
      boundary: row.input.boundary ? JSON.stringify(row.input.boundary) : null,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function updateMunicipality(
  db: Db,
  id: string,
  input: MunicipalityInput,
  now: string,
) {
  await db
    .updateTable('municipalities')
    .set({
      ...municipalityColumns(input),
      // An update without a boundary keeps the one there is.
      ...(input.boundary !== undefined && {
        boundary: input.boundary ? JSON.stringify(input.boundary) : null,
      }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function setRegisteredHouseholds(db: Db, id: string, households: number, now: string) {
  await db
    .updateTable('municipalities')
    .set({ registered_households: households, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function setMunicipalityBoundary(
  db: Db,
  id: string,
  boundary: BoundaryGeometry,
  now: string,
) {
  await db
    .updateTable('municipalities')
    .set({ boundary: JSON.stringify(boundary), updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * A cheap fingerprint of the set of boundaries (how many, the latest change, the last id), so a
 * process can tell whether its routing index is still the current one without reading them.
 */
export async function boundaryVersion(db: Db): Promise<string> {
  const row = await db
    .selectFrom('municipalities')
    .select([
      sql<number | string>`count(*)`.as('count'),
      sql<string | null>`max(updated_at)`.as('changed'),
      sql<string | null>`max(id)`.as('last'),
    ])
    .where('boundary', 'is not', null)
    .executeTakeFirstOrThrow();
  return `${Number(row.count)}|${row.changed ?? ''}|${row.last ?? ''}`;
}

/** Every municipality's id, slug and boundary (those without one are left out), for routing. */
export async function listBoundaries(db: Db) {
  const rows = await db
    .selectFrom('municipalities')
    .select(['id', 'slug', 'boundary', 'updated_at'])
    .where('boundary', 'is not', null)
    .orderBy('slug')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    boundary: JSON.parse(row.boundary!) as BoundaryGeometry,
    updatedAt: row.updated_at,
  }));
}
