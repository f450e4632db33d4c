import { privateKeyToAccount } from 'viem/accounts';
import { expect, it } from 'vitest';
import {
  latestReconciliationReport,
  reconcileAllPayouts,
  reconcilePayouts,
} from '../../src/modules/payouts/payouts.reconcile.js';
import { sendPayout } from '../../src/modules/payouts/payouts.sending.js';
import { treasuryBalance } from '../../src/modules/payouts/treasury-balance.service.js';
import { describeEachBackend } from '../support/backends.js';
import {
  createPayoutsFixture,
  createQueuedPayout,
  localChainForFile,
  sendTokensOutside,
  UNITS_PER_POINT,
} from '../support/payouts-fixture.js';
import { useServiceContext } from '../support/storage-context.js';

/**
 * Reconciliation against a hardhat node: payouts sent by the system reconcile clean; a transfer
 * from the treasury made outside the system, a payout whose recipient was changed and a ledger
 * that does not match are each reported; every run is kept.
 */

const local = localChainForFile();

describeEachBackend('reconciling payouts', (backend) => {
  const handle = useServiceContext(backend);

  it('reports ok for payouts sent by the system and finds what was not', async () => {
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey: local.chain.accounts[3]!,
    });
    const paid = [await createQueuedPayout(fixture, 100), await createQueuedPayout(fixture, 50)];
    for (const id of paid) expect(await sendPayout(handle.ctx, id)).toBe('confirmed');

    const clean = await reconcilePayouts(handle.ctx, fixture.municipalityId);
    expect(clean.differences).toEqual([]);
    expect(clean).toMatchObject({ ok: true, fromBlock: 0 });
    expect(clean.toBlock).toBeGreaterThan(0);
    expect(clean.summary).toEqual({
      transfers: 2,
      tokenUnitsSent: (150n * UNITS_PER_POINT).toString(),
      confirmedPayouts: 2,
      confirmedPoints: 150,
      ledgerPayoutPoints: 150,
    });
    expect(await reconcileAllPayouts(handle.ctx)).toHaveLength(1);

    // Tokens leave the treasury outside the system.
    const stranger = privateKeyToAccount(local.chain.accounts[0]!).address;
    const strayHash = await sendTokensOutside(
      fixture,
      fixture.treasuryKey,
      stranger,
      7n * UNITS_PER_POINT,
    );
    // A payout row altered after the fact: recorded recipient no longer the one paid.
    await handle.ctx.db
      .updateTable('payouts')
      .set({ address: stranger })
      .where('id', '=', paid[1]!)
      .execute();

    const report = await reconcilePayouts(handle.ctx, fixture.municipalityId);
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'unknown_transfer',
          txHash: strayHash,
          to: stranger,
          amount: (7n * UNITS_PER_POINT).toString(),
        }),
        expect.objectContaining({
          kind: 'recipient_mismatch',
          payoutId: paid[1],
          actual: fixture.residentAddress,
        }),
      ]),
    );
    expect(report.differences).toHaveLength(2);
    expect(await latestReconciliationReport(handle.ctx, fixture.municipalityId)).toEqual(report);

    // A confirmed payout the chain never saw, and a ledger short of its points.
    await handle.ctx.db
      .updateTable('payouts')
      .set({ tx_hash: `0x${'ab'.repeat(32)}`, points: 60 })
      .where('id', '=', paid[0]!)
      .execute();
    const worse = await reconcilePayouts(handle.ctx, fixture.municipalityId);
    expect(worse.differences.map((d) => d.kind).sort()).toEqual([
      'ledger_mismatch',
      'missing_transfer',
      'recipient_mismatch',
      'unknown_transfer',
      'unknown_transfer',
    ]);
    expect(worse.differences).toContainEqual({
      kind: 'ledger_mismatch',
      expected: 110,
      actual: 150,
    });
  }, 90_000);

  it('tells the treasury balance', async () => {
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey: local.chain.accounts[3]!,
      supply: 5n * 10n ** 18n,
    });
    const balance = await treasuryBalance(handle.ctx, fixture.municipalityId);
    expect(balance).toMatchObject({
      treasuryAddress: fixture.treasury,
      tokenAddress: fixture.token,
      tokenUnits: (5n * 10n ** 18n).toString(),
    });
    expect(BigInt(balance.nativeWei)).toBeGreaterThan(0n);
  }, 60_000);
});
