import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getAccount, openAccount } from '../../src/modules/ledger/ledger.service.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { describeEachBackend } from '../support/backends.js';
import { type HttpAnswer, type HttpPool, httpPool } from '../support/http-pool.js';
import { startTestServer, testContext } from '../support/server.js';
import {
  municipalityIdOf,
  savePayoutSettings,
  settingsBody,
  staffHeaders,
  treasuryKeyInEnv,
  type WalletResident,
  walletResident,
} from './payouts-world.js';

/**
 * Payout requests under load, over real HTTP with 50 keep-alive connections: 50 requests of one
 * resident at once against the yearly cap, against the balance, with mixed amounts, and 20 retries
 * of one request at once. Never over the cap, never below zero, one hold per payout, and the
 * ledger's balances agree with the payouts stored. On SQLite and on PostgreSQL.
 */

const cli = (app: FastifyInstance) => ({
  ...testContext(app),
  actor: { kind: 'operator_cli' as const },
});

const CAP = 10_000;

const tally = (answers: HttpAnswer[]) => {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const key = `${answer.status} ${answer.status >= 400 ? (answer.body?.code ?? '') : ''}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

describeEachBackend('payout requests at once', (backend) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let http: HttpPool;
  let peltId: string;
  let scenario = 0;

  beforeAll(async () => {
    const server = await startTestServer({
      backend,
      seedDemo: true,
      env: { WRITE_RATE_LIMIT: '1000000' },
    });
    app = server.app;
    close = server.close;
    http = httpPool(server.url, 50);
    const admin = await staffHeaders(app, 'pelt', ['admin'], 'pc.admin@example.be');
    // No approval threshold: every accepted request is queued with its job, the busiest path.
    await savePayoutSettings(
      app,
      'pelt',
      admin,
      settingsBody(treasuryKeyInEnv().source, {
        yearlyCapPoints: CAP,
        approvalThresholdPoints: null,
        maxPoints: 5000,
        minPoints: 1,
      }),
    );
    peltId = await municipalityIdOf(app, 'pelt');
  }, 60_000);
  afterAll(async () => {
    http?.close();
    await close?.();
  });

  /** The resident's payouts, and what the ledger says their wallet holds for them. */
  async function outcome(resident: WalletResident) {
    const payouts = await testContext(app)
      .db.selectFrom('payouts')
      .selectAll()
      .where('resident_id', '=', resident.id)
      .execute();
    const ctx = cli(app);
    const wallet = await getAccount(
      ctx,
      (await openAccount(ctx, { municipalityId: peltId, kind: 'wallet', ownerId: resident.id })).id,
    );
    const holds = await testContext(app)
      .db.selectFrom('ledger_transfers')
      .select(['id', 'amount'])
      .where('reference', 'in', payouts.length ? payouts.map((p) => p.id) : ['none'])
      .execute();
    return {
      payouts,
      total: payouts.reduce((sum, p) => sum + Number(p.points), 0),
      wallet,
      available: wallet.creditsPosted - wallet.debitsPosted - wallet.debitsPending,
      holds,
    };
  }

  function fire(resident: WalletResident, amounts: number[], ids?: string[]) {
    scenario++;
    return Promise.all(
      amounts.map((points, i) =>
        http.request('POST', '/api/me/payouts', resident.headers, {
          points,
          clientRequestId: ids?.[i] ?? `load-${scenario}-${i}-${process.pid}`,
        }),
      ),
    );
  }

  it('50 requests at once against the yearly cap: exactly as many as fit, never over it', async () => {
    const resident = await walletResident(app, 'pelt', 50_000);
    const answers = await fire(resident, Array(50).fill(700));
    expect(tally(answers)).toEqual({ '201': 14, '409 payout_yearly_cap_reached': 36 });
    const result = await outcome(resident);
    expect(result.total).toBe(9800);
    expect(result.total).toBeLessThanOrEqual(CAP);
    expect(result.payouts).toHaveLength(14);
    expect(result.wallet.debitsPending).toBe(9800);
    expect(result.available).toBe(50_000 - 9800);
    expect(result.holds).toHaveLength(14);
  }, 60_000);

  it('50 requests at once against the balance: never below zero', async () => {
    const resident = await walletResident(app, 'pelt', 2050);
    const answers = await fire(resident, Array(50).fill(100));
    expect(tally(answers)).toEqual({ '201': 20, '409 insufficient_points': 30 });
    const result = await outcome(resident);
    expect(result.total).toBe(2000);
    expect(result.available).toBe(50);
    expect(result.holds).toHaveLength(20);
  }, 60_000);

  it('50 mixed requests at once: what was accepted fits the cap and the balance, and the ledger agrees', async () => {
    const resident = await walletResident(app, 'pelt', 9000);
    const amounts = Array.from({ length: 50 }, (_, i) => 100 + ((i * 379) % 900));
    const answers = await fire(resident, amounts);
    const accepted = answers.filter((a) => a.status === 201);
    for (const refused of answers.filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(409);
      expect(['payout_yearly_cap_reached', 'insufficient_points']).toContain(refused.body.code);
    }
    const result = await outcome(resident);
    const acceptedTotal = accepted.reduce((sum, a) => sum + a.body.points, 0);
    expect(result.total).toBe(acceptedTotal);
    expect(result.total).toBeLessThanOrEqual(Math.min(CAP, 9000));
    expect(result.available).toBe(9000 - acceptedTotal);
    expect(result.available).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('20 retries of one request at once: one payout, one hold, the same answer', async () => {
    const resident = await walletResident(app, 'pelt', 1000);
    const answers = await fire(
      resident,
      Array(20).fill(300),
      Array(20).fill(`same-${process.pid}`),
    );
    const statuses = tally(answers);
    expect(statuses['201']).toBe(1);
    expect(statuses['200']).toBe(19);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const result = await outcome(resident);
    expect(result.payouts).toHaveLength(1);
    expect(result.holds).toHaveLength(1);
    expect(result.available).toBe(700);
  }, 60_000);

  it('leaves the ledger chain intact', async () => {
    const report = await verifyLedger(cli(app), {});
    expect(report.municipalities.flatMap((m) => m.problems)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
