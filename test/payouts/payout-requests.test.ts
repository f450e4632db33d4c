import type { FastifyInstance } from 'fastify';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  getAccount,
  listTransfersByReference,
  openAccount,
} from '../../src/modules/ledger/ledger.service.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp, testContext } from '../support/server.js';
import { spendable } from '../support/spending.js';
import {
  clockOf,
  type Headers,
  municipalityIdOf,
  proveAddress,
  savePayoutSettings,
  sendJobsFor,
  settingsBody,
  staffHeaders,
  treasuryKeyInEnv,
  type WalletResident,
  walletResident,
} from './payouts-world.js';

/**
 * Requesting payouts over HTTP: the limits (minimum, maximum, yearly cap, balance), a missing or
 * cooling-off address and disabled payouts are refused with stable codes and move nothing; an
 * accepted request holds the points (wallet → payout, pending) and is queued with its send job
 * in the same transaction, or waits for a finance officer above the threshold; approving queues
 * it, rejecting gives the points back; a retry with the same id is the same payout.
 */

const cli = (app: FastifyInstance) => ({
  ...testContext(app),
  actor: { kind: 'operator_cli' as const },
});

describeEachBackend('payout requests', (backend) => {
  let app: FastifyInstance;
  let admin: Headers;
  let finance: Headers;
  let analyst: Headers;
  let lommelFinance: Headers;
  let peltId: string;
  let counter = 0;
  const nextId = () => `req-${process.pid}-${++counter}`;

  const ask = (who: WalletResident | Headers, points: number, clientRequestId = nextId()) =>
    app.inject({
      method: 'POST',
      url: '/api/me/payouts',
      headers: 'headers' in who ? (who.headers as Headers) : who,
      payload: { points, clientRequestId },
    });
  const staffPost = (headers: Headers, url: string, payload?: object) =>
    app.inject({ method: 'POST', url, headers, ...(payload && { payload }) });
  const payoutRows = (residentId: string) =>
    testContext(app)
      .db.selectFrom('payouts')
      .selectAll()
      .where('resident_id', '=', residentId)
      .execute();
  const payoutAccount = async () =>
    getAccount(
      cli(app),
      (await openAccount(cli(app), { municipalityId: peltId, kind: 'payout' })).id,
    );

  /** Nothing moved for the resident: the same balance, no payouts, no hold on the payout account. */
  async function expectNothingMoved(resident: WalletResident, points: number) {
    expect(await spendable(app, 'pelt', resident.id)).toBe(points);
    expect(await payoutRows(resident.id)).toEqual([]);
  }

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    admin = await staffHeaders(app, 'pelt', ['admin'], 'pr.admin@example.be');
    finance = await staffHeaders(app, 'pelt', ['finance'], 'pr.finance@example.be');
    analyst = await staffHeaders(app, 'pelt', ['analyst'], 'pr.analyst@example.be');
    lommelFinance = await staffHeaders(app, 'lommel', ['finance'], 'pr.lommel@example.be');
    await savePayoutSettings(app, 'pelt', admin, settingsBody(treasuryKeyInEnv().source));
    peltId = await municipalityIdOf(app, 'pelt');
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a resident without a proven address and a municipality without payouts', async () => {
    const noAddress = await walletResident(app, 'pelt', 1000, false);
    const response = await ask(noAddress, 200);
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('payout_address_missing');
    await expectNothingMoved(noAddress, 1000);

    const lommel = await walletResident(app, 'lommel', 1000, false);
    const disabled = await ask(lommel, 200);
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().code).toBe('payouts_disabled');

    const bad = await ask(noAddress, 0);
    expect(bad.statusCode).toBe(400);
    const badId = await ask(noAddress, 200, 'x');
    expect(badId.statusCode).toBe(400);
  });

  it('refuses below the minimum, above the maximum and above the balance; nothing moves', async () => {
    const resident = await walletResident(app, 'pelt', 3000);
    const cases: [number, string, object][] = [
      [99, 'payout_below_minimum', { minPoints: 100 }],
      [5001, 'payout_above_maximum', { maxPoints: 5000 }],
      [3001, 'insufficient_points', { needed: 3001, available: 3000 }],
    ];
    for (const [points, code, details] of cases) {
      const response = await ask(resident, points);
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json()).toMatchObject({ code, details });
    }
    await expectNothingMoved(resident, 3000);
  });

  it('queues a request: holds the points, quotes the token exactly, enqueues the send job; a retry is the same payout', async () => {
    const resident = await walletResident(app, 'pelt', 3000);
    const before = await payoutAccount();
    const response = await ask(resident, 1500, 'queued-0001');
    expect(response.statusCode, response.body).toBe(201);
    const payout = response.json();
    expect(payout).toMatchObject({
      status: 'queued',
      points: 1500,
      tokenAmount: '15000000000000000000',
      address: resident.address,
      chainId: 31337,
      tokenAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      holdTransferId: `pyh_${payout.id}`,
      txHash: null,
      txUrl: null,
    });
    expect(payout.id).toMatch(/^pay_/);
    expect(await spendable(app, 'pelt', resident.id)).toBe(1500);
    const after = await payoutAccount();
    expect(after.creditsPending - before.creditsPending).toBe(1500);
    expect(after.creditsPosted).toBe(before.creditsPosted);
    expect(await sendJobsFor(app, payout.id)).toBe(1);

    const retry = await ask(resident, 1500, 'queued-0001');
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(payout);
    const reused = await ask(resident, 1400, 'queued-0001');
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('payout_request_id_reused');
    expect(await spendable(app, 'pelt', resident.id)).toBe(1500);
    expect(await payoutRows(resident.id)).toHaveLength(1);
    expect(await sendJobsFor(app, payout.id)).toBe(1);
    const transfers = await listTransfersByReference(cli(app), peltId, payout.id);
    expect(transfers.map((t) => t.id)).toEqual([`pyh_${payout.id}`]);

    const mine = await app.inject({
      method: 'GET',
      url: '/api/me/payouts',
      headers: resident.headers,
    });
    expect(mine.json().items).toEqual([payout]);
  });

  it('stops at the yearly cap', async () => {
    const resident = await walletResident(app, 'pelt', 30_000);
    for (const points of [5000, 4000]) expect((await ask(resident, points)).statusCode).toBe(201);
    const over = await ask(resident, 1001);
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({
      code: 'payout_yearly_cap_reached',
      details: {
        capPoints: 10_000,
        usedPoints: 9000,
        leftPoints: 1000,
        resetsAt: '2026-12-31T23:00:00.000Z',
      },
    });
    expect(await spendable(app, 'pelt', resident.id)).toBe(21_000);
    const page = await app.inject({
      method: 'GET',
      url: '/api/me/payouts/settings',
      headers: resident.headers,
    });
    expect(page.json()).toMatchObject({
      usedThisYearPoints: 9000,
      yearlyCapPoints: 10_000,
      availablePoints: 21_000,
    });
    expect((await ask(resident, 1000)).statusCode).toBe(201);
    expect((await ask(resident, 100)).json().code).toBe('payout_yearly_cap_reached');
  });

  it('waits for approval above the threshold; finance approves (queued, job) or rejects (points back)', async () => {
    const resident = await walletResident(app, 'pelt', 10_000);
    const big = (await ask(resident, 2500)).json();
    expect(big.status).toBe('awaiting_approval');
    expect(await sendJobsFor(app, big.id)).toBe(0);
    const other = (await ask(resident, 3000)).json();
    expect(other.status).toBe('awaiting_approval');
    expect(await spendable(app, 'pelt', resident.id)).toBe(4500);

    const waiting = await app.inject({
      method: 'GET',
      url: '/api/municipalities/pelt/payouts?status=awaiting_approval',
      headers: analyst,
    });
    expect(waiting.statusCode).toBe(200);
    const theirs = waiting
      .json()
      .items.filter((p: { residentId: string }) => p.residentId === resident.id);
    expect(theirs.map((p: { id: string }) => p.id)).toEqual([other.id, big.id]);

    const base = '/api/municipalities/pelt/payouts';
    expect((await staffPost(admin, `${base}/${big.id}/approve`)).statusCode).toBe(403);
    expect((await staffPost(analyst, `${base}/${big.id}/approve`)).statusCode).toBe(403);
    expect((await staffPost(lommelFinance, `${base}/${big.id}/approve`)).statusCode).toBe(404);
    const lommelSlug = await staffPost(
      lommelFinance,
      `/api/municipalities/lommel/payouts/${big.id}/approve`,
    );
    expect(lommelSlug.statusCode).toBe(404);
    expect(lommelSlug.json().code).toBe('payout_not_found');
    const unknown = await staffPost(finance, `${base}/pay_unknown/approve`);
    expect(unknown.json().code).toBe('payout_not_found');

    const approved = await staffPost(finance, `${base}/${big.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'queued',
      decidedBy: expect.stringMatching(/^usr_/),
    });
    expect(await sendJobsFor(app, big.id)).toBe(1);
    const twice = await staffPost(finance, `${base}/${big.id}/approve`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('payout_not_awaiting_approval');
    const rejectQueued = await staffPost(finance, `${base}/${big.id}/reject`, { note: 'late' });
    expect(rejectQueued.json().code).toBe('payout_not_awaiting_approval');

    const noNote = await staffPost(finance, `${base}/${other.id}/reject`, { note: '   ' });
    expect(noNote.statusCode).toBe(400);
    const rejected = await staffPost(finance, `${base}/${other.id}/reject`, {
      note: 'Please ask for less at once.',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      failureReason: 'Please ask for less at once.',
    });
    expect(await spendable(app, 'pelt', resident.id)).toBe(7500);
    expect(await sendJobsFor(app, other.id)).toBe(0);
    const transfers = await listTransfersByReference(cli(app), peltId, other.id);
    expect(transfers.map((t) => t.id).sort()).toEqual([`pyh_${other.id}`, `pyv_${other.id}`]);
    const audit = await testContext(app)
      .db.selectFrom('audit_events')
      .select(['action', 'subject_id'])
      .where('action', 'in', ['payout.approved', 'payout.rejected'])
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'payout.approved', subject_id: big.id },
        { action: 'payout.rejected', subject_id: other.id },
      ]),
    );
    // The rejected points no longer count against the cap: 2500 used of 10 000.
    const page = await app.inject({
      method: 'GET',
      url: '/api/me/payouts/settings',
      headers: resident.headers,
    });
    expect(page.json().usedThisYearPoints).toBe(2500);
  });

  it('refuses payouts to a changed address until the cooling-off has passed', async () => {
    const resident = await walletResident(app, 'pelt', 2000);
    const changed = await proveAddress(app, resident.headers, generatePrivateKey());
    expect(changed.statusCode).toBe(201);
    const cooling = await ask(resident, 500);
    expect(cooling.statusCode).toBe(409);
    expect(cooling.json()).toMatchObject({
      code: 'payout_address_cooling_off',
      details: { usableFrom: changed.json().usableFrom },
    });
    await expectNothingMoved(resident, 2000);
    clockOf(app).advance(48 * 3_600_000);
    const later = await ask(resident, 500);
    expect(later.statusCode).toBe(201);
    expect(later.json().address).toBe(changed.json().address);
  });

  it('starts a new cap at midnight in Brussels on New Year', async () => {
    clockOf(app).set('2026-12-31T22:30:00Z');
    const resident = await walletResident(app, 'pelt', 30_000);
    for (const points of [2000, 2000, 2000, 2000, 2000]) {
      expect((await ask(resident, points)).statusCode).toBe(201);
    }
    expect((await ask(resident, 100)).json().code).toBe('payout_yearly_cap_reached');
    clockOf(app).set('2026-12-31T23:00:00Z');
    expect((await ask(resident, 2000)).statusCode).toBe(201);
    expect(await spendable(app, 'pelt', resident.id)).toBe(18_000);
  });

  it('keeps the ledger chain intact', async () => {
    const report = await verifyLedger(cli(app), {});
    expect(report.ok).toBe(true);
  });
});
