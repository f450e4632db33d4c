import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as catalog from '../catalog/catalog.service.js';
import type { Activity, ActivityTerms, VerificationMethod } from '../catalog/catalog.types.js';
import { deciderName, type Earner, findEarner } from '../identity/earners.service.js';
import { emitEvent } from '../webhooks/webhooks.service.js';
import { tellResident } from './claims.notify.js';
import {
  approveWaitingClaim,
  claimEvent,
  claimNotFound,
  claimWithPhotos,
  type Placement,
  placeClaim,
} from './claims.placement.js';
import * as repo from './claims.repository.js';
import type { Claim, RejectReason } from './claims.types.js';
import { getEarningSettings } from './earning-settings.service.js';
import { pointsForQuantity, toQuantityMilli } from './limits.rules.js';
import { photoFactsFor } from './photos.service.js';

/**
 * Residents' claims and reviewers' decisions. Everything that stores or pays a claim goes through
 * claims.placement.ts; this file checks who asks and what they sent.
 */

export interface ResidentClaimInput {
  activityId: string;
  quantity?: number;
  note?: string;
  latitude?: number;
  longitude?: number;
  occurredAt?: string;
  photoIds?: string[];
  siteCode?: string;
  /** The client's id for this claim: sending it again returns the first claim. */
  clientClaimId?: string;
}

/** Verifies a site code for an activity; returns the partner location it belongs to, or null. */
export type SiteCodeVerifier = (
  ctx: ServiceContext,
  activity: Activity,
  code: string,
) => Promise<string | null>;

/**
 * A resident claims an activity of their municipality with evidence. Outcomes: the placement
 * (approved at once when the method allows and nothing is flagged); `invalid_input` (quantity,
 * evidence missing, photos not theirs, a site code that is wrong or expired); `activity_not_found`
 * (also another municipality's); `method_not_for_residents`; and the refusals of placeClaim.
 */
export async function submitClaim(
  ctx: ServiceContext,
  input: ResidentClaimInput,
  verifySiteCode?: SiteCodeVerifier,
): Promise<Placement> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw claimNotFound();
  const { municipalityId, residentId } = ctx.actor;
  const activity = await catalog.getActivityForClaim(ctx, municipalityId, input.activityId);
  // To residents an archived activity is gone.
  if (activity.status === 'archived') {
    throw new DomainError('activity_not_found', 'not_found', 'No such activity here.');
  }
  // A resend after a lost answer finds the first claim before its photos (now used) are checked.
  if (input.clientClaimId) {
    const key = clientKey(residentId, input.clientClaimId);
    const existing = await repo.findClaimByExternalKey(ctx.db, municipalityId, key);
    if (existing) return { claim: await claimWithPhotos(ctx.db, existing), created: false };
  }
  const terms = activity.current;
  const method = residentMethod(terms, input);
  const errors = [];
  const quantityMilli =
    terms.points.mode === 'fixed' ? 1000 : toQuantityMilli(input.quantity ?? Number.NaN);
  if (quantityMilli === null) {
    errors.push({
      field: '/quantity',
      code: 'quantity',
      message: 'Give a positive amount with at most 3 decimals.',
    });
  } else if (pointsForQuantity(terms.points, quantityMilli) === 0) {
    errors.push({
      field: '/quantity',
      code: 'too_small',
      message: 'This is too little to earn a point. Add more before you claim.',
    });
  }
  const hasLocation = input.latitude !== undefined && input.longitude !== undefined;
  if ((input.latitude === undefined) !== (input.longitude === undefined)) {
    errors.push({ field: '/longitude', code: 'pair', message: 'Give latitude and longitude.' });
  }
  if (terms.evidence.location && !hasLocation) {
    errors.push({ field: '/latitude', code: 'required', message: 'Share where you did this.' });
  }
  const photoIds = [...new Set(input.photoIds ?? [])];
  if (terms.evidence.photo && photoIds.length === 0) {
    errors.push({ field: '/photoIds', code: 'required', message: 'Add a photo.' });
  }
  let siteLocationId: string | null = null;
  if (method === 'site_code' || terms.evidence.site) {
    if (!input.siteCode) {
      errors.push({
        field: '/siteCode',
        code: 'required',
        message: 'Enter the code shown on site.',
      });
    } else {
      siteLocationId = verifySiteCode ? await verifySiteCode(ctx, activity, input.siteCode) : null;
      if (!siteLocationId) {
        errors.push({
          field: '/siteCode',
          code: 'site_code',
          message: 'This code is not the one shown on site now. Check it and try again.',
        });
      }
    }
  }
  const occurredAt = input.occurredAt
    ? new Date(input.occurredAt).toISOString()
    : ctx.clock.now().toISOString();
  if (occurredAt > ctx.clock.now().toISOString()) {
    errors.push({ field: '/occurredAt', code: 'future', message: 'This date is in the future.' });
  }
  const photos = await photoFactsFor(ctx, municipalityId, residentId, photoIds);
  if (photos.errors.length > 0) errors.push(...photos.errors);
  if (errors.length > 0) throw invalidInput(errors);
  const earner = await findEarner(ctx, municipalityId, { residentId });
  if (!earner) throw claimNotFound();
  const placement = await placeClaim(ctx, {
    activity,
    earner,
    source: 'resident',
    partnerId: null,
    method,
    quantityMilli: quantityMilli!,
    note: input.note?.trim() || null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    siteLocationId,
    occurredAt,
    externalKey: input.clientClaimId ? clientKey(residentId, input.clientClaimId) : null,
    photos: photos.facts,
    settings: await getEarningSettings(ctx, municipalityId),
  });
  // Approved at once: the resident sees it on the screen, so no email (a reviewer's later
  // decision is emailed).
  return placement;
}

/** The external key of a resident's claim sent with the client's own id. */
function clientKey(residentId: string, clientClaimId: string) {
  return `client:${residentId}:${clientClaimId}`;
}

/** The method a resident's claim is verified by: a site code when given, else the first one residents can use. */
function residentMethod(
  terms: Pick<ActivityTerms, 'verificationMethods' | 'earnedThrough'>,
  input: ResidentClaimInput,
): VerificationMethod {
  const methods = terms.verificationMethods;
  if (input.siteCode && methods.includes('site_code')) return 'site_code';
  const usable = methods.filter((m) => m !== 'partner_confirmation' && m !== 'import');
  const method = terms.earnedThrough === 'claims' ? usable[0] : undefined;
  if (!method) {
    throw new DomainError(
      'method_not_for_residents',
      'conflict',
      'This activity is confirmed by a partner or sent by their system; you cannot claim it yourself.',
    );
  }
  return method;
}

/** The signed-in resident's claims, newest first (at most 100). */
export async function listMyClaims(ctx: ServiceContext): Promise<Claim[]> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') return [];
  const rows = await repo.listClaimsOfResident(ctx.db, ctx.actor.residentId, 100);
  const photos = await repo.photoIdsOfClaims(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => repo.toClaim(row, photos.get(row.id) ?? []));
}

/**
 * The resident withdraws their own waiting claim. Outcomes: the claim; `claim_not_found`;
 * `claim_decided` (no longer waiting).
 */
export async function withdrawClaim(ctx: ServiceContext, claimId: string): Promise<Claim> {
  const row = await ownClaim(ctx, claimId);
  return inTransaction(ctx.db, async (db) => {
    const now = ctx.clock.now().toISOString();
    const fresh = (await repo.findClaimRow(db, row.municipality_id, claimId))!;
    if (fresh.status !== 'submitted') throw decided(fresh.status);
    await repo.updateClaim(db, claimId, { status: 'withdrawn', decided_at: now, updated_at: now });
    return claimWithPhotos(db, (await repo.findClaimRow(db, row.municipality_id, claimId))!);
  });
}

/**
 * The resident appeals a rejection once: the claim waits for a reviewer again. Outcomes: the
 * claim; `claim_not_found`; `claim_not_rejected`; `appeal_used`.
 */
export async function appealClaim(
  ctx: ServiceContext,
  claimId: string,
  input: { note: string },
): Promise<Claim> {
  const row = await ownClaim(ctx, claimId);
  const note = input.note.trim();
  if (note === '') {
    throw invalidInput([
      { field: '/note', code: 'required', message: 'Say why we should look again.' },
    ]);
  }
  return inTransaction(ctx.db, async (db) => {
    const fresh = (await repo.findClaimRow(db, row.municipality_id, claimId))!;
    if (fresh.status !== 'rejected') {
      throw new DomainError(
        'claim_not_rejected',
        'conflict',
        'Only a rejected claim can be appealed.',
      );
    }
    if (fresh.appealed_at) {
      throw new DomainError('appeal_used', 'conflict', 'This claim was appealed once already.');
    }
    const now = ctx.clock.now().toISOString();
    await repo.updateClaim(db, claimId, {
      status: 'submitted',
      appealed_at: now,
      appeal_note: note,
      decided_at: null,
      updated_at: now,
    });
    return claimWithPhotos(db, (await repo.findClaimRow(db, row.municipality_id, claimId))!);
  });
}

export interface ClaimQuery {
  status?: Claim['status'];
  activityId?: string;
  residentId?: string;
  risk?: Claim['risk'];
  from?: string;
  to?: string;
  sort?: 'oldest' | 'newest' | 'risk';
  limit?: number;
  offset?: number;
}

/** The municipality's claims for staff, filtered and sorted, a page at a time. */
export async function listClaims(
  ctx: ServiceContext,
  municipalityId: string,
  query: ClaimQuery,
): Promise<{ items: Claim[]; total: number }> {
  authorize(ctx, 'claims.read', municipalityId);
  const page = await repo.listClaims(ctx.db, municipalityId, {
    ...query,
    sort: query.sort ?? 'oldest',
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  });
  const photos = await repo.photoIdsOfClaims(
    ctx.db,
    page.items.map((r) => r.id),
  );
  return {
    total: page.total,
    items: page.items.map((row) => repo.toClaim(row, photos.get(row.id) ?? [])),
  };
}

export interface ClaimDetail {
  claim: Claim;
  activity: Activity;
  /** The activity's terms the claim was made under (the site, the points). */
  terms: Activity['current'];
  /** Who decided, by name, when a colleague or an operator did. */
  decidedByName: string | null;
  resident: { id: string; memberCode: string; displayName: string | null; createdAt: string };
  /** The resident's other claims, newest first (at most 20). */
  history: Claim[];
}

/** One claim for staff with its activity, the resident and their history; `claim_not_found`. */
export async function getClaimDetail(
  ctx: ServiceContext,
  municipalityId: string,
  claimId: string,
): Promise<ClaimDetail> {
  authorize(ctx, 'claims.read', municipalityId);
  const row = await repo.findClaimRow(ctx.db, municipalityId, claimId);
  if (!row) throw claimNotFound();
  const earner = await findEarner(ctx, municipalityId, { residentId: row.resident_id });
  const others = (await repo.listClaimsOfResident(ctx.db, row.resident_id, 21)).filter(
    (r) => r.id !== row.id,
  );
  const terms = await catalog.getVersion(ctx, municipalityId, row.activity_version_id);
  const decidedByName =
    row.decided_by && (row.decided_by_kind === 'staff' || row.decided_by_kind === 'operator')
      ? ((await deciderName(ctx, municipalityId, row.decided_by)) ?? null)
      : null;
  const activity = await catalog.getActivity(
    { ...ctx, actor: { kind: 'system', name: 'claims' } },
    municipalityId,
    row.activity_id,
  );
  return {
    claim: await claimWithPhotos(ctx.db, row),
    activity,
    terms: terms ?? activity.current,
    decidedByName,
    resident: {
      id: row.resident_id,
      memberCode: earner?.resident.memberCode ?? '',
      displayName: earner?.resident.displayName ?? null,
      createdAt: earner?.resident.createdAt ?? row.submitted_at,
    },
    history: others.slice(0, 20).map((r) => repo.toClaim(r)),
  };
}

/**
 * A reviewer approves a waiting claim (optionally with an adjusted quantity); it pays exactly
 * once however often or by how many it is approved. Outcomes: the claim; `claim_not_found`;
 * `claim_decided`; `invalid_input`; the limit refusals.
 */
export async function approveClaim(
  ctx: ServiceContext,
  municipalityId: string,
  claimId: string,
  input: { quantity?: number; note?: string } = {},
): Promise<Claim> {
  authorize(ctx, 'claims.review', municipalityId);
  const row = await repo.findClaimRow(ctx.db, municipalityId, claimId);
  if (!row) throw claimNotFound();
  let quantityMilli: number | undefined;
  if (input.quantity !== undefined) {
    const milli = toQuantityMilli(input.quantity);
    if (milli === null) {
      throw invalidInput([
        {
          field: '/quantity',
          code: 'quantity',
          message: 'Give a positive amount with at most 3 decimals.',
        },
      ]);
    }
    quantityMilli = milli;
  }
  const { terms, earner, activity } = await decisionContext(ctx, municipalityId, row);
  const { claim, changed } = await approveWaitingClaim(ctx, municipalityId, claimId, {
    terms,
    earner,
    ...(quantityMilli !== undefined && { quantityMilli }),
    settings: await getEarningSettings(ctx, municipalityId),
    note: input.note?.trim() || null,
  });
  if (changed) await tellResident(ctx, earner.resident, activity, claim);
  return claim;
}

/**
 * A reviewer rejects a waiting claim with a reason from the templates (and a note). Outcomes:
 * the claim; `claim_not_found`; `claim_decided`.
 */
export async function rejectClaim(
  ctx: ServiceContext,
  municipalityId: string,
  claimId: string,
  input: { reason: RejectReason; note?: string },
): Promise<Claim> {
  authorize(ctx, 'claims.review', municipalityId);
  const row = await repo.findClaimRow(ctx.db, municipalityId, claimId);
  if (!row) throw claimNotFound();
  const { earner, activity } = await decisionContext(ctx, municipalityId, row);
  const claim = await inTransaction(ctx.db, async (db) => {
    const fresh = (await repo.findClaimRow(db, municipalityId, claimId))!;
    if (fresh.status !== 'submitted') throw decided(fresh.status);
    const now = ctx.clock.now().toISOString();
    const who = actorIdentity(ctx.actor);
    await repo.updateClaim(db, claimId, {
      status: 'rejected',
      reject_reason: input.reason,
      decision_note: input.note?.trim() || null,
      decided_at: now,
      decided_by_kind: who.kind,
      decided_by: who.id,
      updated_at: now,
    });
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'claim.rejected',
        subjectType: 'claim',
        subjectId: claimId,
        before: { status: fresh.status },
        after: { status: 'rejected', reason: input.reason },
      },
    );
    const rejected = (await repo.findClaimRow(db, municipalityId, claimId))!;
    await emitEvent({ ...ctx, db }, claimEvent('claim.rejected', rejected));
    return claimWithPhotos(db, rejected);
  });
  await tellResident(ctx, earner.resident, activity, claim);
  return claim;
}

/** Approves many waiting claims; one result per id, in order (a refusal does not stop the rest). */
export async function approveClaims(
  ctx: ServiceContext,
  municipalityId: string,
  claimIds: readonly string[],
): Promise<{ id: string; status: 'approved' | 'refused'; code?: string; claim?: Claim }[]> {
  authorize(ctx, 'claims.review', municipalityId);
  const results = [];
  for (const id of claimIds) {
    try {
      results.push({
        id,
        status: 'approved' as const,
        claim: await approveClaim(ctx, municipalityId, id),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ id, status: 'refused' as const, code: error.code });
    }
  }
  return results;
}

async function decisionContext(
  ctx: ServiceContext,
  municipalityId: string,
  row: { activity_id: string; activity_version_id: string; resident_id: string },
): Promise<{ terms: Activity['current']; earner: Earner; activity: Activity }> {
  const system = { ...ctx, actor: { kind: 'system' as const, name: 'claims' } };
  const [terms, earner, activity] = await Promise.all([
    catalog.getVersion(ctx, municipalityId, row.activity_version_id),
    findEarner(ctx, municipalityId, { residentId: row.resident_id }),
    catalog.getActivity(system, municipalityId, row.activity_id),
  ]);
  if (!terms || !earner) {
    throw new DomainError('claim_not_decidable', 'conflict', 'The resident of this claim is gone.');
  }
  return { terms, earner, activity };
}

async function ownClaim(ctx: ServiceContext, claimId: string) {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw claimNotFound();
  const row = await repo.findClaimRow(ctx.db, ctx.actor.municipalityId, claimId);
  if (!row || row.resident_id !== ctx.actor.residentId) throw claimNotFound();
  return row;
}

function decided(status: string) {
  return new DomainError('claim_decided', 'conflict', `This claim is ${status}.`, {
    details: { status },
  });
}
