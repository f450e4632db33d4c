import type { Address, Hash } from 'viem';
import { afterEach, expect, it } from 'vitest';
import { transactionOutcome, treasuryTransfers } from '../../src/modules/payouts/erc20/chain.js';
import { findPayoutRow } from '../../src/modules/payouts/payouts.repository.js';
import { sendPayout } from '../../src/modules/payouts/payouts.sending.js';
import { describeEachBackend } from '../support/backends.js';
import {
  createPayoutsFixture,
  createQueuedPayout,
  localChainForFile,
  type PayoutsFixture,
  payoutLedger,
  residentTokens,
  type SenderProcess,
  startSenderProcess,
  UNITS_PER_POINT,
  usePayoutsDatabase,
} from '../support/payouts-fixture.js';
import { endProcess } from '../support/test-jobs.js';

/**
 * A sender process SIGKILLed in the middle of sending: after the transfer was recorded but
 * before it was broadcast, and after it was broadcast (and mined) but before the outcome was
 * recorded. Sending again (here in the test's process) pays the resident exactly once — one
 * transfer on chain, the very transaction that was recorded — and the ledger agrees.
 */

const local = localChainForFile();

async function transfersTo(fixture: PayoutsFixture) {
  const all = await treasuryTransfers(
    { rpcUrl: fixture.rpcUrl, chainId: fixture.chainId },
    { token: fixture.token, treasury: fixture.treasury, fromBlock: 0n, toBlock: 1_000_000n },
  );
  return all.filter((t) => t.to === (fixture.residentAddress as Address));
}

describeEachBackend('a sender killed while sending', (backend) => {
  const handle = usePayoutsDatabase(backend);
  let sender: SenderProcess | undefined;
  afterEach(async () => {
    if (sender) await endProcess(sender.child, 'SIGKILL');
    sender = undefined;
  });

  for (const stage of ['recorded', 'broadcast'] as const) {
    it(`pays exactly once when killed after the transfer was ${stage}`, async () => {
      const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
        treasuryKey: local.chain.accounts[stage === 'recorded' ? 1 : 2]!,
      });
      const id = await createQueuedPayout(fixture, 300);
      const config = { rpcUrl: fixture.rpcUrl, chainId: fixture.chainId };

      sender = startSenderProcess(handle.url, [id], { PAYOUTS_STOP_AT: stage });
      await sender.waitForOutput(`stopped ${stage} ${id}`);
      await endProcess(sender.child, 'SIGKILL');
      expect(sender.child.signalCode).toBe('SIGKILL');

      const recorded = (await findPayoutRow(handle.ctx.db, id))!;
      expect(recorded.status).toBe('submitted');
      expect(recorded.signed_tx).toMatch(/^0x/);
      const seen = await transactionOutcome(config, recorded.tx_hash as Hash, 1);
      if (stage === 'recorded') {
        expect(seen).toBe('not_found');
        expect(await residentTokens(fixture)).toBe(0n);
      } else {
        // hardhat mines at once: paid on chain, not yet in the ledger.
        expect(seen).toMatchObject({ status: 'confirmed' });
        expect((await payoutLedger(fixture)).payout.creditsPosted).toBe(0);
      }

      expect(await sendPayout(handle.ctx, id, { pollIntervalMs: 100, waitMs: 20_000 })).toBe(
        'confirmed',
      );
      const settled = (await findPayoutRow(handle.ctx.db, id))!;
      expect(settled.tx_hash).toBe(recorded.tx_hash);
      expect(settled.nonce).toBe(recorded.nonce);
      const transfers = await transfersTo(fixture);
      expect(transfers.map((t) => t.txHash)).toEqual([recorded.tx_hash]);
      expect(await residentTokens(fixture)).toBe(300n * UNITS_PER_POINT);
      const ledger = await payoutLedger(fixture);
      expect(ledger.payout.creditsPosted).toBe(300);
      expect(ledger.wallet.debitsPosted).toBe(300);
      expect(ledger.wallet.debitsPending).toBe(0);

      // And once more, as a retried job would: nothing moves.
      expect(await sendPayout(handle.ctx, id)).toBe('confirmed');
      expect(await transfersTo(fixture)).toHaveLength(1);
    }, 90_000);
  }
});
