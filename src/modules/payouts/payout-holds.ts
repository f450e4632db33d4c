import type { ServiceContext } from '../../shared/context.js';
import * as ledger from '../ledger/ledger.service.js';
import type { TransferResult } from '../ledger/ledger.types.js';
import { payoutTransferIds } from './payouts.rules.js';
import type { Payout } from './payouts.types.js';

/**
 * The ledger side of a payout, the same for every rail: a pending transfer wallet → `payout`
 * (the hold, no timeout) when the request is accepted, posted when the rail confirms, voided when
 * staff reject it or it fails for good. Each is idempotent by its transfer id, so a job that runs
 * twice moves the points once. Call these inside the transaction that changes the payout's status.
 */

/**
 * Places the hold for a new payout. Outcomes: `ok`; `insufficient_funds` (the wallet cannot
 * cover it); another ledger result code for a refusal that is a bug (the caller throws).
 */
export async function placePayoutHold(
  ctx: ServiceContext,
  input: { payoutId: string; municipalityId: string; residentId: string; points: number },
): Promise<TransferResult> {
  const wallet = await ledger.openAccount(ctx, {
    municipalityId: input.municipalityId,
    kind: 'wallet',
    ownerId: input.residentId,
  });
  const payout = await ledger.openAccount(ctx, {
    municipalityId: input.municipalityId,
    kind: 'payout',
  });
  const [result] = await ledger.createTransfers(ctx, [
    {
      id: payoutTransferIds(input.payoutId).hold,
      municipalityId: input.municipalityId,
      debitAccountId: wallet.id,
      creditAccountId: payout.id,
      amount: input.points,
      flags: { pending: true },
      code: 'payout_hold',
      reference: input.payoutId,
    },
  ]);
  return result!;
}

/** Posts the payout's hold (the rail confirmed): the points leave the wallet for good. Throws on a refusal other than "already posted". */
export async function postPayoutHold(ctx: ServiceContext, payout: Payout): Promise<void> {
  const [result] = await ledger.createTransfers(ctx, [
    {
      id: payoutTransferIds(payout.id).post,
      municipalityId: payout.municipalityId,
      pendingId: payout.holdTransferId,
      flags: { postPending: true },
      code: 'payout',
      reference: payout.id,
    },
  ]);
  if (result?.result === 'ok' || result?.result === 'exists') return;
  throw new Error(`the ledger refused to post payout ${payout.id}: ${result?.result}`);
}

/** Voids the payout's hold (rejected, cancelled, failed): the points are back in the wallet. Throws on a refusal other than "already voided". */
export async function voidPayoutHold(ctx: ServiceContext, payout: Payout): Promise<void> {
  const [result] = await ledger.createTransfers(ctx, [
    {
      id: payoutTransferIds(payout.id).void,
      municipalityId: payout.municipalityId,
      pendingId: payout.holdTransferId,
      flags: { voidPending: true },
      code: 'payout_void',
      reference: payout.id,
    },
  ]);
  if (result?.result === 'ok' || result?.result === 'exists') return;
  throw new Error(`the ledger refused to void payout ${payout.id}: ${result?.result}`);
}
