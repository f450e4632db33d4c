import { enqueueJob } from '../../jobs/enqueue.js';
import { pgBossFor } from '../../jobs/pgboss.js';
import { jobDefinitions } from '../../jobs/registry.js';
import { yearBounds, yearOf } from '../../shared/calendar.js';
import { type ServiceContext, withDb } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import { lockKeys } from '../../storage/advisory-locks.js';
import type { Db } from '../../storage/database.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inGroupedTransaction } from '../../storage/grouped-transaction.js';
import type { PayoutStatus } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as ledger from '../ledger/ledger.service.js';
import { activeAddressOf, type ProvenAddress } from './addresses.service.js';
import { placePayoutHold, voidPayoutHold } from './payout-holds.js';
import { SEND_PAYOUT_JOB } from './payouts.jobs.js';
import * as repo from './payouts.repository.js';
import {
  addressUsable,
  CAP_COUNTING_STATUSES,
  CLIENT_REQUEST_ID_PATTERN,
  needsApproval,
  type PayoutLimitViolation,
  payoutLimitViolations,
  payoutTransferIds,
  quoteTokenUnits,
  tokensText,
  transactionUrl,
} from './payouts.rules.js';
import type {
  Payout,
  PayoutRequestResult,
  PayoutSettings,
  PayoutView,
  ResidentPayoutSettings,
} from './payouts.types.js';

/**
 * Requesting payouts and deciding on them. A request is one transaction under a per-resident
 * lock: the yearly cap and the balance are read, the ledger holds the points (wallet → payout,
 * pending) and the payout is stored — queued with its send job, or waiting for a finance officer
 * above the threshold. A client request id makes a request safe to retry; concurrent requests of
 * one resident are serialized, so together they never pass the cap nor the balance.
 */

const LIST_LIMIT = 200;

function residentOf(ctx: ServiceContext) {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw new Error('unreachable');
  return ctx.actor;
}

/** A payout as the API shows it, with its explorer link when the transaction is known. */
export function viewPayout(settings: PayoutSettings | undefined, payout: Payout): PayoutView {
  return { ...payout, txUrl: transactionUrl(settings?.explorerTxUrl ?? null, payout.txHash) };
}

function payoutsDisabled(): DomainError {
  return new DomainError('payouts_disabled', 'conflict', 'Payouts are not offered here now.');
}

export function payoutNotFound(): DomainError {
  return new DomainError('payout_not_found', 'not_found', 'No such payout.');
}

const VIOLATION_TEXTS: Record<PayoutLimitViolation['code'], string> = {
  payout_below_minimum: 'This is below the smallest payout.',
  payout_above_maximum: 'This is above the largest payout.',
  payout_yearly_cap_reached: 'This would pass your payout limit for this year.',
  insufficient_points: 'You do not have enough points for this.',
};

function violationError(violation: PayoutLimitViolation, resetsAt: Date): DomainError {
  const { code, ...details } = violation;
  return new DomainError(code, 'conflict', VIOLATION_TEXTS[code], {
    details:
      code === 'payout_yearly_cap_reached'
        ? { ...details, resetsAt: resetsAt.toISOString() }
        : details,
  });
}

/** The address a payout may go to now: `payout_address_missing`, `payout_address_cooling_off`. */
function usableAddress(address: ProvenAddress | null, now: Date): ProvenAddress {
  if (!address) {
    throw new DomainError(
      'payout_address_missing',
      'conflict',
      'Add and prove a wallet address first.',
    );
  }
  if (!addressUsable(address.usableFrom, now)) {
    throw new DomainError(
      'payout_address_cooling_off',
      'conflict',
      'Your new address can receive payouts after a waiting period.',
      { details: { address: address.address, usableFrom: address.usableFrom } },
    );
  }
  return address;
}

/** Points of the resident's payouts this Brussels calendar year that count against the cap. */
async function usedThisYear(db: Db, residentId: string, now: Date): Promise<number> {
  const { start, end } = yearBounds(yearOf(now));
  return repo.pointsRequested(
    db,
    residentId,
    start.toISOString(),
    end.toISOString(),
    CAP_COUNTING_STATUSES,
  );
}

function replayed(
  settings: PayoutSettings | undefined,
  payout: Payout,
  points: number,
): PayoutRequestResult {
  if (payout.points !== points) {
    throw new DomainError(
      'payout_request_id_reused',
      'conflict',
      'This request id was used for another amount; send a new id for a new payout.',
      { details: { payoutId: payout.id, points: payout.points } },
    );
  }
  return { payout: viewPayout(settings, payout), created: false };
}

/**
 * Asks for a payout of `points` to the resident's proven address. Outcomes: the payout
 * (created, or the earlier one for a retry with the same id and points); `invalid_input`;
 * `payouts_disabled`; `payout_address_missing`; `payout_address_cooling_off`;
 * `payout_below_minimum`; `payout_above_maximum`; `payout_yearly_cap_reached`;
 * `insufficient_points`; `payout_request_id_reused`; `not_signed_in`, `permission_denied`.
 */
export async function requestPayout(
  ctx: ServiceContext,
  input: { points: number; clientRequestId: string },
): Promise<PayoutRequestResult> {
  const { residentId, municipalityId } = residentOf(ctx);
  const errors = [];
  if (
    typeof input.clientRequestId !== 'string' ||
    !CLIENT_REQUEST_ID_PATTERN.test(input.clientRequestId)
  ) {
    errors.push({
      field: '/clientRequestId',
      code: 'pattern',
      message: 'Send 8-64 letters, digits or ._:- (one id per payout, the same on a retry).',
    });
  }
  if (!Number.isSafeInteger(input.points) || input.points < 1) {
    errors.push({
      field: '/points',
      code: 'minimum',
      message: 'Ask for a whole number of points.',
    });
  }
  if (errors.length > 0) throw invalidInput(errors);

  const settings = await repo.findSettings(ctx.db, municipalityId);
  const earlier = await repo.findByClientRequestId(ctx.db, residentId, input.clientRequestId);
  if (earlier) return replayed(settings, earlier, input.points);
  if (!settings?.enabled || settings.tokenAddress === null) throw payoutsDisabled();
  const tokenAddress = settings.tokenAddress;

  const now = ctx.clock.now();
  usableAddress(await activeAddressOf(ctx, residentId), now);
  const wallet = await ledger.openAccount(ctx, {
    municipalityId,
    kind: 'wallet',
    ownerId: residentId,
  });
  await ledger.openAccount(ctx, { municipalityId, kind: 'payout' });
  const tokenAmount = quoteTokenUnits(input.points, settings.tokenUnitsPerPoint).toString();
  const status: PayoutStatus = needsApproval(input.points, settings.approvalThresholdPoints)
    ? 'awaiting_approval'
    : 'queued';
  // pg-boss installs itself through the pool on first use: done before taking a connection and
  // the resident's lock, so requests waiting on the lock never starve the install.
  if (status === 'queued' && ctx.storage.dialect === 'postgres') {
    await pgBossFor(ctx.storage, jobDefinitions());
  }

  try {
    const placed = await inGroupedTransaction(ctx.storage, ctx.db, async (db) => {
      const tx = withDb(ctx, db);
      await lockKeys(db, 'payouts', [`resident:${residentId}`]);
      const again = await repo.findByClientRequestId(db, residentId, input.clientRequestId);
      if (again) return { payout: again, created: false };
      // The address may have changed since the check above: the one in force now is paid.
      const address = usableAddress(await activeAddressOf(tx, residentId), now);
      const used = await usedThisYear(db, residentId, now);
      const available = ledger.availablePoints(await ledger.getAccount(tx, wallet.id));
      const [violation] = payoutLimitViolations(input.points, settings, {
        usedThisYearPoints: used,
        availablePoints: available,
      });
      if (violation) throw violationError(violation, yearBounds(yearOf(now)).end);

      const id = newId('pay', now);
      const hold = await placePayoutHold(tx, {
        payoutId: id,
        municipalityId,
        residentId,
        points: input.points,
      });
      if (hold.result === 'insufficient_funds') {
        throw violationError({ code: 'insufficient_points', needed: input.points, available }, now);
      }
      if (hold.result !== 'ok') throw new Error(`the ledger refused payout ${id}: ${hold.result}`);
      const at = now.toISOString();
      await repo.insertPayout(db, {
        id,
        municipality_id: municipalityId,
        resident_id: residentId,
        client_request_id: input.clientRequestId,
        rail: settings.rail,
        points: input.points,
        token_amount: tokenAmount,
        address: address.address,
        status,
        hold_transfer_id: payoutTransferIds(id).hold,
        chain_id: settings.chainId,
        token_address: tokenAddress,
        treasury_address: settings.treasuryAddress,
        nonce: null,
        tx_hash: null,
        signed_tx: null,
        block_number: null,
        park_reason: null,
        failure_reason: null,
        decided_by: null,
        requested_at: at,
        submitted_at: null,
        settled_at: null,
        updated_at: at,
      });
      if (status === 'queued') await enqueueJob(tx, SEND_PAYOUT_JOB, { payoutId: id });
      return { payout: (await repo.findPayout(db, id))!, created: true };
    });
    if (!placed.created) return replayed(settings, placed.payout, input.points);
    return { payout: viewPayout(settings, placed.payout), created: true };
  } catch (error) {
    // Two requests with one id at once: the second finds the first's payout.
    if (isUniqueViolation(error)) {
      const winner = await repo.findByClientRequestId(ctx.db, residentId, input.clientRequestId);
      if (winner) return replayed(settings, winner, input.points);
    }
    throw error;
  }
}

/** The resident's payouts, newest first (at most 200), each with its explorer link. */
export async function listMyPayouts(ctx: ServiceContext): Promise<PayoutView[]> {
  const { residentId, municipalityId } = residentOf(ctx);
  const settings = await repo.findSettings(ctx.db, municipalityId);
  const payouts = await repo.listPayoutsOf(ctx.db, residentId, LIST_LIMIT);
  return payouts.map((payout) => viewPayout(settings, payout));
}

/** What the resident's payout page shows: the rules, what is used this year, the address. */
export async function myPayoutSettings(ctx: ServiceContext): Promise<ResidentPayoutSettings> {
  const { residentId, municipalityId } = residentOf(ctx);
  const settings = await repo.findSettings(ctx.db, municipalityId);
  const wallet = await ledger.findAccount(ctx, {
    municipalityId,
    kind: 'wallet',
    ownerId: residentId,
  });
  const used = await usedThisYear(ctx.db, residentId, ctx.clock.now());
  const base = {
    usedThisYearPoints: used,
    availablePoints: wallet ? Math.max(0, ledger.availablePoints(wallet)) : 0,
    address: await activeAddressOf(ctx, residentId),
  };
  if (!settings) {
    return {
      enabled: false,
      chainId: null,
      tokenSymbol: null,
      tokenDecimals: null,
      tokenUnitsPerPoint: null,
      tokensPerPoint: null,
      minPoints: null,
      maxPoints: null,
      yearlyCapPoints: null,
      approvalThresholdPoints: null,
      ...base,
    };
  }
  return {
    enabled: settings.enabled && settings.tokenAddress !== null,
    chainId: settings.chainId,
    tokenSymbol: settings.tokenSymbol,
    tokenDecimals: settings.tokenDecimals,
    tokenUnitsPerPoint: settings.tokenUnitsPerPoint,
    tokensPerPoint: tokensText(BigInt(settings.tokenUnitsPerPoint), settings.tokenDecimals),
    minPoints: settings.minPoints,
    maxPoints: settings.maxPoints,
    yearlyCapPoints: settings.yearlyCapPoints,
    approvalThresholdPoints: settings.approvalThresholdPoints,
    ...base,
  };
}

/** A municipality's payouts for staff, newest first (at most 200), optionally of one status. */
export async function listMunicipalPayouts(
  ctx: ServiceContext,
  municipalityId: string,
  status?: PayoutStatus,
): Promise<PayoutView[]> {
  authorize(ctx, 'payouts.read', municipalityId);
  const settings = await repo.findSettings(ctx.db, municipalityId);
  const payouts = await repo.listMunicipalPayouts(ctx.db, municipalityId, status, LIST_LIMIT);
  return payouts.map((payout) => viewPayout(settings, payout));
}

/** One payout of the municipality for staff. Outcomes: the payout; `payout_not_found`. */
export async function getMunicipalPayout(
  ctx: ServiceContext,
  municipalityId: string,
  payoutId: string,
): Promise<PayoutView> {
  authorize(ctx, 'payouts.read', municipalityId);
  const payout = await repo.findPayout(ctx.db, payoutId);
  if (!payout || payout.municipalityId !== municipalityId) throw payoutNotFound();
  return viewPayout(await repo.findSettings(ctx.db, municipalityId), payout);
}

/**
 * Runs a staff decision on a payout awaiting approval, in one transaction with the row locked.
 * Outcomes: the changed payout; `payout_not_found` (also another municipality's);
 * `payout_not_awaiting_approval`.
 */
async function decide(
  ctx: ServiceContext,
  municipalityId: string,
  payoutId: string,
  apply: (tx: ServiceContext, payout: Payout) => Promise<void>,
): Promise<PayoutView> {
  const decided = await inTransaction(ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    const payout = await repo.findPayoutForUpdate(db, payoutId, ctx.storage.dialect);
    if (!payout || payout.municipalityId !== municipalityId) throw payoutNotFound();
    if (payout.status !== 'awaiting_approval') {
      throw new DomainError(
        'payout_not_awaiting_approval',
        'conflict',
        `This payout is ${payout.status}; only a payout awaiting approval can be decided.`,
        { details: { status: payout.status } },
      );
    }
    await apply(tx, payout);
    return (await repo.findPayout(db, payoutId))!;
  });
  return viewPayout(await repo.findSettings(ctx.db, municipalityId), decided);
}

/**
 * Approves a payout above the threshold: it is queued and its send job enqueued in the same
 * transaction. Outcomes: the payout; `payout_not_found`; `payout_not_awaiting_approval`;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function approvePayout(
  ctx: ServiceContext,
  municipalityId: string,
  payoutId: string,
): Promise<PayoutView> {
  authorize(ctx, 'payouts.approve', municipalityId);
  if (ctx.storage.dialect === 'postgres') await pgBossFor(ctx.storage, jobDefinitions());
  return decide(ctx, municipalityId, payoutId, async (tx, payout) => {
    const at = tx.clock.now().toISOString();
    const decidedBy = actorIdentity(tx.actor).id;
    await repo.transitionPayout(tx.db, payout.id, 'awaiting_approval', {
      status: 'queued',
      decided_by: decidedBy,
      updated_at: at,
    });
    await enqueueJob(tx, SEND_PAYOUT_JOB, { payoutId: payout.id });
    await recordAudit(tx, {
      municipalityId,
      action: 'payout.approved',
      subjectType: 'payout',
      subjectId: payout.id,
      before: { status: payout.status },
      after: { status: 'queued', points: payout.points },
    });
  });
}

/**
 * Rejects a payout awaiting approval: its hold is voided (the points are back in the wallet)
 * and the note kept as the reason. Outcomes: the payout; `invalid_input` (note);
 * `payout_not_found`; `payout_not_awaiting_approval`; `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function rejectPayout(
  ctx: ServiceContext,
  municipalityId: string,
  payoutId: string,
  input: { note: string },
): Promise<PayoutView> {
  authorize(ctx, 'payouts.approve', municipalityId);
  const note = typeof input.note === 'string' ? input.note.trim() : '';
  if (note.length < 1 || note.length > 1000) {
    throw invalidInput([
      { field: '/note', code: 'length', message: 'Say why in 1 to 1000 characters.' },
    ]);
  }
  return decide(ctx, municipalityId, payoutId, async (tx, payout) => {
    const at = tx.clock.now().toISOString();
    await voidPayoutHold(tx, payout);
    await repo.transitionPayout(tx.db, payout.id, 'awaiting_approval', {
      status: 'rejected',
      failure_reason: note,
      decided_by: actorIdentity(tx.actor).id,
      settled_at: at,
      updated_at: at,
    });
    await recordAudit(tx, {
      municipalityId,
      action: 'payout.rejected',
      subjectType: 'payout',
      subjectId: payout.id,
      before: { status: payout.status },
      after: { status: 'rejected', points: payout.points, note },
    });
  });
}
