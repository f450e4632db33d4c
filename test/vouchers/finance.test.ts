import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoPartnerUserEmail } from '../../src/demo/seed-demo.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { findPartnerByName } from '../../src/modules/partners/partners.service.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { issueLastMonthsStatements } from '../../src/modules/vouchers/settlement.jobs.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { pageCount, pdfText } from '../support/pdf.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { accountOf, givePoints } from '../support/spending.js';
import { makeApiKey, signInExistingUser } from '../support/users.js';

/**
 * Finance: monthly settlement statements and yearly tax credits add up to the ledger, to the
 * cent; paying a statement moves its points to `settled`; the liability dashboard agrees with the
 * wallets and what is owed.
 */

type Headers = Record<string, string>;

describeEachBackend('finance', (backend) => {
  let app: FastifyInstance;
  let clock: FixedClock;
  let pool: Partner;
  let shop: Partner;
  let lommelPool: Partner;
  let poolTill: Headers;
  let shopTill: Headers;
  let lommelPoolTill: Headers;
  let counter = 0;

  const cli = () => ({ ...testContext(app), actor: { kind: 'operator_cli' as const } });
  const partnerOf = async (slug: string, name: string) => {
    const municipality = await getMunicipality(cli(), slug);
    return (await findPartnerByName(cli(), municipality.id, name))!;
  };
  const rewardId = async (code: string) => {
    const list = (await app.inject({ url: '/api/municipalities/pelt/rewards' })).json();
    return list.items.find((r: { code: string }) => r.code === code).id as string;
  };
  const post = (url: string, headers: Headers, payload: object = {}) =>
    app.inject({ method: 'POST', url, headers, payload });
  const buy = async (headers: Headers, code: string) => {
    const response = await post('/api/me/vouchers', headers, {
      rewardId: await rewardId(code),
      clientPurchaseId: `finance-${++counter}`,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const net = (account: { creditsPosted: number; debitsPosted: number }) =>
    account.creditsPosted - account.debitsPosted;

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    clock = app.deps.clock as FixedClock;
    pool = await partnerOf('pelt', 'Zwembad Pelt (demo)');
    shop = await partnerOf('pelt', 'Buurtwinkel Pelt (demo)');
    lommelPool = await partnerOf('lommel', 'Zwembad Lommel (demo)');
    // Tills use API keys: the test moves the clock past the sessions' idle time.
    poolTill = (await makeApiKey(app, pool, ['vouchers:redeem', 'partner:read'])).headers;
    shopTill = (await makeApiKey(app, shop, ['vouchers:redeem', 'partner:read'])).headers;
    lommelPoolTill = (await makeApiKey(app, lommelPool, ['vouchers:redeem'])).headers;
  });
  afterAll(() => app.close());

  it('settles December per partner, to the cent, pays it once, and the tax credits match the ledger', async () => {
    // December 2026 (the test clock starts on 1 December).
    const residents = [];
    for (const name of ['a', 'b', 'c']) {
      const signedIn = await signInResident(app, 'pelt', `finance.${name}@example.be`);
      await givePoints(app, 'pelt', signedIn.resident.id, 5000);
      residents.push(signedIn);
    }
    const [a, b, c] = residents as [
      (typeof residents)[0],
      (typeof residents)[0],
      (typeof residents)[0],
    ];
    for (const headers of [a.headers, b.headers]) {
      await post('/api/me/household', headers, { address: `Kerkstraat ${++counter}, 3900 Pelt` });
    }
    const redeem = async (till: Headers, voucher: { token: string }) => {
      const response = await post('/api/partner/vouchers/redeem', till, { token: voucher.token });
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    };
    await redeem(poolTill, await buy(a.headers, 'pool-ticket'));
    await redeem(poolTill, await buy(b.headers, 'pool-ticket'));
    await redeem(shopTill, await buy(a.headers, 'shop-discount'));
    await redeem(lommelPoolTill, await buy(c.headers, 'pool-ticket'));
    const undone = await redeem(poolTill, await buy(c.headers, 'pool-ticket'));
    expect((await post(`/api/partner/redemptions/${undone.id}/undo`, poolTill)).statusCode).toBe(
      200,
    );
    const offline = await buy(b.headers, 'pool-ticket');
    const sync = await post('/api/partner/redemptions/sync', poolTill, {
      deviceId: 'finance-device-1',
      redemptions: [
        {
          clientRedemptionId: 'finance-off-1',
          token: offline.token,
          redeemedAt: clock.now().toISOString(),
        },
      ],
    });
    expect(sync.json().results[0].outcome).toBe('settled');
    await buy(a.headers, 'waste-tax');
    await buy(a.headers, 'waste-tax');
    await buy(b.headers, 'waste-tax');
    await buy(c.headers, 'donate-charity');

    let finance = await signInExistingUser(app, 'finance.pelt@demo.civicpoints.invalid');
    const early = await post('/api/municipalities/pelt/statements', finance.headers, {
      period: '2026-12',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('period_not_over');

    // Early on the 1st the monthly job issues every municipality's statements of December;
    // finance issuing the month again by hand adds nothing.
    clock.set('2027-01-01T03:00:00Z');
    const jobContext = { ...testContext(app), actor: { kind: 'system' as const, name: 'jobs' } };
    expect(await issueLastMonthsStatements(jobContext)).toBe(4);
    clock.set('2027-01-02T08:00:00Z');
    expect(await issueLastMonthsStatements(jobContext)).toBe(4);
    finance = await signInExistingUser(app, 'finance.pelt@demo.civicpoints.invalid');
    const issued = await post('/api/municipalities/pelt/statements', finance.headers, {
      period: '2026-12',
    });
    expect(issued.statusCode).toBe(200);
    const statements = issued.json().items as {
      id: string;
      partnerId: string;
      lines: number;
      points: number;
      amountCents: number;
      status: string;
      createdBy: string;
    }[];
    expect(statements.map((s) => s.createdBy)).toEqual(statements.map(() => 'jobs'));
    const of = (partner: Partner) => statements.find((s) => s.partnerId === partner.id)!;
    expect(of(pool)).toMatchObject({ lines: 3, points: 900, amountCents: 900, status: 'issued' });
    expect(of(shop)).toMatchObject({ lines: 1, points: 500, amountCents: 500 });
    // The region-wide ticket redeemed in Lommel is settled by Pelt, which issued it.
    expect(of(lommelPool)).toMatchObject({ lines: 1, points: 300, amountCents: 300 });
    const charity = await partnerOf('pelt', 'Vrijwilligerspunt Pelt (demo)');
    expect(of(charity)).toMatchObject({ lines: 1, points: 100, amountCents: 100 });
    // Every statement equals its partner's account in the ledger, to the point.
    for (const partner of [pool, shop, lommelPool]) {
      expect(net(await accountOf(app, 'pelt', 'partner', partner.id))).toBe(of(partner).points);
    }
    expect(net(await accountOf(app, 'pelt', 'donation', charity.id))).toBe(of(charity).points);

    const again = await post('/api/municipalities/pelt/statements', finance.headers, {
      period: '2026-12',
    });
    expect(
      again
        .json()
        .items.map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual(statements.map((s) => s.id).sort());

    const csv = await app.inject({
      url: `/api/municipalities/pelt/statements/${of(pool).id}/statement.csv`,
      headers: finance.headers,
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.trim().split('\r\n');
    expect(rows[0]).toBe(
      'statement_id,period,partner_id,partner,redemption_id,received_at,redeemed_at,channel,voucher_code,reward_code,points,amount_cents',
    );
    expect(rows).toHaveLength(4);
    expect(rows.slice(1).reduce((sum, row) => sum + Number(row.split(',').at(-1)), 0)).toBe(900);
    expect(
      rows
        .slice(1)
        .map((row) => row.split(',')[7])
        .sort(),
    ).toEqual(['offline', 'online', 'online']);
    const pdf = await app.inject({
      url: `/api/municipalities/pelt/statements/${of(pool).id}/statement.pdf`,
      headers: { ...finance.headers, 'accept-language': 'fr' },
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const readable = pdfText(pdf.rawPayload);
    expect(readable).toContain('Zwembad Pelt (demo)');
    expect(readable).toContain('Décompte 2026-12');
    // pdfkit splits kerned text into pieces: compare without the breaks.
    expect(readable.replace(/\s+/g, '')).toContain('Total9009,00');

    // The partner sees its own statement, not another's.
    const own = await app.inject({ url: '/api/partner/statements', headers: poolTill });
    expect(own.json().items.map((s: { id: string }) => s.id)).toEqual([of(pool).id]);
    const notOwn = await app.inject({
      url: `/api/partner/statements/${of(shop).id}`,
      headers: poolTill,
    });
    expect(notOwn.statusCode).toBe(404);

    const liabilityBefore = (
      await app.inject({ url: '/api/municipalities/pelt/liability', headers: finance.headers })
    ).json();
    expect(liabilityBefore.owedToPartnersCents).toBe(900 + 500 + 300 + 100);
    // Each partner owed, with its name (read for all of them at once).
    const owedNames = new Map(
      liabilityBefore.owedToPartners.map((p: { partnerId: string; name: string }) => [
        p.partnerId,
        p.name,
      ]),
    );
    expect(owedNames.get(pool.id)).toBe('Zwembad Pelt (demo)');
    expect(owedNames.get(shop.id)).toBe('Buurtwinkel Pelt (demo)');

    const paid = await post(
      `/api/municipalities/pelt/statements/${of(pool).id}/paid`,
      finance.headers,
      {
        paymentReference: 'SEPA-2027-0001',
      },
    );
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', paymentReference: 'SEPA-2027-0001' });
    expect(net(await accountOf(app, 'pelt', 'partner', pool.id))).toBe(0);
    const settled = await accountOf(app, 'pelt', 'settled');
    expect(settled.creditsPosted).toBe(900);
    const twice = await post(
      `/api/municipalities/pelt/statements/${of(pool).id}/paid`,
      finance.headers,
      {
        paymentReference: 'SEPA-2027-0001',
      },
    );
    expect(twice.statusCode).toBe(200);
    expect((await accountOf(app, 'pelt', 'settled')).creditsPosted).toBe(900);
    const other = await post(
      `/api/municipalities/pelt/statements/${of(pool).id}/paid`,
      finance.headers,
      {
        paymentReference: 'SEPA-2027-0002',
      },
    );
    expect(other.json().code).toBe('statement_paid');
    const donation = await post(
      `/api/municipalities/pelt/statements/${of(charity).id}/paid`,
      finance.headers,
      {
        paymentReference: 'SEPA-2027-0003',
      },
    );
    expect(donation.statusCode).toBe(200);
    expect(net(await accountOf(app, 'pelt', 'donation', charity.id))).toBe(0);
    const liability = (
      await app.inject({ url: '/api/municipalities/pelt/liability', headers: finance.headers })
    ).json();
    expect(liability.owedToPartnersCents).toBe(500 + 300);

    // A reviewer may not touch money.
    const reviewer = await signInExistingUser(app, 'reviewer.pelt@demo.civicpoints.invalid');
    const refused = await post(
      `/api/municipalities/pelt/statements/${of(shop).id}/paid`,
      reviewer.headers,
      {
        paymentReference: 'x',
      },
    );
    expect(refused.statusCode).toBe(403);

    // Tax credits of 2026: household a 2 × €10, household b €10; the CSV adds up to the ledger.
    const credits = await app.inject({
      url: '/api/municipalities/pelt/tax-credits?year=2026',
      headers: finance.headers,
    });
    expect(credits.statusCode).toBe(200);
    expect(credits.json().totalCents).toBe(3000);
    expect(
      credits
        .json()
        .households.map((h: { amountCents: number }) => h.amountCents)
        .sort(),
    ).toEqual([1000, 2000]);
    const taxCsv = await app.inject({
      url: '/api/municipalities/pelt/tax-credits/statement.csv?year=2026',
      headers: finance.headers,
    });
    const taxRows = taxCsv.body.trim().split('\r\n');
    expect(taxRows[0]).toBe('household_reference,amount_cents,household_id,address');
    const taxTotal = taxRows.slice(1).reduce((sum, row) => sum + Number(row.split(',')[1]), 0);
    const taxAccount = await accountOf(app, 'pelt', 'tax_credit');
    const pelt = await getMunicipality(cli(), 'pelt');
    expect(taxTotal).toBe(taxAccount.creditsPosted * pelt.pointValueCents);
    const letters = await app.inject({
      url: '/api/municipalities/pelt/tax-credits/letters.pdf?year=2026',
      headers: finance.headers,
    });
    expect(letters.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(letters.rawPayload)).toBe(2);
    expect(pdfText(letters.rawPayload).replace(/\s+/g, '')).toMatch(/Yourreduction.20.00/);
    expect(
      (
        await app.inject({
          url: '/api/municipalities/pelt/tax-credits?year=2027',
          headers: finance.headers,
        })
      ).json(),
    ).toMatchObject({ totalCents: 0, households: [] });

    const report = await verifyLedger(cli(), {});
    expect(report.municipalities.flatMap((m) => m.problems)).toEqual([]);
  });

  it('shows what outstanding points would cost and warns over the budget', async () => {
    const admin = await signInExistingUser(app, 'admin.pelt@demo.civicpoints.invalid');
    const analyst = await signInExistingUser(app, 'analyst.pelt@demo.civicpoints.invalid');
    const liability = (
      await app.inject({ url: '/api/municipalities/pelt/liability', headers: analyst.headers })
    ).json();
    const { wallets, held } = await accountTotals();
    // Read from the other accounts (the ledger sums to zero): equal to summing every wallet.
    expect(held).toBeGreaterThan(0);
    expect(liability.heldPoints).toBe(held);
    expect(liability.spendablePoints + liability.heldPoints).toBe(wallets);
    expect(liability.residentsCents).toBe(wallets * liability.pointValueCents);
    expect(liability.totalCents).toBe(liability.residentsCents + liability.owedToPartnersCents);
    expect(liability.overBudget).toBe(false);
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/municipalities/pelt/spending-settings',
      headers: admin.headers,
      payload: { liabilityBudgetCents: 100, offlineMaxCount: 10, offlineMaxValueCents: 5000 },
    });
    expect(saved.statusCode).toBe(200);
    const over = (
      await app.inject({ url: '/api/municipalities/pelt/liability', headers: admin.headers })
    ).json();
    expect(over).toMatchObject({ budgetCents: 100, overBudget: true });
    expect(over.expiring.length).toBeGreaterThan(0);
    expect(over.vouchersLastYear.redeemed).toBeGreaterThan(0);
    const cashier = await signInExistingUser(app, demoPartnerUserEmail('pool', 'cashier', 'pelt'));
    expect(
      (await app.inject({ url: '/api/municipalities/pelt/liability', headers: cashier.headers }))
        .statusCode,
    ).toBe(403);
  });

  async function accountTotals() {
    const { totalsByAccountKind } = await import('../../src/modules/ledger/ledger.figures.js');
    const pelt = await getMunicipality(cli(), 'pelt');
    const wallet = (await totalsByAccountKind(cli(), pelt.id)).wallet!;
    return { wallets: wallet.creditsPosted - wallet.debitsPosted, held: wallet.debitsPending };
  }
});
