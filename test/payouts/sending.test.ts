import { randomBytes } from 'node:crypto';
import type { Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { expect, it } from 'vitest';
import {
  latestNonce,
  maxGasCostOf,
  sendTokenTransfer,
  tokenBalance,
} from '../../src/modules/payouts/erc20/chain.js';
import { findPayoutRow } from '../../src/modules/payouts/payouts.repository.js';
import {
  cancelParkedPayout,
  resumeStalledPayouts,
  retryParkedPayout,
  sendPayout,
} from '../../src/modules/payouts/payouts.sending.js';
import {
  configureWebhooks,
  createSubscription,
} from '../../src/modules/webhooks/webhooks.service.js';
import type { ServiceContext } from '../../src/shared/context.js';
import { configureSealingKey } from '../../src/shared/sealing-key.js';
import { describeEachBackend } from '../support/backends.js';
import { chainRpc } from '../support/chain.js';
import {
  createPayoutsFixture,
  createQueuedPayout,
  localChainForFile,
  payoutLedger,
  residentTokens,
  sendTokensOutside,
  UNITS_PER_POINT,
} from '../support/payouts-fixture.js';
import { useServiceContext } from '../support/storage-context.js';

/**
 * Sending payouts against a real hardhat node: paid on chain and posted in the ledger, the two
 * agreeing; a treasury without tokens parks the payout without using a nonce, and a retry after
 * funding pays it.
 */

const local = localChainForFile();

const fast = { pollIntervalMs: 100, waitMs: 20_000 };

/** The municipality's systems subscribe to the payout events (a receiver that is never called: the events are read back from the store). */
async function subscribeToPayoutEvents(ctx: ServiceContext, municipalityId: string) {
  const key = randomBytes(32);
  configureSealingKey(ctx.storage, () => key);
  configureWebhooks(ctx.storage, { allowHttp: true, allowPrivateTargets: true, timeoutMs: 300 });
  await createSubscription(
    ctx,
    { municipalityId, partnerId: null },
    { url: 'http://127.0.0.1:9/hooks', eventTypes: ['payout.confirmed', 'payout.failed'] },
  );
}

async function payoutEvents(ctx: ServiceContext, municipalityId: string) {
  const rows = await ctx.db
    .selectFrom('webhook_events')
    .select(['type', 'body'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    type: row.type,
    data: (JSON.parse(row.body) as { data: Record<string, unknown> }).data,
  }));
}

describeEachBackend('sending a payout', (backend) => {
  const handle = useServiceContext(backend);

  it('pays the resident on chain once and posts the hold', async () => {
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey: local.chain.accounts[1]!,
    });
    await subscribeToPayoutEvents(handle.ctx, fixture.municipalityId);
    const id = await createQueuedPayout(fixture, 250);
    const before = await payoutLedger(fixture);
    expect(before.wallet.debitsPending).toBe(250);

    expect(await sendPayout(handle.ctx, id, fast)).toBe('confirmed');

    const payout = (await findPayoutRow(handle.ctx.db, id))!;
    expect(payout).toMatchObject({ status: 'confirmed', park_reason: null });
    expect(payout.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(payout.block_number).toBeGreaterThan(0);
    expect(payout.settled_at).not.toBeNull();
    expect(await residentTokens(fixture)).toBe(250n * UNITS_PER_POINT);
    const after = await payoutLedger(fixture);
    expect(after.wallet.debitsPending).toBe(0);
    expect(after.wallet.debitsPosted).toBe(250);
    expect(after.payout.creditsPosted).toBe(250);
    const nonceRow = await handle.ctx.db
      .selectFrom('payout_nonces')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(nonceRow.next_nonce).toBe(payout.nonce! + 1);

    // Running the job again changes nothing and pays nothing.
    expect(await sendPayout(handle.ctx, id, fast)).toBe('confirmed');
    expect(await residentTokens(fixture)).toBe(250n * UNITS_PER_POINT);
    expect((await payoutLedger(fixture)).payout.creditsPosted).toBe(250);
    // The municipality's systems heard it once, without the resident or their address.
    const events = await payoutEvents(handle.ctx, fixture.municipalityId);
    expect(events).toEqual([
      {
        type: 'payout.confirmed',
        data: {
          payoutId: id,
          rail: 'erc20',
          points: 250,
          tokenAmount: (250n * UNITS_PER_POINT).toString(),
          chainId: local.chain.chainId,
          tokenAddress: fixture.token,
          txHash: payout.tx_hash,
          blockNumber: payout.block_number,
          confirmedAt: payout.settled_at,
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(payout.address);
  }, 60_000);

  it('parks a payout the treasury cannot fund, uses no nonce, and pays it after funding', async () => {
    // The token is minted to a funder; the treasury (a funded dev account) holds none of it.
    const funderKey = local.chain.accounts[2]!;
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey: local.chain.accounts[3]!,
      deployerKey: funderKey,
    });
    const config = { rpcUrl: local.chain.rpcUrl, chainId: local.chain.chainId };
    const noncesBefore = await latestNonce(config, fixture.treasury);
    const id = await createQueuedPayout(fixture, 400);

    expect(await sendPayout(handle.ctx, id, fast)).toBe('parked');
    expect(await findPayoutRow(handle.ctx.db, id)).toMatchObject({
      status: 'parked',
      park_reason: 'treasury_balance_insufficient',
      nonce: null,
      tx_hash: null,
    });
    expect(await latestNonce(config, fixture.treasury)).toBe(noncesBefore);
    const nonceRows = await handle.ctx.db.selectFrom('payout_nonces').selectAll().execute();
    expect(nonceRows).toEqual([]);
    expect((await payoutLedger(fixture)).wallet.debitsPending).toBe(400);

    await sendTokensOutside(fixture, funderKey, fixture.treasury, 1000n * UNITS_PER_POINT);
    const retried = await retryParkedPayout(handle.ctx, fixture.municipalityId, id);
    expect(retried.status).toBe('queued');
    expect(await sendPayout(handle.ctx, id, fast)).toBe('confirmed');
    expect((await findPayoutRow(handle.ctx.db, id))!.nonce).toBe(noncesBefore);
    expect(await residentTokens(fixture)).toBe(400n * UNITS_PER_POINT);
    expect((await payoutLedger(fixture)).payout.creditsPosted).toBe(400);
  }, 60_000);

  it('parks a payout when the treasury has tokens but no gas', async () => {
    const emptyKey = generatePrivateKey();
    const funderKey = local.chain.accounts[2]!;
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey: emptyKey,
      deployerKey: funderKey,
    });
    await sendTokensOutside(fixture, funderKey, fixture.treasury, 1000n * UNITS_PER_POINT);
    const id = await createQueuedPayout(fixture, 10);
    expect(await sendPayout(handle.ctx, id, fast)).toBe('parked');
    expect((await findPayoutRow(handle.ctx.db, id))!.park_reason).toBe('treasury_gas_insufficient');
    const config = { rpcUrl: local.chain.rpcUrl, chainId: local.chain.chainId };
    expect(await tokenBalance(config, fixture.token, privateKeyToAccount(emptyKey).address)).toBe(
      1000n * UNITS_PER_POINT,
    );
  }, 60_000);

  it('leaves aside the gas its transfers in flight may spend before signing another', async () => {
    const treasuryKey = generatePrivateKey();
    const funderKey = local.chain.accounts[2]!;
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey,
      deployerKey: funderKey,
    });
    await sendTokensOutside(fixture, funderKey, fixture.treasury, 1000n * UNITS_PER_POINT);
    const setNative = (wei: bigint) =>
      chainRpc(local.chain, 'hardhat_setBalance', [fixture.treasury, `0x${wei.toString(16)}`]);
    await setNative(10n ** 18n);
    const first = await createQueuedPayout(fixture, 10);
    const second = await createQueuedPayout(fixture, 20);
    await chainRpc(local.chain, 'evm_setAutomine', [false]);
    try {
      // The first transfer waits in the pool: in flight.
      expect(await sendPayout(handle.ctx, first, { pollIntervalMs: 100, waitMs: 300 })).toBe(
        'submitted',
      );
      const inFlight = (await findPayoutRow(handle.ctx.db, first))!;
      const gasCost = maxGasCostOf(inFlight.signed_tx as Hex);
      // Enough native currency for one and a half transfers: the first may spend one.
      await setNative(gasCost + gasCost / 2n);
      expect(await sendPayout(handle.ctx, second, fast)).toBe('parked');
      expect((await findPayoutRow(handle.ctx.db, second))!).toMatchObject({
        park_reason: 'treasury_gas_insufficient',
        nonce: null,
      });
    } finally {
      await chainRpc(local.chain, 'evm_setAutomine', [true]);
    }
    await chainRpc(local.chain, 'evm_mine');
    expect(await sendPayout(handle.ctx, first, fast)).toBe('confirmed');
    await setNative(10n ** 18n);
    await retryParkedPayout(handle.ctx, fixture.municipalityId, second);
    expect(await sendPayout(handle.ctx, second, fast)).toBe('confirmed');
    expect(await residentTokens(fixture)).toBe(30n * UNITS_PER_POINT);
    expect((await payoutLedger(fixture)).payout.creditsPosted).toBe(30);
  }, 60_000);

  it('cancels a parked payout (points back) and resumes stalled ones', async () => {
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey: local.chain.accounts[3]!,
      deployerKey: local.chain.accounts[2]!,
    });
    await subscribeToPayoutEvents(handle.ctx, fixture.municipalityId);
    const parked = await createQueuedPayout(fixture, 30);
    expect(await sendPayout(handle.ctx, parked, fast)).toBe('parked');
    const cancelled = await cancelParkedPayout(
      handle.ctx,
      fixture.municipalityId,
      parked,
      'treasury closed',
    );
    expect(cancelled).toMatchObject({
      status: 'failed',
      failure_reason: 'cancelled: treasury closed',
    });
    const ledgerAfter = await payoutLedger(fixture);
    expect(ledgerAfter.wallet.debitsPending).toBe(0);
    expect(ledgerAfter.wallet.debitsPosted).toBe(0);
    // Failed for good, told without the staff member's note; nothing was sent.
    expect(await payoutEvents(handle.ctx, fixture.municipalityId)).toEqual([
      {
        type: 'payout.failed',
        data: expect.objectContaining({
          payoutId: parked,
          points: 30,
          txHash: null,
          failureReason: 'cancelled',
          failedAt: cancelled.settled_at,
        }),
      },
    ]);
    await expect(
      retryParkedPayout(handle.ctx, fixture.municipalityId, parked),
    ).rejects.toMatchObject({ code: 'payout_not_parked' });

    // A queued payout whose job gave up is enqueued again, once.
    await createQueuedPayout(fixture, 20);
    expect(await resumeStalledPayouts(handle.ctx)).toBe(0);
    handle.clock.advance(11 * 60_000);
    expect(await resumeStalledPayouts(handle.ctx)).toBe(1);
    expect(await resumeStalledPayouts(handle.ctx)).toBe(0);
  }, 60_000);

  it('parks a transfer whose nonce was taken before broadcast, then pays once with a new nonce', async () => {
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey: local.chain.accounts[1]!,
    });
    const config = { rpcUrl: local.chain.rpcUrl, chainId: local.chain.chainId };
    const id = await createQueuedPayout(fixture, 70);
    const stranger = privateKeyToAccount(local.chain.accounts[0]!).address;
    let taken: string | undefined;
    const status = await sendPayout(handle.ctx, id, {
      ...fast,
      // Someone with the treasury key uses the recorded nonce before the payout is broadcast.
      async afterRecorded(payout) {
        taken = await sendTokenTransfer(config, {
          privateKey: fixture.treasuryKey,
          token: fixture.token,
          to: stranger,
          amount: 1n,
          nonce: payout.nonce!,
        });
      },
    });
    expect(status).toBe('parked');
    const parked = (await findPayoutRow(handle.ctx.db, id))!;
    expect(parked).toMatchObject({ status: 'parked', park_reason: 'nonce_conflict' });
    expect(parked.tx_hash).not.toBe(taken);
    expect(await residentTokens(fixture)).toBe(0n);

    await retryParkedPayout(handle.ctx, fixture.municipalityId, id);
    expect(await sendPayout(handle.ctx, id, fast)).toBe('confirmed');
    const paid = (await findPayoutRow(handle.ctx.db, id))!;
    expect(paid.nonce).toBe(parked.nonce! + 1);
    expect(paid.tx_hash).not.toBe(parked.tx_hash);
    expect(await residentTokens(fixture)).toBe(70n * UNITS_PER_POINT);
    expect((await payoutLedger(fixture)).payout.creditsPosted).toBe(70);
  }, 60_000);

  it('fills the nonce of a parked payout staff cancelled, so later transfers are not stuck behind it', async () => {
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey: local.chain.accounts[4]!,
    });
    const refused = await createQueuedPayout(fixture, 40);
    let status: string;
    try {
      status = await sendPayout(handle.ctx, refused, {
        ...fast,
        // The node refuses the recorded transfer outright: its fee cap is below the next
        // block's base fee. The payout is parked holding its unmined nonce.
        async afterRecorded() {
          await chainRpc(local.chain, 'hardhat_setNextBlockBaseFeePerGas', ['0xe8d4a51000000']);
        },
      });
    } finally {
      await chainRpc(local.chain, 'hardhat_setNextBlockBaseFeePerGas', ['0x3b9aca00']);
    }
    expect(status).toBe('parked');
    const parked = (await findPayoutRow(handle.ctx.db, refused))!;
    expect(parked).toMatchObject({ status: 'parked', park_reason: 'chain_rejected' });
    expect(parked.nonce).toBe(
      await latestNonce({ rpcUrl: fixture.rpcUrl, chainId: fixture.chainId }, fixture.treasury),
    );

    await cancelParkedPayout(handle.ctx, fixture.municipalityId, refused, 'fee too low');
    // The next payout takes the freed nonce (one past it would never be mined: a gap).
    const next = await createQueuedPayout(fixture, 25);
    expect(await sendPayout(handle.ctx, next, fast)).toBe('confirmed');
    expect((await findPayoutRow(handle.ctx.db, next))!.nonce).toBe(parked.nonce);
    const after = await createQueuedPayout(fixture, 10);
    expect(await sendPayout(handle.ctx, after, fast)).toBe('confirmed');
    expect((await findPayoutRow(handle.ctx.db, after))!.nonce).toBe(parked.nonce! + 1);
    expect(await residentTokens(fixture)).toBe(35n * UNITS_PER_POINT);
    const ledger = await payoutLedger(fixture);
    expect(ledger.wallet.debitsPending).toBe(0);
    expect(ledger.payout.creditsPosted).toBe(35);
  }, 60_000);
});
