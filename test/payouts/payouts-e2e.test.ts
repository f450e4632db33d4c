import { type AddressInfo, createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Address } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tokenBalance } from '../../src/modules/payouts/erc20/chain.js';
import { sendPayout } from '../../src/modules/payouts/payouts.sending.js';
import { deployPayoutToken } from '../../src/modules/payouts/token-deployment.service.js';
import { describeEachBackend } from '../support/backends.js';
import { createMunicipality } from '../support/factories.js';
import { localChainForFile } from '../support/payouts-fixture.js';
import { createTestApp, testContext } from '../support/server.js';
import {
  type Headers,
  savePayoutSettings,
  settingsBody,
  staffHeaders,
  walletResident,
} from './payouts-world.js';

/**
 * A municipality pays residents out in its token on a local chain, through the HTTP API from
 * the settings to the reconciliation: exactly once, with the chain, the ledger and the payouts
 * agreeing; a payout the treasury cannot fund is parked, and cancelling it gives the points back
 * and tells the resident.
 */

const local = localChainForFile();

/** 1 point = 0.01 token (18 decimals). */
const UNITS_PER_POINT = 10n ** 16n;
const fast = { pollIntervalMs: 100, waitMs: 20_000 };

describeEachBackend('payouts end to end', (backend) => {
  let app: FastifyInstance;
  let slug: string;
  let municipalityId: string;
  let admin: Headers;
  let finance: Headers;
  let analyst: Headers;

  beforeAll(async () => {
    app = await createTestApp({ backend });
    const municipality = await createMunicipality(testContext(app));
    slug = municipality.slug;
    municipalityId = municipality.id;
    admin = await staffHeaders(app, slug, ['admin'], `admin.${backend.name}@example.be`);
    finance = await staffHeaders(app, slug, ['finance'], `finance.${backend.name}@example.be`);
    analyst = await staffHeaders(app, slug, ['analyst'], `analyst.${backend.name}@example.be`);
    // A funded hardhat account per backend, so the two runs never share a treasury's nonces.
    const variable = `PAYOUTS_E2E_TREASURY_${process.pid}_${backend.name}`;
    process.env[variable] = local.chain.accounts[backend.name === 'sqlite' ? 2 : 3]!;
    await savePayoutSettings(
      app,
      slug,
      admin,
      settingsBody(`env:${variable}`, {
        rpcUrl: local.chain.rpcUrl,
        chainId: local.chain.chainId,
        tokenAddress: null,
        tokenUnitsPerPoint: UNITS_PER_POINT.toString(),
        minPoints: 100,
        maxPoints: 5000,
        approvalThresholdPoints: 2000,
        confirmations: 1,
      }),
    );
    // 40 tokens: enough for 4,000 points.
    await deployPayoutToken(
      { ...testContext(app), actor: { kind: 'operator_cli' } },
      municipalityId,
      {
        name: 'Testgem Token',
        symbol: 'TGT',
        decimals: 18,
        supplyTokens: 40n,
      },
    );
  }, 120_000);
  afterAll(() => app.close());

  const request = (headers: Headers, points: number, clientRequestId: string) =>
    app.inject({
      method: 'POST',
      url: '/api/me/payouts',
      headers,
      payload: { points, clientRequestId },
    });

  const balanceOf = async (headers: Headers) =>
    (await app.inject({ method: 'GET', url: '/api/me/wallet', headers })).json().points as number;

  it('pays a resident out once, with the chain, the ledger and the reconciliation agreeing', async () => {
    const resident = await walletResident(app, slug, 3000);
    const small = await request(resident.headers, 500, 'e2e-small-0001');
    expect(small.statusCode, small.body).toBe(201);
    expect(small.json().status).toBe('queued');
    const large = await request(resident.headers, 2500, 'e2e-large-0001');
    expect(large.statusCode, large.body).toBe(201);
    expect(large.json().status).toBe('awaiting_approval');
    // An analyst may look but not decide; finance approves.
    const byAnalyst = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/payouts/${large.json().id}/approve`,
      headers: analyst,
    });
    expect(byAnalyst.statusCode).toBe(403);
    const approved = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/payouts/${large.json().id}/approve`,
      headers: finance,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('queued');

    // The send job, as the runner would run it (twice: the second run pays nothing more).
    const ctx = testContext(app);
    for (const id of [small.json().id, large.json().id]) {
      expect(await sendPayout(ctx, id, fast)).toBe('confirmed');
      expect(await sendPayout(ctx, id, fast)).toBe('confirmed');
    }

    const mine = await app.inject({
      method: 'GET',
      url: '/api/me/payouts',
      headers: resident.headers,
    });
    expect(mine.statusCode, mine.body).toBe(200);
    const listed = mine.json().items as { status: string; txHash: string; txUrl: string }[];
    expect(listed.map((p) => p.status)).toEqual(['confirmed', 'confirmed']);
    for (const payout of listed) {
      expect(payout.txUrl).toBe(`https://explorer.example/tx/${payout.txHash}`);
    }
    const settings = (
      await app.inject({
        method: 'GET',
        url: `/api/municipalities/${slug}/payouts/settings`,
        headers: admin,
      })
    ).json();
    const token = settings.tokenAddress as Address;
    const config = { rpcUrl: local.chain.rpcUrl, chainId: local.chain.chainId };
    expect(await tokenBalance(config, token, resident.address as Address)).toBe(
      3000n * UNITS_PER_POINT,
    );
    expect(await balanceOf(resident.headers)).toBe(0);

    const treasury = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${slug}/payouts/treasury`,
      headers: analyst,
    });
    expect(treasury.statusCode, treasury.body).toBe(200);
    expect(treasury.json().tokenUnits).toBe(
      (40n * 10n ** 18n - 3000n * UNITS_PER_POINT).toString(),
    );
    expect(BigInt(treasury.json().nativeWei)).toBeGreaterThan(0n);

    const reconciled = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/payouts/reconciliation`,
      headers: finance,
    });
    expect(reconciled.statusCode, reconciled.body).toBe(200);
    expect(reconciled.json()).toMatchObject({
      ok: true,
      differences: [],
      summary: {
        transfers: 2,
        confirmedPayouts: 2,
        confirmedPoints: 3000,
        ledgerPayoutPoints: 3000,
      },
    });
    const latest = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${slug}/payouts/reconciliation`,
      headers: analyst,
    });
    expect(latest.json().id).toBe(reconciled.json().id);
  }, 120_000);

  it('parks a payout the treasury cannot fund; cancelled, the points are back and the resident is told', async () => {
    const resident = await walletResident(app, slug, 2000);
    // 1,500 points = 15 tokens; the treasury has 10 left.
    const asked = await request(resident.headers, 1500, 'e2e-parked-0001');
    expect(asked.statusCode, asked.body).toBe(201);
    const id = asked.json().id as string;
    expect(await sendPayout(testContext(app), id, fast)).toBe('parked');
    const parked = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${slug}/payouts?status=parked`,
      headers: finance,
    });
    expect(parked.json().items).toMatchObject([
      { id, status: 'parked', parkReason: 'treasury_balance_insufficient' },
    ]);
    expect(await balanceOf(resident.headers)).toBe(500);

    const notParked = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/payouts/${id}/approve`,
      headers: finance,
    });
    expect(notParked.statusCode).toBe(409);
    const byAnalyst = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/payouts/${id}/cancel`,
      headers: analyst,
      payload: {},
    });
    expect(byAnalyst.statusCode).toBe(403);
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/payouts/${id}/cancel`,
      headers: finance,
      payload: { note: 'treasury empty until January' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'failed' });
    expect(await balanceOf(resident.headers)).toBe(2000);
    const again = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/payouts/${id}/retry`,
      headers: finance,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('payout_not_parked');

    const told = await app.deps.storage.db
      .selectFrom('email_outbox')
      .select(['template', 'body_text'])
      .where('template', '=', 'payout_returned')
      .where('municipality_id', '=', municipalityId)
      .execute();
    expect(told).toHaveLength(1);
    expect(told[0]!.body_text).toContain('1500');
  }, 120_000);

  it('answers 404 for another municipality’s payout, 409 where payouts are not set up', async () => {
    const other = await createMunicipality(testContext(app));
    const otherFinance = await staffHeaders(
      app,
      other.slug,
      ['finance'],
      `finance.other.${backend.name}@example.be`,
    );
    const resident = await walletResident(app, slug, 200);
    const asked = await request(resident.headers, 100, 'e2e-foreign-0001');
    expect(asked.statusCode, asked.body).toBe(201);
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${other.slug}/payouts/${asked.json().id}/retry`,
      headers: otherFinance,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('payout_not_found');
    const treasury = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${other.slug}/payouts/treasury`,
      headers: otherFinance,
    });
    expect(treasury.statusCode).toBe(409);
    expect(treasury.json().code).toBe('payouts_disabled');
  }, 60_000);

  it('keeps a payout queued and moves nothing while the chain does not answer', async () => {
    const settings = (
      await app.inject({
        method: 'GET',
        url: `/api/municipalities/${slug}/payouts/settings`,
        headers: admin,
      })
    ).json();
    const variable = `PAYOUTS_E2E_TREASURY_${process.pid}_${backend.name}`;
    await savePayoutSettings(
      app,
      slug,
      admin,
      settingsBody(`env:${variable}`, {
        rpcUrl: `http://127.0.0.1:${await closedPort()}`,
        chainId: local.chain.chainId,
        tokenAddress: settings.tokenAddress,
        tokenUnitsPerPoint: UNITS_PER_POINT.toString(),
        confirmations: 1,
      }),
    );
    const resident = await walletResident(app, slug, 400);
    const asked = await request(resident.headers, 300, 'e2e-down-0001');
    expect(asked.statusCode, asked.body).toBe(201);
    const id = asked.json().id as string;
    await expect(sendPayout(testContext(app), id, fast)).rejects.toMatchObject({
      code: 'chain_unavailable',
    });
    const payout = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${slug}/payouts/${id}`,
      headers: finance,
    });
    expect(payout.json()).toMatchObject({ status: 'queued', txHash: null });
    expect(await balanceOf(resident.headers)).toBe(100);
    const treasury = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${slug}/payouts/treasury`,
      headers: finance,
    });
    expect(treasury.statusCode).toBe(503);
    expect(treasury.json().code).toBe('chain_unavailable');
  }, 60_000);
});

/** A port on 127.0.0.1 that nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
