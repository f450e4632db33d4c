import { enqueueJob } from '../../jobs/enqueue.js';
import type { ServiceContext } from '../../shared/context.js';
import { withDb } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { emitEvent } from '../webhooks/webhooks.service.js';
import { postPayoutHold, voidPayoutHold } from './payout-holds.js';
import { SEND_PAYOUT_JOB } from './payouts.jobs.js';
import { tellResidentPayoutReturned } from './payouts.notify.js';
import { type RailStatus, railOf, type SubmitHooks } from './payouts.rail.js';
import { findPayoutRow, transitionPayout } from './payouts.repository.js';
import type { PayoutRow } from './sending.repository.js';
import * as repo from './sending.repository.js';

/**
 * Sending a payout (the `payouts.send` job, docs/payouts.md "Sending"): an idempotent state
 * machine that can be run again at any point, by any process, after any crash.
 * queued → (rail.submit: nonce, hash and signed transaction recorded, then broadcast) submitted
 * → wait for the rail → confirmed (hold posted) | failed (hold voided) | parked (staff decide).
 */

/** How often, and how long, one run of the job waits for the rail before handing over. */
const POLL_INTERVAL_MS = 1_000;
const WAIT_IN_JOB_MS = 60_000;
/** A payout still pending after a run's wait is looked at again this much later. */
const RECHECK_AFTER_SECONDS = 30;

export interface SendOptions extends SubmitHooks {
  pollIntervalMs?: number;
  waitMs?: number;
}

export type SendResult = PayoutRow['status'] | 'missing';

/** Carries one payout as far as it goes now; returns where it ended up. */
export async function sendPayout(
  ctx: ServiceContext,
  payoutId: string,
  options: SendOptions = {},
): Promise<SendResult> {
  let payout = await findPayoutRow(ctx.db, payoutId);
  if (!payout) return 'missing';
  const rail = railOf(payout.rail);

  if (payout.status === 'queued') {
    const submitted = await rail.submit(ctx, payout, options);
    if (submitted.kind === 'parked') {
      await park(ctx, payout.id, submitted.recorded ? 'submitted' : 'queued', submitted.reason);
    }
    // Whatever happened (another worker may have sent it meanwhile), carry on from where it is.
    payout = (await findPayoutRow(ctx.db, payoutId))!;
  }
  if (payout.status !== 'submitted') return payout.status;

  const waitUntil = Date.now() + (options.waitMs ?? WAIT_IN_JOB_MS);
  for (;;) {
    const status = await rail.status(ctx, payout);
    if (status.kind !== 'pending') return settle(ctx, payout, status);
    if (Date.now() >= waitUntil) break;
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? POLL_INTERVAL_MS));
  }
  // Still in the pool or short of confirmations: look again later, in a new job, so waiting
  // for a slow chain never uses up the job's retries.
  await enqueueJob(
    ctx,
    SEND_PAYOUT_JOB,
    { payoutId },
    { startAfterSeconds: RECHECK_AFTER_SECONDS },
  );
  return 'submitted';
}

/** What the ledger side (payout-holds.ts) needs of a stored payout. */
function holdOf(payout: PayoutRow) {
  return {
    id: payout.id,
    municipalityId: payout.municipality_id,
    holdTransferId: payout.hold_transfer_id,
  };
}

async function settle(
  ctx: ServiceContext,
  payout: PayoutRow,
  status: Exclude<RailStatus, { kind: 'pending' }>,
): Promise<SendResult> {
  if (status.kind === 'parked') {
    await park(ctx, payout.id, 'submitted', status.reason);
    return 'parked';
  }
  if (status.kind === 'failed') {
    await failForGood(ctx, payout, 'submitted', { code: status.reason });
    return 'failed';
  }
  await inTransaction(ctx.db, async (db) => {
    const at = ctx.clock.now().toISOString();
    const changed = await transitionPayout(db, payout.id, 'submitted', {
      status: 'confirmed',
      block_number: status.position,
      settled_at: at,
      updated_at: at,
    });
    if (!changed) return;
    const tx = withDb(ctx, db);
    await postPayoutHold(tx, holdOf(payout));
    await emitEvent(tx, {
      type: 'payout.confirmed',
      municipalityId: payout.municipality_id,
      data: { ...payoutEventData(payout), blockNumber: status.position, confirmedAt: at },
    });
  });
  return 'confirmed';
}

/**
 * What a payout event tells the municipality's systems (docs/webhooks.md): amounts and the
 * transaction, never the resident or their address.
 */
function payoutEventData(payout: PayoutRow) {
  return {
    payoutId: payout.id,
    rail: payout.rail,
    points: payout.points,
    tokenAmount: payout.token_amount,
    chainId: payout.chain_id,
    tokenAddress: payout.token_address,
    txHash: payout.tx_hash,
  };
}

async function park(
  ctx: ServiceContext,
  payoutId: string,
  from: 'queued' | 'submitted',
  reason: string,
) {
  const at = ctx.clock.now().toISOString();
  await transitionPayout(ctx.db, payoutId, from, {
    status: 'parked',
    park_reason: reason,
    updated_at: at,
  });
}

/** Why a payout failed: a code, and a staff member's note on a cancellation. */
interface Failure {
  code: string;
  note?: string;
}

/** The stored `failure_reason`: the code, then the note when there is one (`cancelled: …`). */
function failureReasonOf(failure: Failure): string {
  return failure.note ? `${failure.code}: ${failure.note}` : failure.code;
}

/** Ends a payout for good: the hold is voided and the points are the resident's again. */
async function failForGood(
  ctx: ServiceContext,
  payout: PayoutRow,
  from: 'submitted' | 'parked',
  failure: Failure,
  decidedBy?: string,
): Promise<boolean> {
  const changed = await inTransaction(ctx.db, async (db) => {
    const at = ctx.clock.now().toISOString();
    const moved = await transitionPayout(db, payout.id, from, {
      status: 'failed',
      failure_reason: failureReasonOf(failure),
      settled_at: at,
      updated_at: at,
      ...(decidedBy !== undefined && { decided_by: decidedBy }),
      // A parked payout's transfer was never mined (refused, or its nonce used by another
      // transfer): its nonce goes back to the treasury for the next payout (chooseNonce) instead
      // of leaving a gap no later transfer could be mined past. Filling it also means the
      // refused transfer can never be mined after all. Its hash and signed transaction stay.
      ...(from === 'parked' && { nonce: null }),
    });
    if (!moved) return false;
    const tx = withDb(ctx, db);
    await voidPayoutHold(tx, holdOf(payout));
    await emitEvent(tx, {
      type: 'payout.failed',
      municipalityId: payout.municipality_id,
      data: {
        ...payoutEventData(payout),
        // A staff member's note on a cancellation stays out: the code only.
        failureReason: failure.code,
        failedAt: at,
      },
    });
    return true;
  });
  // Told once, by whoever moved it; inside a caller's transaction (a cancel) the email may go
  // out before that commits — the outbox retries, and the status it tells of is final.
  if (changed) {
    await tellResidentPayoutReturned(
      ctx,
      {
        municipalityId: payout.municipality_id,
        residentId: payout.resident_id,
        points: payout.points,
      },
      'failed',
    );
  }
  return changed;
}

async function parkedPayout(ctx: ServiceContext, municipalityId: string, id: string) {
  const payout = await findPayoutRow(ctx.db, id);
  if (!payout || payout.municipality_id !== municipalityId) {
    throw new DomainError('payout_not_found', 'not_found', 'There is no such payout.');
  }
  if (payout.status !== 'parked') throw notParked();
  return payout;
}

function notParked(): DomainError {
  return new DomainError(
    'payout_not_parked',
    'conflict',
    'Only a parked payout can be retried or cancelled.',
  );
}

/** Staff: a parked payout goes back to the queue (after the treasury was funded, say). */
export async function retryParkedPayout(
  ctx: ServiceContext,
  municipalityId: string,
  id: string,
): Promise<PayoutRow> {
  authorize(ctx, 'payouts.approve', municipalityId);
  const payout = await parkedPayout(ctx, municipalityId, id);
  await inTransaction(ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    const at = ctx.clock.now().toISOString();
    if (!(await transitionPayout(db, id, 'parked', { status: 'queued', updated_at: at }))) {
      throw notParked();
    }
    await enqueueJob(tx, SEND_PAYOUT_JOB, { payoutId: id });
    await recordAudit(tx, {
      municipalityId,
      action: 'payout.retried',
      subjectType: 'payout',
      subjectId: id,
      before: { status: 'parked', parkReason: payout.park_reason, nonce: payout.nonce },
      after: { status: 'queued' },
    });
  });
  return (await findPayoutRow(ctx.db, id))!;
}

/** Staff: a parked payout is given up; its hold is voided and the resident keeps the points. */
export async function cancelParkedPayout(
  ctx: ServiceContext,
  municipalityId: string,
  id: string,
  note: string,
): Promise<PayoutRow> {
  authorize(ctx, 'payouts.approve', municipalityId);
  const payout = await parkedPayout(ctx, municipalityId, id);
  const failure = { code: 'cancelled', note: note.trim() };
  await inTransaction(ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    if (!(await failForGood(tx, payout, 'parked', failure, actorIdentity(ctx.actor).id))) {
      throw notParked();
    }
    await recordAudit(tx, {
      municipalityId,
      action: 'payout.cancelled',
      subjectType: 'payout',
      subjectId: id,
      before: { status: 'parked', parkReason: payout.park_reason, nonce: payout.nonce },
      after: { status: 'failed', failureReason: failureReasonOf(failure) },
    });
  });
  return (await findPayoutRow(ctx.db, id))!;
}

/** A payout untouched this long while queued or submitted is sent again. */
const STALLED_AFTER_MS = 10 * 60_000;

/**
 * Enqueues `payouts.send` again for payouts stuck in `queued` or `submitted` (their job ran out
 * of retries while the chain did not answer, say). Harmless when a job is still on it: sending
 * is idempotent. Returns how many were enqueued.
 */
export async function resumeStalledPayouts(ctx: ServiceContext): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - STALLED_AFTER_MS).toISOString();
  let enqueued = 0;
  for (const payoutId of await repo.listStalledPayoutIds(ctx.db, before, 500)) {
    const id = await enqueueJob(ctx, SEND_PAYOUT_JOB, { payoutId }, { singletonKey: payoutId });
    if (id !== null) enqueued += 1;
  }
  return enqueued;
}
