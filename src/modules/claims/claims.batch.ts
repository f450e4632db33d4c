import { type ServiceContext, withDb } from '../../shared/context.js';
import type { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Db } from '../../storage/database.js';
import type { ClaimsTable } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import { isWithinWindow } from '../catalog/catalog.rules.js';
import type { Activity } from '../catalog/catalog.types.js';
import type { Earner } from '../identity/earners.service.js';
import * as ledger from '../ledger/ledger.service.js';
import type { TransferInput } from '../ledger/ledger.types.js';
import { emitEvent } from '../webhooks/webhooks.service.js';
import { recordAwards } from './claims.awards.repository.js';
import { importAccounts } from './claims.batch.accounts.js';
import * as batchRepo from './claims.batch.repository.js';
import { addUsage, NO_USAGE, readTally, type Tally, windowsOf } from './claims.batch.usage.js';
import { assessClaim } from './claims.checks.js';
import { claimEvent, refusalFor, transferIdOf } from './claims.placement.js';
import type { EarningSettings } from './claims.types.js';
import { checkLimits, pointsForQuantity } from './limits.rules.js';
import type { UsageByLimit } from './limits.types.js';

/**
 * Imported claims, many at a time: what placeClaim does for one claim, for a batch of records a
 * partner's system sent, in ONE transaction. The earning locks of every resident, household and
 * budgeted activity in the batch are taken at once; the limit usage is read with one grouped
 * query per activity and then kept up to date in memory row by row, so the rows of a batch see
 * each other exactly as consecutive placeClaim calls would; the claims are written with
 * multi-row inserts and paid with one ledger batch (`claim:<claimId>` transfers).
 *
 * Same rules as placeClaim: the activity must be open at the record's time, count limits and
 * the cooldown refuse, points caps lower the award, claims still waiting for a reviewer refuse
 * (`claim_waiting`) or hold back (`limit_pending`) the record. Imports are verified by the
 * partner, so the resident's pace, account age and photos raise no flags.
 */

export interface ImportDraft {
  activity: Activity;
  earner: Earner;
  /** The quantity in thousandths of the activity's unit. */
  quantityMilli: number;
  /** When it happened (ISO instant): decides the limit periods and the activity's window. */
  occurredAt: string;
  /** The record's identity at its sender, e.g. `visit:<partnerId>:<visitId>:<stream>`. */
  externalKey: string;
}

export type ImportOutcome =
  | { status: 'approved'; claimId: string; points: number }
  | { status: 'waiting'; claimId: string }
  | { status: 'already_imported'; claimId: string }
  | { status: 'refused'; code: string; message: string };

export interface ImportBatch {
  municipalityId: string;
  partnerId: string | null;
  drafts: readonly ImportDraft[];
  settings: EarningSettings;
  /** The refusal for a key imported before with another resident, activity or quantity. */
  duplicate: { code: string; message: string };
  /** Runs inside the batch's transaction once its claims are written (e.g. an import's progress). */
  inside?: (db: Db, outcomes: readonly ImportOutcome[]) => Promise<void>;
}

/** The import's `decidedBy` on the claims it approves. */
export const IMPORT_DECIDER = { kind: 'system', id: 'import' } as const;

/**
 * Places a batch of imported claims; one outcome per draft, in order. A draft whose key exists
 * with the same resident, activity and quantity is `already_imported` (nothing changes); one
 * refused — `activity_closed`, `limit_reached`, `claim_waiting`, `cooldown`, `budget_spent`,
 * `yearly_cap_reached`, the duplicate code — stores nothing and never stops the others.
 * Throws only for what is not the records' fault (the database, a ledger refusal).
 */
export async function placeImportedClaims(
  ctx: ServiceContext,
  batch: ImportBatch,
): Promise<ImportOutcome[]> {
  const { drafts, municipalityId } = batch;
  const now = ctx.clock.now();
  const at = now.toISOString();
  const accounts = await importAccounts(
    ctx,
    municipalityId,
    drafts.map((d) => d.earner.resident.id),
  );
  return inTransaction(ctx.db, async (db) => {
    await batchRepo.lockEarningKeysAtOnce(db, lockKeysOf(drafts));
    const existing = await batchRepo.findClaimsByExternalKeys(db, municipalityId, [
      ...new Set(drafts.map((d) => d.externalKey)),
    ]);
    const outcomes: ImportOutcome[] = new Array(drafts.length);
    const live: number[] = [];
    const keysInBatch = new Set<string>();
    drafts.forEach((draft, index) => {
      const found = existing.get(draft.externalKey);
      if (found || keysInBatch.has(draft.externalKey)) {
        outcomes[index] =
          found &&
          found.resident_id === draft.earner.resident.id &&
          found.activity_id === draft.activity.id &&
          found.quantity_milli === draft.quantityMilli
            ? { status: 'already_imported', claimId: found.id }
            : { status: 'refused', ...batch.duplicate };
        return;
      }
      keysInBatch.add(draft.externalKey);
      const terms = draft.activity.current;
      if (draft.activity.status !== 'active' || !isWithinWindow(terms, draft.occurredAt)) {
        outcomes[index] = {
          status: 'refused',
          code: 'activity_closed',
          message: 'The activity cannot be earned at this time (archived, or outside its dates).',
        };
        return;
      }
      live.push(index);
    });
    const tally = await readTally(
      db,
      live.map((index) => drafts[index]!),
      batch.settings,
      now,
    );
    const rows: ClaimsTable[] = [];
    const transfers: TransferInput[] = [];
    for (const index of live) {
      const draft = drafts[index]!;
      const decision = decide(draft, tally, batch.settings, at);
      if (decision.kind === 'refused') {
        outcomes[index] = { status: 'refused', code: decision.code, message: decision.message };
        continue;
      }
      const id = newId('clm', now);
      const approved = decision.kind === 'approved';
      const paid = approved && decision.points > 0;
      rows.push({
        id,
        municipality_id: municipalityId,
        activity_id: draft.activity.id,
        activity_version_id: draft.activity.current.id,
        resident_id: draft.earner.resident.id,
        household_id: draft.earner.householdId,
        source: 'import',
        partner_id: batch.partnerId,
        method: 'import',
        external_key: draft.externalKey,
        quantity_milli: draft.quantityMilli,
        requested_points: decision.requestedPoints,
        points: approved ? decision.points : 0,
        note: null,
        latitude: null,
        longitude: null,
        site_location_id: null,
        occurred_at: draft.occurredAt,
        submitted_at: at,
        status: approved ? 'approved' : 'submitted',
        risk: decision.risk,
        flags: decision.flags,
        decided_at: approved ? at : null,
        decided_by_kind: approved ? IMPORT_DECIDER.kind : null,
        decided_by: approved ? IMPORT_DECIDER.id : null,
        reject_reason: null,
        decision_note: null,
        appealed_at: null,
        appeal_note: null,
        // A claim worth 0 points (a few hundred grams) is approved without a transfer: the
        // ledger has no zero-amount transfers, and the record still counts for the figures.
        transfer_id: paid ? transferIdOf(id) : null,
        updated_at: at,
      });
      if (paid) {
        transfers.push({
          id: transferIdOf(id),
          municipalityId,
          debitAccountId: accounts.issuance,
          creditAccountId: accounts.wallets.get(draft.earner.resident.id)!,
          amount: decision.points,
          code: 'claim',
          reference: id,
        });
      }
      outcomes[index] = approved
        ? { status: 'approved', claimId: id, points: decision.points }
        : { status: 'waiting', claimId: id };
    }
    await batchRepo.insertClaims(ctx.storage, db, rows);
    const inside = withDb(ctx, db);
    for (let start = 0; start < transfers.length; start += LEDGER_CHUNK) {
      const results = await ledger.createTransfers(
        inside,
        transfers.slice(start, start + LEDGER_CHUNK),
      );
      const refused = results.find((result) => result.result !== 'ok');
      if (refused) {
        throw new Error(`the ledger refused the payment ${refused.id}: ${refused.result}`);
      }
    }
    await recordAwards(
      db,
      rows.filter((row) => row.status === 'approved'),
    );
    for (const row of rows) {
      if (row.status === 'approved') await emitEvent(inside, claimEvent('claim.approved', row));
    }
    if (batch.inside) await batch.inside(db, outcomes);
    return outcomes;
  });
}

/** The ledger takes at most 8,190 transfers per call. */
const LEDGER_CHUNK = 8190;

type Decision =
  | {
      kind: 'approved' | 'waiting';
      requestedPoints: number;
      points: number;
      risk: ClaimsTable['risk'];
      flags: string;
    }
  | { kind: 'refused'; code: string; message: string };

/** The limit rules for one draft against the tally, which it then updates as stored. */
function decide(draft: ImportDraft, tally: Tally, settings: EarningSettings, at: string): Decision {
  const terms = draft.activity.current;
  const residentId = draft.earner.resident.id;
  const requestedPoints = pointsForQuantity(terms.points, draft.quantityMilli);
  const windows = windowsOf(draft);
  const approvedUsage: UsageByLimit = {};
  const withWaiting: UsageByLimit = {};
  for (const window of windows) {
    const approved = tally.approved.get(window.key) ?? NO_USAGE;
    const waiting = tally.waiting.get(window.key) ?? NO_USAGE;
    approvedUsage[window.limit] = approved;
    withWaiting[window.limit] = {
      count: approved.count + waiting.count,
      points: approved.points + waiting.points,
    };
  }
  const lastKey = `${draft.activity.id}|${residentId}`;
  const last = tally.last.get(lastKey);
  const secondsSinceLast =
    terms.cooldownSeconds > 0 && last !== undefined
      ? Math.max(0, Math.floor((Date.parse(draft.occurredAt) - Date.parse(last)) / 1000))
      : null;
  const common = {
    requestedPoints,
    limits: terms.limits,
    budget: terms.budget,
    budgetUsed: tally.budget.get(draft.activity.id) ?? 0,
    yearlyCap: settings.yearlyCapPoints,
    yearlyUsed: tally.yearly.get(residentId) ?? 0,
    secondsSinceLast,
    cooldownSeconds: terms.cooldownSeconds,
  };
  const approved = checkLimits({ ...common, usage: approvedUsage });
  if (approved.violations.length > 0) {
    return refusal(refusalFor(approved.violations, false, draft.occurredAt, terms));
  }
  const cautious = checkLimits({ ...common, usage: withWaiting });
  const waitingCount = cautious.violations.filter(
    (v) => v.code === 'count_limit' || v.code === 'cooldown',
  );
  if (waitingCount.length > 0) {
    return refusal(refusalFor(waitingCount, true, draft.occurredAt, terms));
  }
  const assessment = assessClaim({
    terms,
    method: 'import',
    occurredAt: draft.occurredAt,
    latitude: null,
    longitude: null,
    photos: [],
    pendingWouldExceed:
      cautious.violations.length > 0 || cautious.awardPoints < approved.awardPoints,
    recentClaims: 0,
    residentCreatedAt: draft.earner.resident.createdAt,
    submittedByResident: false,
    now: at,
    settings,
  });
  if (last === undefined || draft.occurredAt > last) tally.last.set(lastKey, draft.occurredAt);
  if (assessment.flags.length > 0) {
    for (const window of windows) addUsage(tally.waiting, window.key, requestedPoints);
    return {
      kind: 'waiting',
      requestedPoints,
      points: 0,
      risk: assessment.risk,
      flags: JSON.stringify(assessment.flags),
    };
  }
  const points = approved.awardPoints;
  for (const window of windows) addUsage(tally.approved, window.key, points);
  tally.budget.set(draft.activity.id, common.budgetUsed + points);
  tally.yearly.set(residentId, common.yearlyUsed + points);
  return { kind: 'approved', requestedPoints, points, risk: 'none', flags: '[]' };
}

function refusal(error: DomainError): Decision {
  return { kind: 'refused', code: error.code, message: error.message };
}

/** The earning locks placeClaim takes, for every draft of the batch, sorted as it sorts them. */
function lockKeysOf(drafts: readonly ImportDraft[]): string[] {
  const keys = new Set<string>();
  for (const draft of drafts) {
    keys.add(`resident:${draft.earner.resident.id}`);
    if (draft.earner.householdId) keys.add(`household:${draft.earner.householdId}`);
    if (draft.activity.current.budget) keys.add(`activity:${draft.activity.id}`);
  }
  return [...keys].sort();
}
