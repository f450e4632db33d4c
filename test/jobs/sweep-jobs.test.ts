import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { startAppJobs } from '../../src/jobs/app-jobs.js';
import * as ledger from '../../src/modules/ledger/ledger.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { getMyVoucher } from '../../src/modules/vouchers/purchases.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { createLedgerFixture } from '../support/factories.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { givePoints, spendable } from '../support/spending.js';
import { waitFor } from '../support/test-jobs.js';

/**
 * The periodic work the sweeps used to do runs as scheduled jobs: with the app's runner started
 * (short tick and poll, the app's fixed clock), a voucher past its expiry is expired by the
 * `vouchers.expire` job and a hold past its timeout by `ledger.expire-holds`, in the slot after
 * the clock moved. /ready reports the runner.
 */

/** The jobs that run every minute (the sweeps of old). */
const SWEEPS = [
  'vouchers.expire',
  'ledger.expire-holds',
  'tasks.lapse-claims',
  'reports.purge-unconfirmed',
  'alerts.send-digests',
];

describeEachBackend('scheduled sweep jobs', (backend) => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('expire a voucher and a hold in the slot after they are due; /ready reports the runner', async () => {
    app = await createTestApp({ backend, seedDemo: true });
    const ctx = testContext(app);
    const clock = app.deps.clock as FixedClock;
    // A voucher bought today (its reward valid for 60 days).
    const signedIn = await signInResident(app, 'pelt', 'forgetful@example.be');
    const residentId = signedIn.resident.id;
    await givePoints(app, 'pelt', residentId, 500);
    const rewards = (await app.inject({ url: '/api/municipalities/pelt/rewards' })).json().items;
    const discount = rewards.find((r: { code: string }) => r.code === 'shop-discount');
    const bought = await app.inject({
      method: 'POST',
      url: '/api/me/vouchers',
      headers: signedIn.headers,
      payload: { rewardId: discount.id, clientPurchaseId: 'jobs-test-1' },
    });
    expect(bought.statusCode, bought.body).toBe(201);
    const voucherId = bought.json().id as string;
    const pointsBefore = await spendable(app, 'pelt', residentId);
    // A hold of 10 points for 30 s elsewhere.
    const { municipalityId, issuance, wallet, partner } = await createLedgerFixture(ctx, {
      slug: 'jobs-town',
    });
    await ledger.createTransfers(ctx, [
      {
        municipalityId,
        code: 'earn',
        id: 'e',
        debitAccountId: issuance.id,
        creditAccountId: wallet.id,
        amount: 10,
      },
      {
        municipalityId,
        code: 'spend',
        id: 'h',
        debitAccountId: wallet.id,
        creditAccountId: partner.id,
        amount: 10,
        flags: { pending: true },
        timeoutSeconds: 30,
      },
    ]);

    const runner = await startAppJobs(app, { pollMs: 20, tickMs: 20 });
    expect((await app.inject('/ready')).json()).toEqual({
      status: 'ready',
      database: 'ok',
      jobs: 'ok',
    });
    // This minute's slot runs every sweep job; nothing is due yet.
    await waitFor(async () => {
      const stats = await runner.stats();
      return SWEEPS.every((queue) => stats.find((s) => s.queue === queue)?.completedRecently === 1);
    }, "this minute's sweeps");
    expect((await ledger.getAccount(ctx, wallet.id)).debitsPending).toBe(10);

    clock.advance(61_000);
    await waitFor(
      async () => (await ledger.getAccount(ctx, wallet.id)).debitsPending === 0,
      'the hold expired by the job',
    );
    expect((await ledger.getTransfer(ctx, 'ledger:expire:h')).phase).toBe('expire');

    clock.advance(61 * 86_400_000);
    const asResident = {
      ...ctx,
      actor: {
        kind: 'resident' as const,
        residentId,
        municipalityId: (await getMunicipality(ctx, 'pelt')).id,
        sessionId: 'test',
      },
    };
    await waitFor(
      async () => (await getMyVoucher(asResident, voucherId)).status === 'expired',
      'the voucher expired by the job',
    );
    expect(await spendable(app, 'pelt', residentId)).toBeGreaterThan(pointsBefore);
    expect((await runner.stats()).every((s) => s.failed === 0)).toBe(true);

    await runner.stop();
    const stopped = await app.inject('/ready');
    expect(stopped.statusCode).toBe(503);
    expect(stopped.json()).toMatchObject({ code: 'not_ready' });
  }, 45_000);
});
