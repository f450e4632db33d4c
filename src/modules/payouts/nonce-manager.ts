import type { Address, Hex } from 'viem';
import type { ServiceContext } from '../../shared/context.js';
import { inTransaction } from '../../storage/transaction.js';
import type { ChainConfig } from './erc20/chain.js';
import {
  latestNonce,
  maxGasCostOf,
  pendingNonce,
  signTokenTransfer,
  tokenBalance,
} from './erc20/chain.js';
import { ChainError, isChainError } from './erc20/chain-errors.js';
import { findPayoutRow, transitionPayout } from './payouts.repository.js';
import { chooseNonce, fillsNonceGap } from './payouts.rules.js';
import type { PayoutRow } from './sending.repository.js';
import * as repo from './sending.repository.js';

/**
 * One nonce manager per treasury and chain, shared by every process through `payout_nonces`:
 * the nonce is taken, the transfer signed and the payout recorded as `submitted` (nonce, hash,
 * signed transaction) in ONE database transaction that holds the treasury's nonce row. Two
 * processes therefore never sign with one nonce, and a transfer is never broadcast before it is
 * recorded. A refusal the treasury causes (no gas, no tokens, the node refused) rolls the
 * transaction back: the nonce stays free and the payout can be parked. Which nonce: chooseNonce
 * (a retried payout's own, else the lowest one no payout holds, so a cancelled payout's
 * nonce is filled rather than left as a gap).
 */

/** Refusals staff can act on: the payout is parked with the code as its reason. */
const PARKING_CODES = new Set([
  'treasury_gas_insufficient',
  'treasury_balance_insufficient',
  'chain_rejected',
]);

export type SignOutcome =
  | { kind: 'recorded'; payout: PayoutRow }
  | { kind: 'parked'; reason: string }
  | { kind: 'skipped' };

/** How often a sender tries again while another process holds SQLite's write lock. */
const BUSY_ATTEMPTS = 40;

/**
 * SQLite lets one connection write at a time and this transaction holds the lock while the
 * transfer is signed (a few RPC calls): another process's sender can wait past SQLite's busy
 * timeout. Nothing was done then (the lock is taken at `begin`), so it simply tries again.
 */
function isSqliteBusy(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
}

export async function signAndRecord(
  ctx: ServiceContext,
  config: ChainConfig,
  payoutId: string,
  privateKey: Hex,
): Promise<SignOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await signAndRecordOnce(ctx, config, payoutId, privateKey);
    } catch (error) {
      if (!isSqliteBusy(error) || attempt >= BUSY_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
    }
  }
}

async function signAndRecordOnce(
  ctx: ServiceContext,
  config: ChainConfig,
  payoutId: string,
  privateKey: Hex,
): Promise<SignOutcome> {
  const before = await findPayoutRow(ctx.db, payoutId);
  if (before?.status !== 'queued') return { kind: 'skipped' };
  const treasury = before.treasury_address as Address;
  // Read before the transaction: the nonce row's lock is held for as short as the signing needs.
  const [chainPending, mined, balance] = await Promise.all([
    pendingNonce(config, treasury),
    latestNonce(config, treasury),
    tokenBalance(config, before.token_address as Address, treasury),
  ]);
  try {
    return await inTransaction(ctx.db, async (trx): Promise<SignOutcome> => {
      const payout = await findPayoutRow(trx, payoutId);
      if (payout?.status !== 'queued') return { kind: 'skipped' };
      const stored = await repo.lockTreasuryNonce(trx, payout.chain_id, treasury, chainPending);
      const amount = BigInt(payout.token_amount);
      // signTokenTransfer checks the balances at the latest block only; transfers this treasury
      // has in flight (signed, not mined) would spend the same tokens, and gas.
      const inFlight = await repo.inFlightTransfers(trx, payout.chain_id, treasury, mined);
      const tokensInFlight = inFlight.reduce((sum, t) => sum + t.tokenAmount, 0n);
      if (balance - tokensInFlight < amount) {
        throw new ChainError(
          'treasury_balance_insufficient',
          'The treasury holds fewer tokens than the payout and the transfers in flight.',
          { required: amount.toString(), available: (balance - tokensInFlight).toString() },
        );
      }
      const nativeReserved = inFlight.reduce(
        (sum, t) => sum + (t.signedTransaction ? maxGasCostOf(t.signedTransaction as Hex) : 0n),
        0n,
      );
      const choice = {
        own: payout.nonce,
        mined,
        chainPending,
        stored,
        held: await repo.heldNonces(trx, payout.chain_id, treasury, mined),
      };
      let nonce = chooseNonce(choice);
      if (fillsNonceGap(nonce, choice)) {
        // The chain's counts were read before the lock, and another process's transfers may
        // have been mined since: a gap below `stored` is filled only if the chain still has it.
        nonce = chooseNonce({ ...choice, chainPending: await pendingNonce(config, treasury) });
      }
      const signed = await signTokenTransfer(config, {
        privateKey,
        token: payout.token_address as Address,
        to: payout.address as Address,
        amount,
        nonce,
        nativeReserved,
      });
      const at = ctx.clock.now().toISOString();
      const changes = {
        status: 'submitted' as const,
        nonce,
        tx_hash: signed.txHash,
        signed_tx: signed.serializedTransaction,
        submitted_at: at,
        park_reason: null,
        updated_at: at,
      };
      if (!(await transitionPayout(trx, payoutId, 'queued', changes))) {
        return { kind: 'skipped' };
      }
      await repo.setTreasuryNextNonce(trx, payout.chain_id, treasury, Math.max(stored, nonce + 1));
      return { kind: 'recorded', payout: { ...payout, ...changes } };
    });
  } catch (error) {
    if (isChainError(error) && PARKING_CODES.has(error.code)) {
      return { kind: 'parked', reason: error.code };
    }
    throw error;
  }
}
