import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { authorize } from '../../shared/policy.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { areaSquareKm } from './boundary.rules.js';
import { boundaryBox, polygonsOf } from './routing.rules.js';
import { forgetRoutingIndex } from './routing.service.js';
import * as repo from './tenancy.repository.js';
import {
  geometryOfUpload,
  normalizeBoundary,
  validateBoundary,
  validateMunicipality,
  validateRegion,
} from './tenancy.rules.js';
import type {
  BoundaryGeometry,
  Municipality,
  MunicipalityInput,
  MunicipalityWithBoundary,
  Region,
  RegionInput,
} from './tenancy.types.js';

/** The region a deployment gets when none was configured: renamed later with `region set`. */
export const DEFAULT_REGION: RegionInput = {
  slug: 'region',
  names: { nl: 'Regio', fr: 'Région', de: 'Region', en: 'Region' },
  demo: false,
};

/** The deployment's region, or undefined when nothing was set up yet. */
export async function findRegion(ctx: ServiceContext): Promise<Region | undefined> {
  return repo.findRegion(ctx.db);
}

/** The deployment's region; `region_not_configured` before any municipality exists. */
export async function getRegion(ctx: ServiceContext): Promise<Region> {
  const region = await repo.findRegion(ctx.db);
  if (!region) {
    throw new DomainError('region_not_configured', 'not_found', 'No region has been set up yet.');
  }
  return region;
}

/** Creates the region or renames the existing one; `invalid_input` on bad fields. */
export async function configureRegion(ctx: ServiceContext, input: RegionInput): Promise<Region> {
  const errors = validateRegion(input);
  if (errors.length > 0) throw invalidInput(errors);
  return inTransaction(ctx.db, async (db) => {
    const existing = await repo.findRegion(db);
    if (existing) await repo.updateRegion(db, existing.id, input);
    else
      await repo.insertRegion(
        db,
        newId('reg', ctx.clock.now()),
        input,
        ctx.clock.now().toISOString(),
      );
    return (await repo.findRegion(db))!;
  });
}

/** All municipalities of the region, ordered by slug. */
export async function listMunicipalities(ctx: ServiceContext): Promise<Municipality[]> {
  return repo.listMunicipalities(ctx.db);
}

/** One municipality with its boundary; `municipality_not_found` when the slug is unknown. */
export async function getMunicipality(
  ctx: ServiceContext,
  slug: string,
): Promise<MunicipalityWithBoundary> {
  const municipality = await repo.findMunicipalityBySlug(ctx.db, slug);
  if (!municipality) throw municipalityNotFound(slug);
  return municipality;
}

/** One municipality by id (without its boundary), or undefined. */
export async function findMunicipalityById(
  ctx: ServiceContext,
  id: string,
): Promise<Municipality | undefined> {
  return repo.findMunicipalityById(ctx.db, id);
}

/**
 * Adds a municipality to the region (creating the default region if there is none).
 * Outcomes: the new municipality; `invalid_input`; `municipality_slug_taken`; `municipality_nis_code_taken`.
 */
export async function createMunicipality(
  ctx: ServiceContext,
  input: MunicipalityInput,
): Promise<MunicipalityWithBoundary> {
  const prepared = prepare(input);
  const created = await inTransaction(ctx.db, async (db) => {
    await assertUnique(db, prepared);
    const region = (await repo.findRegion(db)) ?? (await createDefaultRegion(ctx, db));
    const now = ctx.clock.now();
    await catchUniqueViolation(prepared, () =>
      repo.insertMunicipality(db, {
        id: newId('mun', now),
        regionId: region.id,
        input: prepared,
        now: now.toISOString(),
      }),
    );
    return (await repo.findMunicipalityBySlug(db, prepared.slug))!;
  });
  if (prepared.boundary) forgetRoutingIndex(ctx);
  return created;
}

/**
 * Creates the municipality, or updates the one with the same slug to these fields (used by the
 * seed, so running it twice changes nothing). Outcomes as createMunicipality.
 */
export async function upsertMunicipality(
  ctx: ServiceContext,
  input: MunicipalityInput,
): Promise<MunicipalityWithBoundary> {
  const prepared = prepare(input);
  const saved = await inTransaction(ctx.db, async (db) => {
    const existing = await repo.findMunicipalityBySlug(db, prepared.slug);
    if (!existing) return createMunicipality({ ...ctx, db }, prepared);
    await assertUnique(db, prepared, existing.id);
    await repo.updateMunicipality(db, existing.id, prepared, ctx.clock.now().toISOString());
    return (await repo.findMunicipalityBySlug(db, prepared.slug))!;
  });
  if (prepared.boundary !== undefined) forgetRoutingIndex(ctx);
  return saved;
}

export interface BoundaryImportResult {
  updated: string[];
  unmatched: number;
}

/**
 * Sets boundaries from a GeoJSON FeatureCollection, matching each feature to a municipality by
 * its `nis` (or `nis_code`) property, else by a `slug` property. All or nothing: one invalid
 * geometry of a matched feature rejects the file (`invalid_input`) and changes nothing.
 */
export async function importBoundaries(
  ctx: ServiceContext,
  collection: unknown,
): Promise<BoundaryImportResult> {
  const features = readFeatures(collection);
  const municipalities = await repo.listMunicipalities(ctx.db);
  const byNis = new Map(municipalities.filter((m) => m.nisCode).map((m) => [m.nisCode!, m]));
  const bySlug = new Map(municipalities.map((m) => [m.slug, m]));

  const matches: { municipality: Municipality; boundary: BoundaryGeometry }[] = [];
  const errors = [];
  let unmatched = 0;
  for (const [index, feature] of features.entries()) {
    const props = (feature.properties ?? {}) as Record<string, unknown>;
    const nis = String(props.nis ?? props.nis_code ?? '');
    const municipality = byNis.get(nis) ?? bySlug.get(String(props.slug ?? ''));
    if (!municipality) {
      unmatched += 1;
      continue;
    }
    const problems = validateBoundary(feature.geometry, `/features/${index}/geometry`);
    if (problems.length > 0) {
      errors.push(...problems);
      continue;
    }
    matches.push({
      municipality,
      boundary: normalizeBoundary(feature.geometry as BoundaryGeometry),
    });
  }
  if (errors.length > 0)
    throw invalidInput(errors, 'Some boundaries are not valid; nothing was imported.');

  await inTransaction(ctx.db, async (db) => {
    for (const { municipality, boundary } of matches) {
      await writeBoundary({ ...ctx, db }, municipality, boundary);
    }
  });
  forgetRoutingIndex(ctx);
  return { updated: matches.map((m) => m.municipality.slug), unmatched };
}

/** What a stored boundary amounts to (for the upload's answer and the audit log). */
export interface BoundarySummary {
  type: 'Polygon' | 'MultiPolygon';
  polygons: number;
  holes: number;
  vertices: number;
  /** [west, south, east, north] in degrees. */
  bbox: [number, number, number, number];
  areaSquareKm: number;
}

/** The summary of a boundary. */
export function summarizeBoundary(geometry: BoundaryGeometry): BoundarySummary {
  const polygons = polygonsOf(geometry);
  return {
    type: geometry.type,
    polygons: polygons.length,
    holes: polygons.reduce((sum, rings) => sum + rings.length - 1, 0),
    vertices: polygons.reduce(
      (sum, rings) => sum + rings.reduce((inner, ring) => inner + ring.length, 0),
      0,
    ),
    bbox: boundaryBox(geometry),
    areaSquareKm: Math.round(areaSquareKm(geometry) * 1000) / 1000,
  };
}

/**
 * Replaces the municipality's boundary with the one in a GeoJSON document (a Polygon or
 * MultiPolygon in WGS84, or a Feature or one-Feature FeatureCollection of one), checked by
 * validateBoundary and stored normalised; audit-logged (as summaries: counts, box, area) and
 * seen by routing at once in this process. Admins of the municipality and operators.
 * Outcomes: the new boundary's summary; `invalid_input` (field errors with stable codes:
 * `geojson`, `geometry_type`, `position`, `ring_not_closed`, `self_intersection`, …);
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function setMunicipalityBoundary(
  ctx: ServiceContext,
  municipalityId: string,
  document: unknown,
): Promise<BoundarySummary> {
  authorize(ctx, 'municipality.settings', municipalityId);
  const upload = geometryOfUpload(document);
  if ('problem' in upload) {
    throw invalidInput([upload.problem], 'This is not a GeoJSON boundary; nothing was changed.');
  }
  const problems = validateBoundary(upload.geometry, upload.field);
  if (problems.length > 0) {
    throw invalidInput(problems, 'This boundary is not valid; nothing was changed.');
  }
  const boundary = normalizeBoundary(upload.geometry as BoundaryGeometry);
  const summary = summarizeBoundary(boundary);
  await inTransaction(ctx.db, async (db) => {
    const existing = await repo.findMunicipalityById(db, municipalityId);
    if (!existing) throw new DomainError('not_found', 'not_found', 'There is nothing here.');
    await writeBoundary({ ...ctx, db }, existing, boundary);
  });
  forgetRoutingIndex(ctx);
  return summary;
}

/** Stores a checked, normalised boundary and audit-logs the change (as summaries). */
async function writeBoundary(
  ctx: ServiceContext,
  municipality: Municipality,
  boundary: BoundaryGeometry,
): Promise<void> {
  const before = (await repo.findMunicipalityBySlug(ctx.db, municipality.slug))?.boundary ?? null;
  await repo.setMunicipalityBoundary(
    ctx.db,
    municipality.id,
    boundary,
    ctx.clock.now().toISOString(),
  );
  await recordAudit(ctx, {
    municipalityId: municipality.id,
    action: 'boundary.changed',
    subjectType: 'municipality',
    subjectId: municipality.id,
    before: before ? { ...summarizeBoundary(before) } : null,
    after: { ...summarizeBoundary(boundary) },
  });
}

/** Concurrent first creates all try this; the unique slug lets one insert and the rest read it. */
async function createDefaultRegion(ctx: ServiceContext, db: ServiceContext['db']): Promise<Region> {
  const now = ctx.clock.now();
  await repo.insertRegionIfAbsent(db, newId('reg', now), DEFAULT_REGION, now.toISOString());
  return (await repo.findRegion(db))!;
}

function readFeatures(collection: unknown): { properties?: unknown; geometry?: unknown }[] {
  const value = collection as { type?: unknown; features?: unknown } | null;
  if (value?.type !== 'FeatureCollection' || !Array.isArray(value.features)) {
    throw invalidInput([
      { field: 'type', code: 'geojson', message: 'Expected a GeoJSON FeatureCollection.' },
    ]);
  }
  return value.features.filter(
    (f): f is { properties?: unknown; geometry?: unknown } => typeof f === 'object' && f !== null,
  );
}

function prepare(input: MunicipalityInput): MunicipalityInput {
  const errors = validateMunicipality(input);
  if (errors.length > 0) throw invalidInput(errors);
  const names = {
    nl: input.names.nl.trim(),
    fr: input.names.fr.trim(),
    de: input.names.de.trim(),
    en: input.names.en.trim(),
  };
  return {
    ...input,
    names,
    nisCode: input.nisCode ?? null,
    ...(input.boundary && { boundary: normalizeBoundary(input.boundary) }),
  };
}

async function assertUnique(db: ServiceContext['db'], input: MunicipalityInput, exceptId?: string) {
  const sameSlug = await repo.findMunicipalityBySlug(db, input.slug);
  if (sameSlug && sameSlug.id !== exceptId) throw slugTaken(input.slug);
  if (input.nisCode) {
    const sameNis = await repo.findMunicipalityByNisCode(db, input.nisCode);
    if (sameNis && sameNis.id !== exceptId) throw nisTaken(input.nisCode, sameNis.slug);
  }
}

/** Two concurrent creates can both pass assertUnique; the unique index decides, as a conflict. */
async function catchUniqueViolation(input: MunicipalityInput, write: () => Promise<void>) {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error)) {
      // PostgreSQL names the constraint, SQLite the column: either way it mentions nis_code.
      const described = `${(error as { constraint?: string }).constraint ?? ''} ${(error as Error).message}`;
      if (described.includes('nis_code'))
        throw nisTaken(input.nisCode ?? '', 'another municipality');
      throw slugTaken(input.slug);
    }
    throw error;
  }
}

/**
 * Sets the municipality's registered-households figure (the denominator of its participation
 * rate), as the household register import counts it; staff with `households.manage` only.
 * Outcomes: nothing; `invalid_input`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function setRegisteredHouseholds(
  ctx: ServiceContext,
  municipalityId: string,
  households: number,
): Promise<void> {
  authorize(ctx, 'households.manage', municipalityId);
  if (!Number.isSafeInteger(households) || households < 0) {
    throw invalidInput([
      { field: 'registeredHouseholds', code: 'range', message: 'A whole number, 0 or more.' },
    ]);
  }
  await repo.setRegisteredHouseholds(
    ctx.db,
    municipalityId,
    households,
    ctx.clock.now().toISOString(),
  );
}

function municipalityNotFound(slug: string) {
  return new DomainError('municipality_not_found', 'not_found', `No municipality "${slug}".`, {
    details: { slug },
  });
}

function slugTaken(slug: string) {
  return new DomainError('municipality_slug_taken', 'conflict', `The slug "${slug}" is taken.`, {
    fieldErrors: [{ field: 'slug', code: 'taken', message: 'Another municipality has this slug.' }],
  });
}

function nisTaken(nisCode: string, slug: string) {
  return new DomainError(
    'municipality_nis_code_taken',
    'conflict',
    `The NIS code ${nisCode} belongs to "${slug}".`,
    {
      fieldErrors: [
        { field: 'nisCode', code: 'taken', message: 'Another municipality has this NIS code.' },
      ],
    },
  );
}
