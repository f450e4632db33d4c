import { type ServiceContext, withDb } from '../../shared/context.js';
import { DomainError, type FieldError, invalidInput } from '../../shared/errors.js';
import {
  type BoundingBox,
  boxAround,
  cellCount,
  cellOf,
  cellRanges,
  nearestWithin,
} from '../../shared/geo-grid.js';
import { newId } from '../../shared/ids.js';
import type { Locale } from '../../shared/locales.js';
import { authorize } from '../../shared/policy.js';
import { isUniqueViolation } from '../../storage/errors.js';
import type { ReportsTable } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import { checkPhotosForReport, photoDisplayCopy } from '../claims/photos.service.js';
import { findEarner } from '../identity/earners.service.js';
import { hashToken, newToken } from '../identity/identity.rules.js';
import { isEmailAddress } from '../notifications/notifications.rules.js';
import { sendEmail } from '../notifications/notifications.service.js';
import { municipalityAt } from '../tenancy/routing.service.js';
import { getMunicipality, listMunicipalities } from '../tenancy/tenancy.service.js';
import { emitEvent } from '../webhooks/webhooks.service.js';
import type { EventInput } from '../webhooks/webhooks.types.js';
import * as repo from './reports.repository.js';
import {
  CONFIRM_HOURS,
  checkAttributes,
  descriptionErrors,
  hasControlCharacters,
  MAX_NEARBY_RADIUS_METERS,
  MAX_VISITOR_REPORTS_PER_DAY,
  NEARBY_RADIUS_METERS,
} from './reports.rules.js';
import type {
  AttributeValue,
  NearbyReport,
  PublicReport,
  ReportCategory,
  SubStatus,
} from './reports.types.js';
import { publicViews } from './reports.views.js';

/**
 * Problem reports, the resident's and visitor's side: the municipality's categories, filing a
 * report at a point (routed to the municipality whose boundary holds it), "is it already
 * reported?" nearby, "me too", a visitor's email confirmation, the public view and "my reports".
 * Staff's side is in inbox.service.ts, Open311's in open311.service.ts.
 */

// ---------------------------------------------------------------- filing a report

export interface ReportInput {
  /** The category's code in the municipality that holds the point. */
  category: string;
  latitude: number;
  longitude: number;
  /** When given, the point must lie in this municipality (slug). */
  municipality?: string;
  address?: string;
  description: string;
  attributes?: Record<string, unknown>;
  photoIds?: string[];
  /** Show the resident's display name with the report (default: hidden). */
  showName?: boolean;
  /** A visitor's address: the report waits until they confirm it from the email. */
  email?: string;
  locale?: Locale;
}

/** Who files a report, and how to reach them (never shown publicly). */
export interface Reporter {
  kind: ReportsTable['reporter_kind'];
  residentId: string | null;
  apiKeyId: string | null;
  email: string | null;
  name: string | null;
  phone: string | null;
  locale: Locale;
  showName: boolean;
}

/**
 * A resident (signed in) or a visitor (with `email`) reports a problem. A resident's report is
 * open at once; a visitor's waits (`pending`) until they follow the link emailed to them within
 * CONFIRM_HOURS. Outcomes: the public view and whether it waits for confirmation;
 * `invalid_input` (category, description, attributes, photos, email); `outside_region`;
 * `too_many_reports` (a visitor address over MAX_VISITOR_REPORTS_PER_DAY);
 * `outside_municipality`; `permission_denied` (staff and partner accounts do not file reports).
 */
export async function submitReport(
  ctx: ServiceContext,
  input: ReportInput,
  links: { publicUrl: string },
): Promise<{ report: PublicReport; needsConfirmation: boolean }> {
  const actor = ctx.actor;
  if (actor.kind !== 'resident' && actor.kind !== 'public') {
    throw new DomainError(
      'permission_denied',
      'forbidden',
      'Sign in as a resident, or report as a visitor with your email address.',
    );
  }
  const municipality = await routePoint(ctx, input.latitude, input.longitude, input.municipality);
  const errors: FieldError[] = [];
  let reporter: Reporter;
  if (actor.kind === 'resident') {
    reporter = {
      kind: 'resident',
      residentId: actor.residentId,
      apiKeyId: null,
      email: null,
      name: null,
      phone: null,
      locale: input.locale ?? ctx.locale,
      showName: input.showName ?? false,
    };
    if (input.email !== undefined) {
      errors.push({
        field: '/email',
        code: 'not_for_residents',
        message: 'Signed in, you need no email address here.',
      });
    }
  } else {
    if (!isEmailAddress(input.email)) {
      errors.push({
        field: '/email',
        code: 'email',
        message: 'Give your email address: we send you a link to confirm the report.',
      });
    }
    if ((input.photoIds ?? []).length > 0) {
      errors.push({
        field: '/photoIds',
        code: 'photos_need_account',
        message: 'Sign in to add photos.',
      });
    }
    reporter = {
      kind: 'visitor',
      residentId: null,
      apiKeyId: null,
      email: input.email?.trim().toLowerCase() ?? null,
      name: null,
      phone: null,
      locale: input.locale ?? ctx.locale,
      showName: false,
    };
  }
  if (reporter.kind === 'visitor' && reporter.email && errors.length === 0) {
    const since = new Date(ctx.clock.now().getTime() - 86_400_000).toISOString();
    if (
      (await repo.countVisitorReportsSince(ctx.db, reporter.email, since)) >=
      MAX_VISITOR_REPORTS_PER_DAY
    ) {
      throw new DomainError(
        'too_many_reports',
        'rate_limited',
        'This email address sent many reports today. Sign in, or try again tomorrow.',
        { details: { max: MAX_VISITOR_REPORTS_PER_DAY, retryAfterSeconds: 3600 } },
      );
    }
  }
  const { row, category } = await fileReport(
    ctx,
    municipality.id,
    {
      category: input.category,
      latitude: input.latitude,
      longitude: input.longitude,
      address: input.address?.trim() || null,
      addressId: null,
      description: input.description,
      descriptionRequired: true,
      attributes: input.attributes ?? {},
      photoIds: input.photoIds ?? [],
      mediaUrl: null,
    },
    reporter,
    errors,
    { pending: reporter.kind === 'visitor', fields: JSON_FIELDS },
  );
  if (row.status === 'pending') {
    await sendEmail(ctx, {
      to: reporter.email!,
      locale: reporter.locale,
      municipalityId: municipality.id,
      template: 'report_confirm',
      params: {
        category: category.names[reporter.locale],
        link: `${links.publicUrl}/reports/confirm#token=${row.confirmToken}`,
        hours: String(CONFIRM_HOURS),
      },
    });
  }
  const [report] = await publicViews(ctx, [row.stored]);
  return { report: report!, needsConfirmation: row.status === 'pending' };
}

/** Where each input sits in a request, for the field errors (JSON body or Open311 form). */
export interface FieldNames {
  category: string;
  description: string;
  attribute: (code: string) => string;
  photos: string;
  address: string;
}

const JSON_FIELDS: FieldNames = {
  category: '/category',
  description: '/description',
  attribute: (code) => `/attributes/${code}`,
  photos: '/photoIds',
  address: '/address',
};

export interface ReportFields {
  category: string;
  latitude: number;
  longitude: number;
  address: string | null;
  addressId: string | null;
  description: string;
  descriptionRequired: boolean;
  attributes: Record<string, unknown>;
  photoIds: string[];
  mediaUrl: string | null;
}

/**
 * Checks and stores a report in the municipality (the one path for the app and Open311): the
 * category, description, attributes and photos; the report with its first update (and, when
 * `pending`, a confirmation token kept only as a hash). `errors` are problems found before;
 * all are thrown together as `invalid_input`.
 */
export async function fileReport(
  ctx: ServiceContext,
  municipalityId: string,
  fields: ReportFields,
  reporter: Reporter,
  errors: FieldError[],
  options: { pending: boolean; fields: FieldNames; open311Token?: string },
): Promise<{
  row: { stored: ReportsTable; status: string; confirmToken: string | null };
  category: ReportCategory;
}> {
  const names = options.fields;
  const category = await repo.findCategoryByCode(ctx.db, municipalityId, fields.category);
  if (category?.status !== 'active') {
    errors.push({
      field: names.category,
      code: 'unknown_category',
      message: 'No such category in this municipality.',
    });
  }
  errors.push(
    ...descriptionErrors(fields.description, names.description, {
      required: fields.descriptionRequired,
    }),
  );
  if (fields.address && fields.address.length > 500) {
    errors.push({ field: names.address, code: 'too_long', message: 'At most 500 characters.' });
  } else if (fields.address && hasControlCharacters(fields.address)) {
    errors.push({
      field: names.address,
      code: 'control_characters',
      message: 'Remove the control characters.',
    });
  }
  let attributes: Record<string, AttributeValue> = {};
  if (category) {
    const checked = checkAttributes(category.attributes, fields.attributes, names.attribute);
    attributes = checked.values;
    errors.push(...checked.errors);
  }
  const photoIds = [...new Set(fields.photoIds)];
  if (reporter.residentId && photoIds.length > 0) {
    errors.push(
      ...(await checkPhotosForReport(
        ctx,
        municipalityId,
        reporter.residentId,
        photoIds,
        names.photos,
      )),
    );
    const used = await repo.photosInUse(ctx.db, photoIds);
    photoIds.forEach((id, index) => {
      if (used.has(id)) {
        errors.push({
          field: `${names.photos}/${index}`,
          code: 'photo_used',
          message: 'This photo belongs to another report.',
        });
      }
    });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const id = newId('rep', now);
  const confirmToken = options.pending ? newToken() : null;
  const subStatus: SubStatus = options.pending ? 'unconfirmed' : 'submitted';
  const row: ReportsTable = {
    id,
    municipality_id: municipalityId,
    category_id: category!.id,
    latitude: fields.latitude,
    longitude: fields.longitude,
    cell: cellOf(fields.latitude, fields.longitude),
    address: fields.address,
    address_id: fields.addressId,
    description: fields.description.trim(),
    attributes: JSON.stringify(attributes),
    media_url: fields.mediaUrl,
    status: options.pending ? 'pending' : 'open',
    sub_status: subStatus,
    reporter_kind: reporter.kind,
    resident_id: reporter.residentId,
    api_key_id: reporter.apiKeyId,
    reporter_email: reporter.email,
    reporter_name: reporter.name,
    reporter_phone: reporter.phone,
    reporter_locale: reporter.locale,
    show_name: reporter.showName ? 1 : 0,
    confirm_token_hash: confirmToken ? hashToken(confirmToken) : null,
    confirm_expires_at: confirmToken
      ? new Date(now.getTime() + CONFIRM_HOURS * 3_600_000).toISOString()
      : null,
    confirmed_at: options.pending ? null : at,
    assignee_id: null,
    hidden: 0,
    duplicate_of: null,
    claim_id: null,
    created_at: at,
    updated_at: at,
  };
  await inTransaction(ctx.db, async (db) => {
    await repo.insertReport(db, row);
    await repo.insertPhotos(db, municipalityId, id, photoIds);
    if (!options.pending) {
      await firstUpdate(db, row, at);
      await emitEvent(withDb(ctx, db), reportCreatedEvent(ctx, row));
    }
    if (options.open311Token) {
      await repo.insertToken(db, {
        token: options.open311Token,
        municipality_id: municipalityId,
        report_id: id,
        created_at: at,
      });
    }
  });
  return { row: { stored: row, status: row.status, confirmToken }, category: category! };
}

/** The `report.created` webhook event: ids, category, place, status, time (no text, no reporter). */
function reportCreatedEvent(ctx: ServiceContext, row: ReportsTable): EventInput {
  return {
    type: 'report.created',
    municipalityId: row.municipality_id,
    partnerId: ctx.actor.kind === 'api_key' ? ctx.actor.partnerId : null,
    data: {
      reportId: row.id,
      categoryId: row.category_id,
      status: row.status,
      subStatus: row.sub_status,
      latitude: row.latitude,
      longitude: row.longitude,
      createdAt: row.created_at,
    },
  };
}

async function firstUpdate(db: ServiceContext['db'], row: ReportsTable, at: string) {
  await repo.insertUpdate(db, {
    id: newId('rup', new Date(at)),
    report_id: row.id,
    municipality_id: row.municipality_id,
    status: 'open',
    sub_status: 'submitted',
    note: null,
    author_kind: row.reporter_kind,
    author_id: row.resident_id ?? row.api_key_id ?? 'visitor',
    created_at: at,
  });
}

/**
 * A visitor confirms their report with the token from the email; it opens. Confirming again
 * returns it unchanged. Outcomes: the public view; `confirm_token_invalid` (unknown or malformed);
 * `confirm_token_expired`.
 */
export async function confirmReport(ctx: ServiceContext, token: unknown): Promise<PublicReport> {
  const invalid = new DomainError(
    'confirm_token_invalid',
    'not_found',
    'This confirmation link is not valid. Report the problem again.',
  );
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw invalid;
  const row = await repo.findReportByConfirmHash(ctx.db, hashToken(token));
  if (!row) throw invalid;
  if (row.status === 'pending') {
    const now = ctx.clock.now();
    if (row.confirm_expires_at && Date.parse(row.confirm_expires_at) < now.getTime()) {
      throw new DomainError(
        'confirm_token_expired',
        'conflict',
        `This link worked for ${CONFIRM_HOURS} hours and has expired. Report the problem again.`,
      );
    }
    const at = now.toISOString();
    await inTransaction(ctx.db, async (db) => {
      await repo.updateReport(db, row.id, {
        status: 'open',
        sub_status: 'submitted',
        confirmed_at: at,
        updated_at: at,
      });
      await firstUpdate(db, row, at);
      await emitEvent(
        withDb(ctx, db),
        reportCreatedEvent(ctx, { ...row, status: 'open', sub_status: 'submitted' }),
      );
    });
  }
  const [report] = await publicViews(ctx, [(await repo.findReport(ctx.db, row.id))!]);
  return report!;
}

/** A visitor's report never confirmed is deleted this many days after its link expired. */
export const UNCONFIRMED_KEEP_DAYS = 7;

/**
 * Deletes visitors' reports that were never confirmed, UNCONFIRMED_KEEP_DAYS after their link
 * expired (they were never public; this drops the address they were sent to). Idempotent, for
 * the sweeps. Outcomes: how many were deleted.
 */
export async function purgeUnconfirmedReports(ctx: ServiceContext): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - UNCONFIRMED_KEEP_DAYS * 86_400_000);
  return repo.deleteUnconfirmedBefore(ctx.db, before.toISOString());
}

/**
 * The municipality whose boundary holds the point; with `slug`, it must be that one.
 * Outcomes: its id and slug; `invalid_input`; `outside_region`; `outside_municipality`.
 */
export async function routePoint(
  ctx: ServiceContext,
  latitude: number,
  longitude: number,
  slug?: string,
): Promise<{ id: string; slug: string }> {
  const found = await municipalityAt(ctx, latitude, longitude);
  if (slug !== undefined && slug !== found.slug) {
    throw new DomainError(
      'outside_municipality',
      'invalid',
      'This place is not in the municipality you chose.',
      { details: { municipality: found.slug } },
    );
  }
  return found;
}

// ---------------------------------------------------------------- reading

/**
 * Open reports near a point (to offer "me too" before filing), nearest first, in the
 * municipality that holds the point; only of `category` when given. Outcomes: the list;
 * `invalid_input`; `outside_region`.
 */
export async function nearbyReports(
  ctx: ServiceContext,
  query: {
    latitude: number;
    longitude: number;
    category?: string;
    radius?: number;
    limit?: number;
  },
): Promise<NearbyReport[]> {
  const radius = query.radius ?? NEARBY_RADIUS_METERS;
  if (!(radius > 0 && radius <= MAX_NEARBY_RADIUS_METERS)) {
    throw invalidInput([
      {
        field: '/radius',
        code: 'range',
        message: `Give a radius from 1 to ${MAX_NEARBY_RADIUS_METERS} metres.`,
      },
    ]);
  }
  const municipality = await municipalityAt(ctx, query.latitude, query.longitude);
  let categoryIds: string[] | undefined;
  if (query.category !== undefined) {
    const category = await repo.findCategoryByCode(ctx.db, municipality.id, query.category);
    categoryIds = category ? [category.id] : [];
  }
  const center = { latitude: query.latitude, longitude: query.longitude };
  // Ranked from the grid index alone (ids and points), then only the returned rows are read.
  const points = await repo.openReportPointsIn(
    ctx.db,
    {
      municipalityId: municipality.id,
      cells: cellRanges(boxAround(center, radius)),
      ...(categoryIds && { categoryIds }),
    },
    5000,
  );
  const nearest = nearestWithin(center, radius, points, query.limit ?? 20);
  const rows = new Map(
    (
      await repo.listReports(ctx.db, {
        ids: nearest.map((p) => p.id),
        statuses: ['open'],
        includeHidden: true,
        limit: nearest.length,
      })
    ).map((row) => [row.id, row]),
  );
  // A report closed between the two reads is left out.
  const near = nearest.flatMap((p) => {
    const row = rows.get(p.id);
    return row ? [{ ...row, distanceMeters: p.distanceMeters }] : [];
  });
  const [categories, followers] = await Promise.all([
    repo.findCategoriesByIds(ctx.db, [...new Set(near.map((r) => r.category_id))]),
    repo.followerCounts(
      ctx.db,
      near.map((r) => r.id),
    ),
  ]);
  return near.map((row) => {
    const category = categories.get(row.category_id)!;
    return {
      id: row.id,
      category: { code: category.code, names: category.names },
      latitude: row.latitude,
      longitude: row.longitude,
      distanceMeters: Math.round(row.distanceMeters),
      description: row.hidden === 1 ? null : row.description,
      status: row.status,
      subStatus: row.sub_status as SubStatus,
      followers: followers.get(row.id) ?? 0,
      createdAt: new Date(row.created_at).toISOString(),
    };
  });
}

/** A report as anyone sees it; `report_not_found` (also while it waits for confirmation). */
export async function getReport(ctx: ServiceContext, id: string): Promise<PublicReport> {
  const row = await visibleReport(ctx, id);
  const [report] = await publicViews(ctx, [row]);
  return report!;
}

/** A photo of a public report (not hidden); `report_not_found`, `photo_not_found`. */
export async function getReportPhoto(ctx: ServiceContext, id: string, photoId: string) {
  const row = await visibleReport(ctx, id);
  const photos = (await repo.photosOf(ctx.db, [id])).get(id) ?? [];
  if (row.hidden === 1 || !photos.includes(photoId)) {
    throw new DomainError('photo_not_found', 'not_found', 'No such photo.');
  }
  return photoDisplayCopy(ctx, row.municipality_id, photoId);
}

async function visibleReport(ctx: ServiceContext, id: string) {
  const row = await repo.findReport(ctx.db, id);
  if (!row || row.status === 'pending') throw reportNotFound();
  return row;
}

/**
 * The signed-in resident's reports and the ones they follow, newest first, with their updates.
 * Outcomes: both lists; `not_signed_in`, `permission_denied`.
 */
export async function myReports(
  ctx: ServiceContext,
): Promise<{ reported: PublicReport[]; followed: PublicReport[] }> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw reportNotFound();
  const residentId = ctx.actor.residentId;
  const reported = await repo.listReportsOfResident(ctx.db, residentId, 200);
  const followedIds = await repo.reportIdsFollowedBy(ctx.db, residentId, 200);
  const followed = (await repo.findReportsByIds(ctx.db, followedIds)).sort((a, b) =>
    b.created_at.localeCompare(a.created_at),
  );
  return {
    reported: await publicViews(ctx, reported),
    followed: await publicViews(ctx, followed),
  };
}

/** At most this many reports in one GeoJSON answer (newest first). */
export const GEOJSON_MAX = 2000;
/** A feed's box may cover at most this many grid cells. */
export const GEOJSON_MAX_CELLS = 20_000;

/**
 * The public GeoJSON feed of reports in a box (open ones by default), newest first, without
 * personal data. Outcomes: the FeatureCollection; `invalid_input` (box too large);
 * `municipality_not_found`.
 */
export async function reportsGeoJson(
  ctx: ServiceContext,
  query: { bbox: BoundingBox; municipality?: string; status?: 'open' | 'closed' },
) {
  if (cellCount(query.bbox) > GEOJSON_MAX_CELLS) {
    throw invalidInput([
      { field: '/bbox', code: 'too_large', message: 'Zoom in: the map area is too large.' },
    ]);
  }
  const municipalityId =
    query.municipality !== undefined
      ? (await getMunicipality(ctx, query.municipality)).id
      : undefined;
  const { south, north, west, east } = query.bbox;
  const rows = (
    await repo.listReports(ctx.db, {
      ...(municipalityId && { municipalityId }),
      cells: cellRanges(query.bbox),
      statuses: [query.status ?? 'open'],
      includeHidden: true,
      limit: GEOJSON_MAX * 2,
    })
  )
    .filter(
      (r) =>
        r.latitude >= south && r.latitude <= north && r.longitude >= west && r.longitude <= east,
    )
    .slice(0, GEOJSON_MAX);
  const [categories, followers, municipalities] = await Promise.all([
    repo.findCategoriesByIds(ctx.db, [...new Set(rows.map((r) => r.category_id))]),
    repo.followerCounts(
      ctx.db,
      rows.map((r) => r.id),
    ),
    listMunicipalities(ctx),
  ]);
  const slugs = new Map(municipalities.map((m) => [m.id, m.slug]));
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((row) => {
      const category = categories.get(row.category_id)!;
      return {
        type: 'Feature' as const,
        id: row.id,
        geometry: { type: 'Point' as const, coordinates: [row.longitude, row.latitude] },
        properties: {
          id: row.id,
          kind: 'report' as const,
          names: category.names,
          category: category.code,
          status: row.status,
          subStatus: row.sub_status as SubStatus,
          municipality: slugs.get(row.municipality_id) ?? '',
          followers: followers.get(row.id) ?? 0,
          createdAt: new Date(row.created_at).toISOString(),
        },
      };
    }),
  };
}

// ---------------------------------------------------------------- me too

/**
 * "Me too": the signed-in resident follows an open report and is told of every update (again:
 * nothing changes). Outcomes: the number of followers; `report_not_found`; `report_closed`;
 * `not_signed_in`, `permission_denied`.
 */
export async function followReport(
  ctx: ServiceContext,
  id: string,
): Promise<{ following: true; followers: number }> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw reportNotFound();
  const row = await visibleReport(ctx, id);
  if (row.status !== 'open') {
    throw new DomainError(
      'report_closed',
      'conflict',
      'This report is closed. Report the problem again if it is back.',
    );
  }
  const earner = await findEarner(ctx, ctx.actor.municipalityId, {
    residentId: ctx.actor.residentId,
  });
  if (row.resident_id !== ctx.actor.residentId) {
    const existing = await repo.findFollower(ctx.db, id, ctx.actor.residentId);
    if (!existing) {
      try {
        await repo.insertFollower(ctx.db, {
          id: newId('rfl', ctx.clock.now()),
          report_id: id,
          municipality_id: row.municipality_id,
          resident_id: ctx.actor.residentId,
          email: null,
          locale: earner?.resident.preferredLocale ?? ctx.locale,
          created_at: ctx.clock.now().toISOString(),
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
  }
  return { following: true, followers: (await repo.followerCounts(ctx.db, [id])).get(id) ?? 0 };
}

/** The signed-in resident stops following a report. Outcomes: nothing; `report_not_found`. */
export async function unfollowReport(ctx: ServiceContext, id: string): Promise<void> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw reportNotFound();
  await visibleReport(ctx, id);
  const existing = await repo.findFollower(ctx.db, id, ctx.actor.residentId);
  if (existing) await repo.deleteFollower(ctx.db, existing.id);
}

// ---------------------------------------------------------------- helpers

export function reportNotFound() {
  return new DomainError('report_not_found', 'not_found', 'No such report.');
}
