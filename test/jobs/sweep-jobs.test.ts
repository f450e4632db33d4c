import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { startAppJobs } from '../../src/jobs/app-jobs.js';
import * as ledger from '../../src/modules/ledger/ledger.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { createLedgerFixture } from '../support/factories.js';
import { createTestApp, testContext } from '../support/server.js';
import { waitFor } from '../support/test-jobs.js';

/**
 * The periodic work the sweeps used to do runs as scheduled jobs: with the app's runner started
 * (short tick and poll, the app's fixed clock), a hold past its timeout is expired by the
 * `ledger.expire-holds` job of the next minute's slot. /ready reports the runner.
 */

describeEachBackend('scheduled sweep jobs', (backend) => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('expire a hold past its timeout in the next minute’s slot, and /ready reports the runner', async () => {
    app = await createTestApp({ backend });
    const runner = await startAppJobs(app, { pollMs: 20, tickMs: 20 });
    const ctx = testContext(app);
    const clock = app.deps.clock as FixedClock;
    const { municipalityId, issuance, wallet, partner } = await createLedgerFixture(ctx);
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
    expect((await app.inject('/ready')).json()).toEqual({
      status: 'ready',
      database: 'ok',
      jobs: 'ok',
    });
    // This minute's slot ran every sweep job (the hold was not due yet).
    await waitFor(async () => {
      const stats = await runner.stats();
      return stats.length >= 6 && stats.every((s) => s.completedRecently === 1);
    }, "this minute's sweeps");
    expect((await ledger.getAccount(ctx, wallet.id)).debitsPending).toBe(10);

    clock.advance(60_000);
    await waitFor(
      async () => (await ledger.getAccount(ctx, wallet.id)).debitsPending === 0,
      'the hold expired by the job',
    );
    expect((await ledger.getTransfer(ctx, 'ledger:expire:h')).phase).toBe('expire');
    const holds = (await runner.stats()).find((s) => s.queue === 'ledger.expire-holds');
    expect(holds?.failed).toBe(0);

    await runner.stop();
    const stopped = await app.inject('/ready');
    expect(stopped.statusCode).toBe(503);
    expect(stopped.json()).toMatchObject({ code: 'not_ready' });
  }, 30_000);
});
