import { type ServiceContext, withDb } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { actorIdentity } from '../../shared/policy.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inGroupedTransaction } from '../../storage/grouped-transaction.js';
import type { ClaimsTable } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { isWithinWindow } from '../catalog/catalog.rules.js';
import type { Activity, ActivityTerms, VerificationMethod } from '../catalog/catalog.types.js';
import type { Earner } from '../identity/earners.service.js';
import * as ledger from '../ledger/ledger.service.js';
import { emitEvent } from '../webhooks/webhooks.service.js';
import type { EventInput } from '../webhooks/webhooks.types.js';
import { recordAwards } from './claims.awards.repository.js';
import { approvesAutomatically, assessClaim, type PhotoFacts } from './claims.checks.js';
import { askLimits } from './claims.limits.js';
import { lockEarningKeys } from './claims.locks.js';
import * as repo from './claims.repository.js';
import type { Claim, ClaimSource, EarningSettings } from './claims.types.js';
import { periodEnd, pointsForQuantity } from './limits.rules.js';
import type { LimitViolation } from './limits.types.js';

/**
 * The one way a claim enters and the one way it pays, whoever sends it (a resident, a partner,
 * an import, a report): in a transaction locked on the resident, household and budget, the
 * refusing checks run, the claim is stored with its flags, and — where the method allows and
 * nothing is flagged — approved with one ledger transfer whose id is derived from the claim.
 */

export interface ClaimDraft {
  activity: Activity;
  earner: Earner;
  source: ClaimSource;
  partnerId: string | null;
  method: VerificationMethod;
  quantityMilli: number;
  note: string | null;
  latitude: number | null;
  longitude: number | null;
  siteLocationId: string | null;
  occurredAt: string;
  /** Makes the claim idempotent: a second draft with the same key returns the first claim. */
  externalKey: string | null;
  photos: readonly PhotoFacts[];
  settings: EarningSettings;
  /** Records this action (e.g. `claim.confirmed`) in the audit log, in the claim's transaction. */
  auditAction?: string;
}

export interface Placement {
  claim: Claim;
  /** False when the external key named a claim that already existed. */
  created: boolean;
}

/** The id of the one ledger transfer that pays a claim. */
export function transferIdOf(claimId: string): string {
  return `claim:${claimId}`;
}

/**
 * Stores a claim and approves it when it may be approved without a reviewer. Outcomes: the
 * placement; `activity_closed`, `limit_reached`, `claim_waiting`, `cooldown`, `budget_spent`,
 * `yearly_cap_reached` (nothing stored).
 */
export async function placeClaim(ctx: ServiceContext, draft: ClaimDraft): Promise<Placement> {
  const { activity, earner } = draft;
  const municipalityId = activity.municipalityId;
  const terms = activity.current;
  const now = ctx.clock.now();
  const at = now.toISOString();
  if (activity.status !== 'active' || !isWithinWindow(terms, draft.occurredAt)) {
    throw new DomainError('activity_closed', 'conflict', 'This activity cannot be claimed now.', {
      details: { validFrom: terms.validFrom, validUntil: terms.validUntil },
    });
  }
  const accounts = await accountsFor(ctx, municipalityId, earner.resident.id);
  const requestedPoints = pointsForQuantity(terms.points, draft.quantityMilli);
  try {
    return await inGroupedTransaction(ctx.storage, ctx.db, async (db) => {
      await lockEarningKeys(db, lockKeys(activity.id, terms, earner));
      if (draft.externalKey) {
        const existing = await repo.findClaimByExternalKey(db, municipalityId, draft.externalKey);
        if (existing) return { claim: await claimWithPhotos(db, existing), created: false };
      }
      const limits = await askLimits(db, {
        terms,
        activityId: activity.id,
        residentId: earner.resident.id,
        householdId: earner.householdId,
        requestedPoints,
        occurredAt: draft.occurredAt,
        now,
        settings: draft.settings,
        excludeClaimId: null,
      });
      if (limits.approved.violations.length > 0) {
        throw refusalFor(limits.approved.violations, false, draft.occurredAt, terms);
      }
      const waitingCount = limits.withWaiting.violations.filter(
        (v) => v.code === 'count_limit' || v.code === 'cooldown',
      );
      if (waitingCount.length > 0) throw refusalFor(waitingCount, true, draft.occurredAt, terms);
      const velocityFrom = new Date(
        now.getTime() - draft.settings.velocityWindowMinutes * 60_000,
      ).toISOString();
      const assessment = assessClaim({
        terms,
        method: draft.method,
        occurredAt: draft.occurredAt,
        latitude: draft.latitude,
        longitude: draft.longitude,
        photos: draft.photos,
        pendingWouldExceed:
          limits.withWaiting.violations.length > 0 ||
          limits.withWaiting.awardPoints < limits.approved.awardPoints,
        recentClaims:
          draft.source === 'resident'
            ? await repo.claimsSince(db, earner.resident.id, velocityFrom)
            : 0,
        residentCreatedAt: earner.resident.createdAt,
        submittedByResident: draft.source === 'resident',
        now: at,
        settings: draft.settings,
      });
      const id = newId('clm', now);
      const row: ClaimsTable = {
        id,
        municipality_id: municipalityId,
        activity_id: activity.id,
        activity_version_id: terms.id,
        resident_id: earner.resident.id,
        household_id: earner.householdId,
        source: draft.source,
        partner_id: draft.partnerId,
        method: draft.method,
        external_key: draft.externalKey,
        quantity_milli: draft.quantityMilli,
        requested_points: requestedPoints,
        points: 0,
        note: draft.note,
        latitude: draft.latitude,
        longitude: draft.longitude,
        site_location_id: draft.siteLocationId,
        occurred_at: draft.occurredAt,
        submitted_at: at,
        status: 'submitted',
        risk: assessment.risk,
        flags: JSON.stringify(assessment.flags),
        decided_at: null,
        decided_by_kind: null,
        decided_by: null,
        reject_reason: null,
        decision_note: null,
        appealed_at: null,
        appeal_note: null,
        transfer_id: null,
        updated_at: at,
      };
      let stored = row;
      if (approvesAutomatically(draft.method) && assessment.flags.length === 0) {
        stored = await payClaim(
          withDb(ctx, db),
          row,
          accounts,
          {
            awardPoints: limits.approved.awardPoints,
            decidedBy: { kind: 'system', id: 'automatic_checks' },
            note: null,
          },
          'insert',
        );
      } else {
        await repo.insertClaim(db, row);
      }
      const photoIds = draft.photos.map((photo) => photo.id);
      await repo.attachPhotos(db, id, photoIds);
      if (draft.auditAction) {
        await recordAudit(withDb(ctx, db), {
          municipalityId,
          action: draft.auditAction,
          subjectType: 'claim',
          subjectId: id,
          after: {
            activityId: activity.id,
            quantity: stored.quantity_milli / 1000,
            points: stored.points,
            status: stored.status,
          },
        });
      }
      // The row as written: no need to read it back.
      return { claim: repo.toClaim(stored, photoIds), created: true };
    });
  } catch (error) {
    // Two drafts with one key at once: the loser finds the winner's claim.
    if (draft.externalKey && isUniqueViolation(error)) {
      const existing = await repo.findClaimByExternalKey(ctx.db, municipalityId, draft.externalKey);
      if (existing) return { claim: await claimWithPhotos(ctx.db, existing), created: false };
    }
    throw error;
  }
}

/**
 * Approves a waiting claim for a reviewer, optionally with another quantity: limits are checked
 * again (counting approved claims only) and the claim pays once. Approving an approved claim
 * again returns it unchanged. Outcomes: the claim; `claim_not_found`; `claim_decided`
 * (rejected or withdrawn); `limit_reached`, `cooldown`, `budget_spent`, `yearly_cap_reached`.
 */
export async function approveWaitingClaim(
  ctx: ServiceContext,
  municipalityId: string,
  claimId: string,
  input: {
    terms: ActivityTerms & { id: string };
    earner: Earner;
    quantityMilli?: number;
    settings: EarningSettings;
    note: string | null;
  },
): Promise<{ claim: Claim; changed: boolean }> {
  const accounts = await accountsFor(ctx, municipalityId, input.earner.resident.id);
  return inTransaction(ctx.db, async (db) => {
    const before = await repo.findClaimRow(db, municipalityId, claimId);
    if (!before) throw claimNotFound();
    await lockEarningKeys(db, [
      `claim:${claimId}`,
      ...lockKeys(before.activity_id, input.terms, input.earner),
    ]);
    const row = (await repo.findClaimRow(db, municipalityId, claimId))!;
    if (row.status === 'approved') return { claim: await claimWithPhotos(db, row), changed: false };
    if (row.status !== 'submitted') {
      throw new DomainError('claim_decided', 'conflict', `This claim is ${row.status}.`, {
        details: { status: row.status },
      });
    }
    const quantityMilli = input.quantityMilli ?? row.quantity_milli;
    const requestedPoints = pointsForQuantity(input.terms.points, quantityMilli);
    const limits = await askLimits(db, {
      terms: input.terms,
      activityId: row.activity_id,
      residentId: row.resident_id,
      householdId: row.household_id,
      requestedPoints,
      occurredAt: row.occurred_at,
      now: ctx.clock.now(),
      settings: input.settings,
      excludeClaimId: row.id,
    });
    if (limits.approved.violations.length > 0) {
      throw refusalFor(limits.approved.violations, false, row.occurred_at, input.terms);
    }
    const adjusted = { ...row, quantity_milli: quantityMilli, requested_points: requestedPoints };
    await payClaim(
      withDb(ctx, db),
      adjusted,
      accounts,
      {
        awardPoints: limits.approved.awardPoints,
        decidedBy: actorIdentity(ctx.actor),
        note: input.note,
      },
      'update',
    );
    await recordAudit(withDb(ctx, db), {
      municipalityId,
      action: 'claim.approved',
      subjectType: 'claim',
      subjectId: claimId,
      before: { status: row.status, quantity: row.quantity_milli / 1000 },
      after: {
        status: 'approved',
        quantity: quantityMilli / 1000,
        points: limits.approved.awardPoints,
      },
    });
    return {
      claim: await claimWithPhotos(db, (await repo.findClaimRow(db, municipalityId, claimId))!),
      changed: true,
    };
  });
}

/**
 * Approves a claim row and posts its one transfer: a new row is inserted already approved (one
 * write instead of two), a waiting one is updated. Returns the row as written.
 */
async function payClaim(
  ctx: ServiceContext,
  row: ClaimsTable,
  accounts: { issuance: string; wallet: string },
  decision: { awardPoints: number; decidedBy: { kind: string; id: string }; note: string | null },
  write: 'insert' | 'update',
): Promise<ClaimsTable> {
  const at = ctx.clock.now().toISOString();
  const transferId = transferIdOf(row.id);
  const approved: ClaimsTable = {
    ...row,
    status: 'approved',
    points: decision.awardPoints,
    decided_at: at,
    decided_by_kind: decision.decidedBy.kind,
    decided_by: decision.decidedBy.id,
    decision_note: decision.note,
    transfer_id: transferId,
    updated_at: at,
  };
  // A claim worth nothing (half a kilo at a point per kilo) is approved — its quantity counts in
  // the impact figures — with no transfer: the ledger moves only positive amounts.
  if (decision.awardPoints === 0) approved.transfer_id = null;
  if (write === 'insert') await repo.insertClaim(ctx.db, approved);
  const result =
    decision.awardPoints === 0
      ? { result: 'ok' as const }
      : await ledger.createTransfer(ctx, {
          id: transferId,
          municipalityId: row.municipality_id,
          debitAccountId: accounts.issuance,
          creditAccountId: accounts.wallet,
          amount: decision.awardPoints,
          code: 'claim',
          reference: row.id,
        });
  if (result.result !== 'ok' && result.result !== 'exists') {
    throw new Error(`the ledger refused the payment of claim ${row.id}: ${result.result}`);
  }
  if (write === 'update') {
    const { id: _id, ...changes } = approved;
    await repo.updateClaim(ctx.db, row.id, changes);
  }
  await recordAwards(ctx.db, [approved]);
  await emitEvent(ctx, claimEvent('claim.approved', approved));
  return approved;
}

/** A claim's webhook event (`claim.approved`, `claim.rejected`): ids, amounts, statuses, times. */
export function claimEvent(
  type: 'claim.approved' | 'claim.rejected',
  row: ClaimsTable,
): EventInput {
  return {
    type,
    municipalityId: row.municipality_id,
    partnerId: row.partner_id,
    data: {
      claimId: row.id,
      activityId: row.activity_id,
      status: row.status,
      source: row.source,
      method: row.method,
      quantity: row.quantity_milli / 1000,
      points: row.points,
      siteLocationId: row.site_location_id,
      rejectReason: row.reject_reason,
      occurredAt: row.occurred_at,
      submittedAt: row.submitted_at,
      decidedAt: row.decided_at,
    },
  };
}

/** The claim with the ids of its photos. */
export async function claimWithPhotos(
  db: ServiceContext['db'],
  row: Parameters<typeof repo.toClaim>[0],
): Promise<Claim> {
  const photos = await repo.photoIdsOfClaims(db, [row.id]);
  return repo.toClaim(row, photos.get(row.id) ?? []);
}

const accountCache = new WeakMap<object, Map<string, string>>();

/** The issuance account of the municipality and the resident's wallet (opened when missing). */
async function accountsFor(ctx: ServiceContext, municipalityId: string, residentId: string) {
  let cache = accountCache.get(ctx.storage);
  if (!cache) {
    cache = new Map();
    accountCache.set(ctx.storage, cache);
  }
  const open = async (kind: 'issuance' | 'wallet', ownerId: string | null) => {
    const key = `${municipalityId}:${kind}:${ownerId ?? ''}`;
    let id = cache.get(key);
    if (!id) {
      id = (await ledger.openAccount(ctx, { municipalityId, kind, ownerId })).id;
      if (cache.size > 100_000) cache.clear();
      cache.set(key, id);
    }
    return id;
  };
  return { issuance: await open('issuance', null), wallet: await open('wallet', residentId) };
}

function lockKeys(activityId: string, terms: Pick<ActivityTerms, 'budget'>, earner: Earner) {
  const keys = [`resident:${earner.resident.id}`];
  if (earner.householdId) keys.push(`household:${earner.householdId}`);
  if (terms.budget) keys.push(`activity:${activityId}`);
  return keys;
}

/** The error for the first refusing violation, with what the resident needs to know. */
export function refusalFor(
  violations: readonly LimitViolation[],
  becauseWaiting: boolean,
  occurredAt: string,
  terms: Pick<ActivityTerms, 'limits'>,
): DomainError {
  const first = violations[0]!;
  switch (first.code) {
    case 'count_limit':
    case 'points_limit': {
      const resetsAt = periodEnd(first.period, new Date(occurredAt))?.toISOString() ?? null;
      if (becauseWaiting) {
        return new DomainError(
          'claim_waiting',
          'conflict',
          'A claim for this is already waiting for a decision.',
          { details: { scope: first.scope, period: first.period, max: first.max } },
        );
      }
      return new DomainError(
        'limit_reached',
        'conflict',
        'The limit for this activity is reached.',
        {
          details: {
            scope: first.scope,
            period: first.period,
            max: first.max,
            resetsAt,
            limits: terms.limits.length,
          },
        },
      );
    }
    case 'cooldown':
      return new DomainError('cooldown', 'conflict', 'Wait a little before claiming this again.', {
        details: { retryAfterSeconds: first.secondsLeft },
      });
    case 'budget_spent':
      return new DomainError(
        'budget_spent',
        'conflict',
        "This activity's budget is spent for now.",
      );
    case 'yearly_cap':
      return new DomainError(
        'yearly_cap_reached',
        'conflict',
        'You have earned the most points allowed this year.',
      );
  }
}

export function claimNotFound() {
  return new DomainError('claim_not_found', 'not_found', 'No such claim here.');
}
