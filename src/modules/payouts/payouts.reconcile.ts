import { getAddress } from 'viem';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { authorize } from '../../shared/policy.js';
import { findAccount } from '../ledger/ledger.service.js';
import { type RailTransfer, railOf } from './payouts.rail.js';
import { findSettingsRow } from './payouts.repository.js';
import type { PayoutRow } from './sending.repository.js';
import * as repo from './sending.repository.js';

/**
 * Reconciliation (the daily `payouts.reconcile` job and `civicpoints payouts reconcile`): the
 * treasury's payments as the rail reports them (the token's Transfer logs from the treasury,
 * from `reconcile_from_block` to the head) against the payouts that record them, and the
 * ledger's `payout` account against the confirmed payouts. Every run is kept, with its
 * differences, for staff.
 */

export type ReconciliationDifference =
  /** A payment from the treasury no payout records (sent outside the system). */
  | { kind: 'unknown_transfer'; txHash: string; to: string; amount: string; block: number }
  /** A confirmed payout whose payment the rail does not show. */
  | { kind: 'missing_transfer'; payoutId: string; txHash: string }
  | { kind: 'amount_mismatch'; payoutId: string; txHash: string; expected: string; actual: string }
  | {
      kind: 'recipient_mismatch';
      payoutId: string;
      txHash: string;
      expected: string;
      actual: string;
    }
  /** A payment for a payout that is not submitted or confirmed (the ledger gave the points back). */
  | { kind: 'status_mismatch'; payoutId: string; txHash: string; status: string }
  /** The ledger's posted payout credits differ from the confirmed payouts' points. */
  | { kind: 'ledger_mismatch'; expected: number; actual: number };

export interface ReconciliationSummary {
  transfers: number;
  tokenUnitsSent: string;
  confirmedPayouts: number;
  confirmedPoints: number;
  ledgerPayoutPoints: number;
}

export interface ReconciliationReport {
  id: string;
  municipalityId: string;
  ranAt: string;
  fromBlock: number;
  toBlock: number;
  ok: boolean;
  differences: ReconciliationDifference[];
  summary: ReconciliationSummary;
}

function compare(payouts: PayoutRow[], transfers: RailTransfer[]): ReconciliationDifference[] {
  const differences: ReconciliationDifference[] = [];
  const byHash = new Map(payouts.map((p) => [p.tx_hash!.toLowerCase(), p]));
  const seen = new Set<string>();
  for (const transfer of transfers) {
    const hash = transfer.reference.toLowerCase();
    seen.add(hash);
    const payout = byHash.get(hash);
    if (!payout) {
      differences.push({
        kind: 'unknown_transfer',
        txHash: transfer.reference,
        to: transfer.to,
        amount: transfer.amount.toString(),
        block: transfer.position,
      });
      continue;
    }
    const ids = { payoutId: payout.id, txHash: transfer.reference };
    if (payout.status !== 'confirmed' && payout.status !== 'submitted') {
      differences.push({ kind: 'status_mismatch', ...ids, status: payout.status });
    }
    if (BigInt(payout.token_amount) !== transfer.amount) {
      differences.push({
        kind: 'amount_mismatch',
        ...ids,
        expected: payout.token_amount,
        actual: transfer.amount.toString(),
      });
    }
    if (getAddress(payout.address) !== getAddress(transfer.to)) {
      differences.push({
        kind: 'recipient_mismatch',
        ...ids,
        expected: getAddress(payout.address),
        actual: getAddress(transfer.to),
      });
    }
  }
  for (const payout of payouts) {
    if (payout.status === 'confirmed' && !seen.has(payout.tx_hash!.toLowerCase())) {
      differences.push({ kind: 'missing_transfer', payoutId: payout.id, txHash: payout.tx_hash! });
    }
  }
  return differences;
}

function toReport(row: repo.ReconciliationRow): ReconciliationReport {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    ranAt: row.ran_at,
    fromBlock: row.from_block,
    toBlock: row.to_block,
    ok: row.difference_count === 0,
    differences: JSON.parse(row.differences) as ReconciliationDifference[],
    summary: JSON.parse(row.summary) as ReconciliationSummary,
  };
}

/** Reconciles one municipality's treasury now and keeps the report. Throws chain_unavailable. */
export async function reconcilePayouts(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<ReconciliationReport> {
  authorize(ctx, 'payouts.approve', municipalityId);
  const settings = await findSettingsRow(ctx.db, municipalityId);
  if (!settings?.token_address) {
    throw new DomainError('payouts_disabled', 'conflict', 'Payouts are not set up here.');
  }
  const statement = await railOf(settings.rail).reconcile(settings, {
    from: settings.reconcile_from_block,
  });
  const payouts = await repo.listSentPayouts(ctx.db, municipalityId);
  const differences = compare(payouts, statement.transfers);
  const confirmedPoints = await repo.sumConfirmedPoints(ctx.db, municipalityId);
  const payoutAccount = await findAccount(ctx, { municipalityId, kind: 'payout' });
  const ledgerPayoutPoints = payoutAccount?.creditsPosted ?? 0;
  if (ledgerPayoutPoints !== confirmedPoints) {
    differences.push({
      kind: 'ledger_mismatch',
      expected: confirmedPoints,
      actual: ledgerPayoutPoints,
    });
  }
  const summary: ReconciliationSummary = {
    transfers: statement.transfers.length,
    tokenUnitsSent: statement.transfers.reduce((sum, t) => sum + t.amount, 0n).toString(),
    confirmedPayouts: payouts.filter((p) => p.status === 'confirmed').length,
    confirmedPoints,
    ledgerPayoutPoints,
  };
  const row = await repo.insertReconciliation(ctx.db, {
    municipality_id: municipalityId,
    ran_at: ctx.clock.now().toISOString(),
    from_block: statement.from,
    to_block: statement.to,
    difference_count: differences.length,
    differences: JSON.stringify(differences),
    summary: JSON.stringify(summary),
  });
  return toReport(row);
}

/** The latest kept report of a municipality, if any. */
export async function latestReconciliationReport(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<ReconciliationReport | undefined> {
  authorize(ctx, 'payouts.read', municipalityId);
  const row = await repo.latestReconciliation(ctx.db, municipalityId);
  return row && toReport(row);
}

/**
 * Reconciles every enabled municipality with a token (the daily job). One municipality's chain
 * not answering does not stop the others; the job fails at the end so it is retried.
 */
export async function reconcileAllPayouts(ctx: ServiceContext): Promise<ReconciliationReport[]> {
  const reports: ReconciliationReport[] = [];
  const failures: unknown[] = [];
  for (const settings of await repo.listEnabledPayoutSettings(ctx.db)) {
    if (!settings.token_address) continue;
    try {
      reports.push(await reconcilePayouts(ctx, settings.municipality_id));
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} reconciliation(s) failed`);
  }
  return reports;
}
