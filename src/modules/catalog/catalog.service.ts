import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { actorIdentity, authorize, decide } from '../../shared/policy.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as repo from './catalog.repository.js';
import {
  ACTIVITY_CODE_PATTERN,
  termsErrors,
  upcomingVersions,
  versionInForce,
} from './catalog.rules.js';
import type { Activity, ActivityTerms, ActivityVersion } from './catalog.types.js';

/**
 * Each municipality's activity catalogue. An activity keeps every version of its terms: a change
 * takes effect from its effective date (announced to residents ahead), claims refer to the
 * version they were made under, so approved claims never change.
 */

/**
 * The municipality's catalogue: active activities for anyone; with `includeArchived`, also the
 * archived ones (for those who manage the catalogue). Outcomes: the list; `permission_denied`…
 */
export async function listActivities(
  ctx: ServiceContext,
  municipalityId: string,
  options: { includeArchived?: boolean } = {},
): Promise<Activity[]> {
  if (options.includeArchived) authorize(ctx, 'catalog.manage', municipalityId);
  const rows = (await repo.listActivities(ctx.db, municipalityId)).filter(
    (row) => options.includeArchived || row.status === 'active',
  );
  const versions = await repo.listVersionsOf(
    ctx.db,
    rows.map((row) => row.id),
  );
  const now = ctx.clock.now().toISOString();
  return rows.flatMap((row) => {
    const own = versions.filter((v) => v.activityId === row.id);
    const activity = assemble(row, own, now);
    return activity ? [activity] : [];
  });
}

/** One activity of the municipality; `activity_not_found` (also for another municipality's). */
export async function getActivity(
  ctx: ServiceContext,
  municipalityId: string,
  activityId: string,
): Promise<Activity> {
  const row = await repo.findActivity(ctx.db, municipalityId, activityId);
  if (!row || (row.status === 'archived' && !canManage(ctx, municipalityId))) {
    throw activityNotFound();
  }
  const activity = assemble(
    row,
    await repo.listVersionsOf(ctx.db, [row.id]),
    ctx.clock.now().toISOString(),
  );
  if (!activity) throw activityNotFound();
  return activity;
}

/**
 * How long a process keeps an activity's terms for claims before reading them again. Claims are
 * the hot path and terms change rarely (and then from an effective date, usually ahead): another
 * process's change reaches this one within this time; this process's own changes at once.
 */
export const ACTIVITY_CACHE_MS = 5000;
const activityCaches = new WeakMap<
  object,
  Map<string, { row: repo.ActivityRow; versions: ActivityVersion[]; readAt: number }>
>();

/**
 * One active or archived activity of the municipality for a claim, from the short cache above;
 * `activity_not_found` (also for another municipality's). Archived activities are returned:
 * placing a claim refuses them with a clear reason.
 */
export async function getActivityForClaim(
  ctx: ServiceContext,
  municipalityId: string,
  activityId: string,
): Promise<Activity> {
  let cache = activityCaches.get(ctx.storage);
  if (!cache) {
    cache = new Map();
    activityCaches.set(ctx.storage, cache);
  }
  const key = `${municipalityId}:${activityId}`;
  let entry = cache.get(key);
  if (!entry || Date.now() - entry.readAt > ACTIVITY_CACHE_MS) {
    const row = await repo.findActivity(ctx.db, municipalityId, activityId);
    if (!row) throw activityNotFound();
    entry = { row, versions: await repo.listVersionsOf(ctx.db, [row.id]), readAt: Date.now() };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, entry);
  }
  const activity = assemble(entry.row, entry.versions, ctx.clock.now().toISOString());
  if (!activity) throw activityNotFound();
  return activity;
}

function forgetActivity(ctx: ServiceContext, municipalityId: string, activityId: string) {
  activityCaches.get(ctx.storage)?.delete(`${municipalityId}:${activityId}`);
}

/** The activity with this code (imports and partner APIs name activities by code), if any. */
export async function findActivityByCode(
  ctx: ServiceContext,
  municipalityId: string,
  code: string,
): Promise<Activity | undefined> {
  const row = await repo.findActivityByCode(ctx.db, municipalityId, code);
  if (!row) return undefined;
  return assemble(row, await repo.listVersionsOf(ctx.db, [row.id]), ctx.clock.now().toISOString());
}

/** The terms of an activity that applied at `at` (for a claim made then); undefined before any. */
export async function termsAt(
  ctx: ServiceContext,
  municipalityId: string,
  activityId: string,
  at: string,
): Promise<ActivityVersion | undefined> {
  const versions = await repo.listVersionsOf(ctx.db, [activityId]);
  const version = versionInForce(versions, at);
  return version && (await repo.findActivity(ctx.db, municipalityId, activityId))
    ? version
    : undefined;
}

/** One version by id, in the municipality. */
export async function getVersion(
  ctx: ServiceContext,
  municipalityId: string,
  versionId: string,
): Promise<ActivityVersion | undefined> {
  return repo.findVersion(ctx.db, municipalityId, versionId);
}

/**
 * Adds an activity with its first terms, in force at once. Outcomes: the activity;
 * `invalid_input`; `activity_exists` (same code); `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function createActivity(
  ctx: ServiceContext,
  municipalityId: string,
  input: { code: string; terms: ActivityTerms },
): Promise<Activity> {
  authorize(ctx, 'catalog.manage', municipalityId);
  const errors = termsErrors(input.terms);
  if (!ACTIVITY_CODE_PATTERN.test(input.code)) {
    errors.unshift({
      field: '/code',
      code: 'pattern',
      message: 'Use 2-48 lowercase letters, digits and dashes.',
    });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const id = newId('act', now);
  const terms = normalizeTerms(input.terms);
  try {
    await inTransaction(ctx.db, async (db) => {
      await repo.insertActivity(db, {
        id,
        municipality_id: municipalityId,
        code: input.code,
        status: 'active',
        created_at: at,
        updated_at: at,
      });
      await repo.insertVersion(db, {
        id: newId('acv', now),
        activity_id: id,
        municipality_id: municipalityId,
        effective_from: at,
        terms: JSON.stringify(terms),
        created_by: actorIdentity(ctx.actor).id,
        created_at: at,
      });
      await recordAudit(
        { ...ctx, db },
        {
          municipalityId,
          action: 'activity.created',
          subjectType: 'activity',
          subjectId: id,
          after: { code: input.code, ...terms },
        },
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('activity_exists', 'conflict', 'An activity with this code exists.');
    }
    throw error;
  }
  return getActivity(ctx, municipalityId, id);
}

/**
 * Changes an activity's terms from `effectiveFrom` (default now; never in the past). Claims made
 * before keep their terms. A change announced for the same moment replaces that announcement.
 * Outcomes: the activity; `invalid_input`; `activity_not_found`; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function changeActivity(
  ctx: ServiceContext,
  municipalityId: string,
  activityId: string,
  input: { terms: ActivityTerms; effectiveFrom?: string },
): Promise<Activity> {
  authorize(ctx, 'catalog.manage', municipalityId);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const effectiveFrom =
    input.effectiveFrom === undefined ? at : new Date(input.effectiveFrom).toISOString();
  const errors = termsErrors(input.terms);
  if (effectiveFrom < at) {
    errors.push({
      field: '/effectiveFrom',
      code: 'in_the_past',
      message: 'A change takes effect now or later, never in the past.',
    });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const before = await getActivity(ctx, municipalityId, activityId);
  const terms = normalizeTerms(input.terms);
  await inTransaction(ctx.db, async (db) => {
    const versions = await repo.listVersionsOf(db, [activityId]);
    const sameMoment = versions.find(
      (v) => v.effectiveFrom === effectiveFrom && effectiveFrom > at,
    );
    const by = actorIdentity(ctx.actor).id;
    if (sameMoment) {
      await repo.replaceVersionTerms(db, sameMoment.id, JSON.stringify(terms), by);
    } else {
      await repo.insertVersion(db, {
        id: newId('acv', now),
        activity_id: activityId,
        municipality_id: municipalityId,
        effective_from: effectiveFrom === at ? at : effectiveFrom,
        terms: JSON.stringify(terms),
        created_by: by,
        created_at: at,
      });
    }
    await repo.touchActivity(db, activityId, { updated_at: at });
    forgetActivity(ctx, municipalityId, activityId);
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'activity.changed',
        subjectType: 'activity',
        subjectId: activityId,
        before: stripVersion(before.current),
        after: { effectiveFrom, ...terms },
      },
    );
  });
  return getActivity(ctx, municipalityId, activityId);
}

/**
 * Archives an activity (no new claims; earlier claims stay) or makes it active again.
 * Outcomes: the activity; `activity_not_found`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function setActivityStatus(
  ctx: ServiceContext,
  municipalityId: string,
  activityId: string,
  status: 'active' | 'archived',
): Promise<Activity> {
  authorize(ctx, 'catalog.manage', municipalityId);
  const before = await getActivity(ctx, municipalityId, activityId);
  if (before.status === status) return before;
  const at = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (db) => {
    await repo.touchActivity(db, activityId, { status, updated_at: at });
    forgetActivity(ctx, municipalityId, activityId);
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: status === 'archived' ? 'activity.archived' : 'activity.restored',
        subjectType: 'activity',
        subjectId: activityId,
        before: { status: before.status },
        after: { status },
      },
    );
  });
  return getActivity(ctx, municipalityId, activityId);
}

function assemble(
  row: repo.ActivityRow,
  versions: ActivityVersion[],
  now: string,
): Activity | undefined {
  const current = versionInForce(versions, now);
  if (!current) return undefined;
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    code: row.code,
    status: row.status,
    current,
    upcoming: upcomingVersions(versions, now),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function normalizeTerms(terms: ActivityTerms): ActivityTerms {
  return {
    names: terms.names,
    descriptions: terms.descriptions,
    category: terms.category,
    points: terms.points,
    verificationMethods: terms.verificationMethods,
    limits: terms.limits,
    cooldownSeconds: terms.cooldownSeconds,
    validFrom: terms.validFrom && new Date(terms.validFrom).toISOString(),
    validUntil: terms.validUntil && new Date(terms.validUntil).toISOString(),
    budget: terms.budget,
    evidence: terms.evidence,
    site: terms.site,
    partnerKind: terms.partnerKind,
    partnerId: terms.partnerId,
    impactKey: terms.impactKey,
    earnedThrough: terms.earnedThrough,
  };
}

function stripVersion(version: ActivityVersion): ActivityTerms {
  const { id: _id, activityId: _a, effectiveFrom: _e, createdAt: _c, ...terms } = version;
  return terms;
}

function canManage(ctx: ServiceContext, municipalityId: string) {
  return decide(ctx.actor, 'catalog.manage', municipalityId) === 'allow';
}

function activityNotFound() {
  return new DomainError('activity_not_found', 'not_found', 'No such activity here.');
}
