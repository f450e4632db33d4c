import { sql } from 'kysely';
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

export async function insertRegion(db: Db, id: string, input: RegionInput, now: string) {
  await db
    .insertInto('regions')
    .values({
      id,
      slug: input.slug,
      name_nl: input.names.nl,
      name_fr: input.names.fr,
      name_de: input.names.de,
      name_en: input.names.en,
      kind: input.demo ? 'demo' : 'live',
      created_at: now,
    })
    .execute();
}

export async function updateRegion(db: Db, id: string, input: RegionInput) {
  await db
    .updateTable('regions')
    .set({
      slug: input.slug,
      name_nl: input.names.nl,
      name_fr: input.names.fr,
      name_de: input.names.de,
      name_en: input.names.en,
      kind: input.demo ? 'demo' : 'live',
    })
    .where('id', '=', id)
    .execute();
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

export async function findMunicipalityByNisCode(db: Db, nisCode: string) {
  return db
    .selectFrom('municipalities')
    .select(['id', 'slug'])
    .where('nis_code', '=', nisCode)
    .executeTakeFirst();
}

export async function insertMunicipality(
  db: Db,
  row: { id: string; regionId: string; input: MunicipalityInput; now: string },
) {
  const { input } = row;
  await db
    .insertInto('municipalities')
    .values({
      id: row.id,
      region_id: row.regionId,
      slug: input.slug,
      nis_code: input.nisCode ?? null,
      name_nl: input.names.nl,
      name_fr: input.names.fr,
      name_de: input.names.de,
      name_en: input.names.en,
      default_locale: input.defaultLocale,
      registered_households: input.registeredHouseholds,
      point_value_cents: input.pointValueCents,
      boundary: input.boundary ? JSON.stringify(input.boundary) : null,
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
      slug: input.slug,
      nis_code: input.nisCode ?? null,
      name_nl: input.names.nl,
      name_fr: input.names.fr,
      name_de: input.names.de,
      name_en: input.names.en,
      default_locale: input.defaultLocale,
      registered_households: input.registeredHouseholds,
      point_value_cents: input.pointValueCents,
      ...(input.boundary !== undefined && {
        boundary: input.boundary ? JSON.stringify(input.boundary) : null,
      }),
      updated_at: now,
    })
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
