import type { ServiceContext } from '../../shared/context.js';
import type { Locale } from '../../shared/locales.js';
import type { ReportsTable } from '../../storage/schema.js';
import { displayNamesOf } from '../identity/earners.service.js';
import { listMunicipalities } from '../tenancy/tenancy.service.js';
import * as repo from './reports.repository.js';
import type { AttributeValue, PublicReport, StaffReport, SubStatus } from './reports.types.js';

/**
 * Reports as the outside sees them: the public view never holds the reporter or their contact
 * details (a resident's display name only when they chose to show it), and a hidden text is
 * null; the staff view adds what the inbox needs.
 */

const iso = (value: string) => new Date(value).toISOString();

/** The public views of these report rows, in the same order. */
export async function publicViews(
  ctx: ServiceContext,
  rows: readonly ReportsTable[],
): Promise<PublicReport[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [categories, updates, followers, photos, municipalities] = await Promise.all([
    repo.findCategoriesByIds(ctx.db, [...new Set(rows.map((row) => row.category_id))]),
    repo.updatesOf(ctx.db, ids),
    repo.followerCounts(ctx.db, ids),
    repo.photosOf(ctx.db, ids),
    listMunicipalities(ctx),
  ]);
  const slugs = new Map(municipalities.map((m) => [m.id, m.slug]));
  // The names shown, one query per municipality (not one per reporter).
  const shown = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.resident_id || row.show_name !== 1) continue;
    shown.set(row.municipality_id, [...(shown.get(row.municipality_id) ?? []), row.resident_id]);
  }
  const names = new Map<string, string | null>();
  for (const [municipalityId, residentIds] of shown) {
    for (const [id, name] of await displayNamesOf(ctx, municipalityId, residentIds)) {
      names.set(id, name);
    }
  }
  return rows.map((row) => {
    const category = categories.get(row.category_id)!;
    return {
      id: row.id,
      municipality: slugs.get(row.municipality_id) ?? '',
      category: { code: category.code, names: category.names, group: category.group },
      latitude: row.latitude,
      longitude: row.longitude,
      address: row.address,
      description: row.hidden === 1 ? null : row.description,
      attributes: JSON.parse(row.attributes) as Record<string, AttributeValue>,
      status: row.status,
      subStatus: row.sub_status as SubStatus,
      reporterName:
        row.resident_id && row.show_name === 1 ? (names.get(row.resident_id) ?? null) : null,
      followers: followers.get(row.id) ?? 0,
      photos: row.hidden === 1 ? [] : (photos.get(row.id) ?? []),
      mediaUrl: row.hidden === 1 ? null : row.media_url,
      duplicateOf: row.duplicate_of,
      updates: updates.get(row.id) ?? [],
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  });
}

/** The staff views of these report rows, in the same order. */
export async function staffViews(
  ctx: ServiceContext,
  rows: readonly ReportsTable[],
): Promise<StaffReport[]> {
  const views = await publicViews(ctx, rows);
  const photos = await repo.photosOf(
    ctx.db,
    rows.map((row) => row.id),
  );
  return views.map((view, index) => {
    const row = rows[index]!;
    return {
      ...view,
      description: row.description,
      photos: photos.get(row.id) ?? [],
      mediaUrl: row.media_url,
      hidden: row.hidden === 1,
      assigneeId: row.assignee_id,
      reporter: {
        kind: row.reporter_kind,
        residentId: row.resident_id,
        email: row.reporter_email,
        name: row.reporter_name,
        phone: row.reporter_phone,
        locale: row.reporter_locale as Locale,
      },
      claimId: row.claim_id,
    };
  });
}
