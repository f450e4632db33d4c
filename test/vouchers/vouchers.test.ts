import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartnerUserEmail } from '../../src/demo/seed-demo.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { listEmailsTo } from '../../src/modules/notifications/notifications.service.js';
import { findPartnerByName } from '../../src/modules/partners/partners.service.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { expireDueVouchers } from '../../src/modules/vouchers/expiry.service.js';
import { getMyVoucher } from '../../src/modules/vouchers/purchases.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { accountOf, givePoints, makeReward, spendable } from '../support/spending.js';
import { makeApiKey, signInExistingUser, signInUser } from '../support/users.js';

/**
 * Spending end to end through the API: buying each kind of reward, the voucher's token and code,
 * redeeming at the right till (and refusals at the wrong ones), undo, cancel, expiry, tax
 * reductions, donations, and the ledger agreeing with all of it.
 */

type Headers = Record<string, string>;

describeEachBackend('vouchers', (backend) => {
  let app: FastifyInstance;
  let clock: FixedClock;
  let resident: { id: string; headers: Headers };
  let poolCashier: Headers;
  let shopCashier: Headers;
  let lommelPoolCashier: Headers;
  let lommelShopCashier: Headers;
  let pool: Partner;
  let shop: Partner;
  let purchaseCounter = 0;
  let ticketId = '';

  const cli = () => ({ ...testContext(app), actor: { kind: 'operator_cli' as const } });
  const partnerOf = async (slug: string, name: string) => {
    const municipality = await getMunicipality(cli(), slug);
    return (await findPartnerByName(cli(), municipality.id, name))!;
  };
  const rewardId = async (slug: string, code: string) => {
    const list = (await app.inject({ url: `/api/municipalities/${slug}/rewards` })).json();
    return list.items.find((r: { code: string }) => r.code === code).id as string;
  };
  const buy = (headers: Headers, id: string, clientPurchaseId = `purchase-${++purchaseCounter}`) =>
    app.inject({
      method: 'POST',
      url: '/api/me/vouchers',
      headers,
      payload: { rewardId: id, clientPurchaseId },
    });
  const post = (url: string, headers: Headers, payload: object = {}) =>
    app.inject({ method: 'POST', url, headers, payload });

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    clock = app.deps.clock as FixedClock;
    const signedIn = await signInResident(app, 'pelt', 'spender@example.be');
    resident = { id: signedIn.resident.id, headers: signedIn.headers };
    await givePoints(app, 'pelt', resident.id, 5000);
    pool = await partnerOf('pelt', 'Zwembad Pelt (demo)');
    shop = await partnerOf('pelt', 'Buurtwinkel Pelt (demo)');
    const cashier = async (key: 'pool' | 'shop', slug: string) =>
      (await signInExistingUser(app, demoPartnerUserEmail(key, 'cashier', slug))).headers;
    poolCashier = await cashier('pool', 'pelt');
    shopCashier = await cashier('shop', 'pelt');
    lommelPoolCashier = await cashier('pool', 'lommel');
    lommelShopCashier = await cashier('shop', 'lommel');
    // Like the demo's pool ticket, without its limit of four a month.
    ticketId = (
      await makeReward(app, 'pelt', 'test-ticket', {
        pricePoints: 300,
        scope: 'region',
        partnerKind: 'facility',
        validityDays: 90,
      })
    ).id;
  });
  afterAll(() => app.close());

  it('lists the demo rewards with their worth and where they are redeemed', async () => {
    const response = await app.inject({ url: '/api/municipalities/pelt/rewards' });
    expect(response.statusCode).toBe(200);
    const items = response.json().items as {
      code: string;
      valueCents: number;
      places: { name: string; municipalityId: string }[];
    }[];
    expect(
      items
        .map((r) => r.code)
        .filter((code) => !code.startsWith('test-'))
        .sort(),
    ).toEqual(
      [
        'composter',
        'donate-charity',
        'led-bulb',
        'pool-ticket',
        'rechargeable-batteries',
        'shop-discount',
        'waste-tax',
      ].sort(),
    );
    const ticket = items.find((r) => r.code === 'pool-ticket')!;
    expect(ticket.valueCents).toBe(300);
    // Region-wide: every demo municipality's pool.
    expect(ticket.places.map((p) => p.name).sort()).toEqual([
      'Zwembad Hamont-Achel (demo)',
      'Zwembad Lommel (demo)',
      'Zwembad Pelt (demo)',
    ]);
    const discount = items.find((r) => r.code === 'shop-discount')!;
    expect(discount.valueCents).toBe(500);
    expect(discount.places.map((p) => p.name)).toEqual(['Buurtwinkel Pelt (demo)']);
  });

  it('buys a pool ticket: the points are held, the voucher carries a signed token and a short code; a retry returns it', async () => {
    const before = await spendable(app, 'pelt', resident.id);
    const escrowBefore = await accountOf(app, 'pelt', 'escrow');
    const id = await rewardId('pelt', 'pool-ticket');
    const first = await buy(resident.headers, id, 'retry-me-0001');
    expect(first.statusCode).toBe(201);
    const voucher = first.json();
    expect(voucher).toMatchObject({
      status: 'issued',
      kind: 'facility_item',
      scope: 'region',
      pricePoints: 300,
      valueCents: 300,
      expiresAt: new Date(clock.now().getTime() + 90 * 86_400_000).toISOString(),
    });
    expect(voucher.shortCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-.$/);
    expect(voucher.token.split('.')).toHaveLength(3);
    expect(await spendable(app, 'pelt', resident.id)).toBe(before - 300);
    const escrow = await accountOf(app, 'pelt', 'escrow');
    expect(escrow.creditsPending - escrowBefore.creditsPending).toBe(300);

    const again = await buy(resident.headers, id, 'retry-me-0001');
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(voucher.id);
    expect(again.json().token).toBe(voucher.token);
    expect(await spendable(app, 'pelt', resident.id)).toBe(before - 300);

    const other = await buy(resident.headers, await rewardId('pelt', 'led-bulb'), 'retry-me-0001');
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('purchase_id_reused');

    const svg = await app.inject({
      url: `/api/me/vouchers/${voucher.id}/qr.svg`,
      headers: resident.headers,
    });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('private, no-store');
    const png = await app.inject({
      url: `/api/me/vouchers/${voucher.id}/qr.png`,
      headers: resident.headers,
    });
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');

    const keys = (await app.inject({ url: '/.well-known/civicpoints/keys.json' })).json().keys;
    const header = JSON.parse(Buffer.from(voucher.token.split('.')[0], 'base64url').toString());
    expect(keys.find((k: { kid: string }) => k.kid === header.kid)).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      municipality: 'pelt',
      status: 'active',
    });
  });

  it('redeems a voucher once at the right till; the second try says when and where', async () => {
    const voucher = (await buy(resident.headers, ticketId)).json();
    const partnerBefore = await accountOf(app, 'pelt', 'partner', pool.id);

    const check = await post('/api/partner/vouchers/validate', poolCashier, {
      token: voucher.token,
    });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({
      voucherId: voucher.id,
      redeemable: true,
      refusal: null,
      valueCents: 300,
    });

    const redeemed = await post('/api/partner/vouchers/redeem', poolCashier, {
      token: voucher.token,
    });
    expect(redeemed.statusCode).toBe(201);
    expect(redeemed.json()).toMatchObject({
      voucherId: voucher.id,
      partnerId: pool.id,
      channel: 'online',
      outcome: 'settled',
      points: 300,
      valueCents: 300,
      cashierKind: 'partner_user',
    });
    const partnerAfter = await accountOf(app, 'pelt', 'partner', pool.id);
    expect(partnerAfter.creditsPosted - partnerBefore.creditsPosted).toBe(300);

    const twice = await post('/api/partner/vouchers/redeem', poolCashier, { token: voucher.token });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({
      code: 'voucher_already_redeemed',
      details: { partnerName: 'Zwembad Pelt (demo)', redeemedAt: redeemed.json().redeemedAt },
    });
    expect(twice.json().detail).toContain('Zwembad Pelt (demo)');
    const after = await post('/api/partner/vouchers/validate', poolCashier, {
      code: voucher.shortCode,
    });
    expect(after.json()).toMatchObject({
      status: 'redeemed',
      redeemable: false,
      refusal: { code: 'voucher_already_redeemed' },
    });
    const mine = await app.inject({
      url: `/api/me/vouchers/${voucher.id}`,
      headers: resident.headers,
    });
    expect(mine.json()).toMatchObject({ status: 'redeemed', token: null });
  });

  it('says why in the cashier’s language', async () => {
    const voucher = (await buy(resident.headers, ticketId)).json();
    const wrong = await post(
      '/api/partner/vouchers/redeem',
      { ...shopCashier, 'accept-language': 'nl-BE' },
      { token: voucher.token },
    );
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json()).toMatchObject({
      code: 'voucher_wrong_partner',
      detail: 'Deze bon kan hier niet gebruikt worden.',
    });
    const redeemed = await post('/api/partner/vouchers/redeem', poolCashier, {
      token: voucher.token,
    });
    expect(redeemed.statusCode).toBe(201);
    const twice = await post(
      '/api/partner/vouchers/validate',
      { ...poolCashier, 'accept-language': 'de' },
      { token: voucher.token },
    );
    expect(twice.json().refusal.message).toMatch(
      /^Dieser Gutschein wurde bereits eingelöst \(.+, Zwembad Pelt \(demo\)\)\.$/,
    );
  });

  it('redeems by short code with a till’s API key, region-wide vouchers elsewhere, and refuses the wrong partner or municipality', async () => {
    const ticket = (await buy(resident.headers, ticketId)).json();
    const discount = (await buy(resident.headers, await rewardId('pelt', 'shop-discount'))).json();
    const bulb = (await buy(resident.headers, await rewardId('pelt', 'led-bulb'))).json();

    const wrongPartner = await post('/api/partner/vouchers/redeem', shopCashier, {
      token: ticket.token,
    });
    expect(wrongPartner.json().code).toBe('voucher_wrong_partner');
    const outOfScope = await post('/api/partner/vouchers/redeem', lommelShopCashier, {
      code: discount.shortCode,
    });
    expect(outOfScope.statusCode).toBe(409);
    expect(outOfScope.json().code).toBe('voucher_out_of_scope');
    const bulbAtShop = await post('/api/partner/vouchers/validate', shopCashier, {
      token: bulb.token,
    });
    expect(bulbAtShop.json().refusal.code).toBe('voucher_wrong_partner');

    // The pool ticket is region-wide: Lommel's pool redeems it; Pelt pays Lommel's pool.
    const lommelPool = await partnerOf('lommel', 'Zwembad Lommel (demo)');
    const elsewhere = await post('/api/partner/vouchers/redeem', lommelPoolCashier, {
      token: ticket.token,
    });
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json().municipalityId).toBe((await getMunicipality(cli(), 'pelt')).id);
    expect((await accountOf(app, 'pelt', 'partner', lommelPool.id)).creditsPosted).toBe(300);

    const key = await makeApiKey(app, shop, ['vouchers:redeem']);
    const typed = discount.shortCode.toLowerCase().replaceAll('-', ' ');
    const byCode = await post('/api/partner/vouchers/redeem', key.headers, { code: typed });
    expect(byCode.statusCode).toBe(201);
    expect(byCode.json()).toMatchObject({ cashierKind: 'api_key', valueCents: 500 });

    const readOnly = await makeApiKey(app, shop, ['partner:read']);
    const refused = await post('/api/partner/vouchers/redeem', readOnly.headers, {
      token: bulb.token,
    });
    expect(refused.statusCode).toBe(403);
  });

  it('refuses forged, altered and mistyped vouchers without changing anything', async () => {
    const voucher = (await buy(resident.headers, ticketId)).json();
    const [header, payload, signature] = voucher.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, val: 99_999 })).toString('base64url')}.${signature}`;
    // A bit of the signature flipped. (Rewriting its last characters could give the same bytes
    // back, or the very same token when it ended in "BA": the test then failed now and then.)
    const signatureBytes = Buffer.from(signature, 'base64url');
    signatureBytes[0] = signatureBytes[0]! ^ 1;
    const flipped = `${header}.${payload}.${signatureBytes.toString('base64url')}`;
    for (const token of [
      altered,
      flipped,
      'not-a-token',
      `${header}.${payload}`,
      `${voucher.token}x`,
    ]) {
      const response = await post('/api/partner/vouchers/redeem', poolCashier, { token });
      expect(response.statusCode, token).toBe(400);
      expect(response.json().code).toBe('voucher_invalid_signature');
    }
    const code = voucher.shortCode as string;
    const mistyped = `${code.slice(0, 2)}${code[2] === '0' ? '1' : '0'}${code.slice(3)}`;
    const typo = await post('/api/partner/vouchers/redeem', poolCashier, { code: mistyped });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().code).toBe('voucher_code_invalid');
    const both = await post('/api/partner/vouchers/redeem', poolCashier, {
      code,
      token: voucher.token,
    });
    expect(both.statusCode).toBe(400);
    const mine = await app.inject({
      url: `/api/me/vouchers/${voucher.id}`,
      headers: resident.headers,
    });
    expect(mine.json().status).toBe('issued');
  });

  it('undoes a redemption within ten minutes (the voucher is open again), not after', async () => {
    const voucher = (await buy(resident.headers, ticketId)).json();
    const partnerBefore = await accountOf(app, 'pelt', 'partner', pool.id);
    const walletBefore = await spendable(app, 'pelt', resident.id);
    const redeemed = (
      await post('/api/partner/vouchers/redeem', poolCashier, { token: voucher.token })
    ).json();
    clock.advance(5 * 60_000);
    const undone = await post(`/api/partner/redemptions/${redeemed.id}/undo`, poolCashier);
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toMatchObject({
      voucherStatus: 'issued',
      redemption: { outcome: 'undone' },
    });
    const partnerAfter = await accountOf(app, 'pelt', 'partner', pool.id);
    expect(partnerAfter.creditsPosted - partnerAfter.debitsPosted).toBe(
      partnerBefore.creditsPosted - partnerBefore.debitsPosted,
    );
    expect(await spendable(app, 'pelt', resident.id)).toBe(walletBefore);
    const again = await post('/api/partner/vouchers/redeem', poolCashier, { token: voucher.token });
    expect(again.statusCode).toBe(201);
    const undoTwice = await post(`/api/partner/redemptions/${redeemed.id}/undo`, poolCashier);
    expect(undoTwice.json().code).toBe('redemption_not_undoable');
    const byOther = await post(`/api/partner/redemptions/${again.json().id}/undo`, shopCashier);
    expect(byOther.json().code).toBe('redemption_not_found');
    clock.advance(11 * 60_000);
    const late = await post(`/api/partner/redemptions/${again.json().id}/undo`, poolCashier);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('undo_window_passed');
  });

  it('cancels an open voucher: points and stock come back, the voucher cannot be redeemed', async () => {
    const bulbId = await rewardId('pelt', 'led-bulb');
    const stock = async () =>
      (await app.inject({ url: `/api/municipalities/pelt/rewards/${bulbId}` })).json().stockLeft;
    const stockBefore = await stock();
    const before = await spendable(app, 'pelt', resident.id);
    const voucher = (await buy(resident.headers, bulbId)).json();
    expect(await stock()).toBe(stockBefore - 1);
    const cancelled = await post(`/api/me/vouchers/${voucher.id}/cancel`, resident.headers);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', token: null });
    expect(await spendable(app, 'pelt', resident.id)).toBe(before);
    expect(await stock()).toBe(stockBefore);
    const redeem = await post('/api/partner/vouchers/redeem', poolCashier, {
      code: voucher.shortCode,
    });
    expect(redeem.json().code).toBe('voucher_cancelled');
    const again = await post(`/api/me/vouchers/${voucher.id}/cancel`, resident.headers);
    expect(again.statusCode).toBe(200);
    const other = await signInResident(app, 'pelt', 'not-the-owner@example.be');
    const notYours = await post(`/api/me/vouchers/${voucher.id}/cancel`, other.headers);
    expect(notYours.statusCode).toBe(404);
  });

  it('refuses a purchase over the balance, the limit or the stock, changing nothing', async () => {
    const poor = await signInResident(app, 'pelt', 'poor@example.be');
    await givePoints(app, 'pelt', poor.resident.id, 100);
    const ticket = await buy(poor.headers, ticketId);
    expect(ticket.statusCode).toBe(409);
    expect(ticket.json()).toMatchObject({
      code: 'insufficient_points',
      details: { needed: 300, available: 100 },
    });
    expect(
      (await app.inject({ url: '/api/me/vouchers', headers: poor.headers })).json().items,
    ).toEqual([]);

    const rich = await signInResident(app, 'pelt', 'rich@example.be');
    await givePoints(app, 'pelt', rich.resident.id, 10_000);
    const discountId = await rewardId('pelt', 'shop-discount');
    expect((await buy(rich.headers, discountId)).statusCode).toBe(201);
    expect((await buy(rich.headers, discountId)).statusCode).toBe(201);
    const third = await buy(rich.headers, discountId);
    expect(third.statusCode).toBe(409);
    expect(third.json()).toMatchObject({
      code: 'purchase_limit_reached',
      details: { scope: 'resident', period: 'month', measure: 'count', max: 2 },
    });

    const scarce = await makeReward(app, 'pelt', 'scarce', { stock: 1, partnerKind: 'merchant' });
    expect((await buy(rich.headers, scarce.id)).statusCode).toBe(201);
    const none = await buy(rich.headers, scarce.id);
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('out_of_stock');
  });

  it('credits a waste-tax reduction to the household within its yearly cap, and donates to a charity', async () => {
    const taxId = await rewardId('pelt', 'waste-tax');
    const alone = await signInResident(app, 'pelt', 'no-household@example.be');
    await givePoints(app, 'pelt', alone.resident.id, 10_000);
    const refused = await buy(alone.headers, taxId);
    expect(refused.json().code).toBe('household_required');

    const taxBefore = await accountOf(app, 'pelt', 'tax_credit');
    const created = await app.inject({
      method: 'POST',
      url: '/api/me/household',
      headers: alone.headers,
      payload: { address: 'Marktplein 3, 3900 Pelt' },
    });
    expect(created.statusCode).toBeLessThan(300);
    for (let i = 0; i < 5; i++) {
      const bought = await buy(alone.headers, taxId);
      expect(bought.statusCode).toBe(201);
      expect(bought.json()).toMatchObject({ status: 'completed', token: null, valueCents: 1000 });
    }
    const sixth = await buy(alone.headers, taxId);
    expect(sixth.statusCode).toBe(409);
    expect(sixth.json()).toMatchObject({
      code: 'tax_cap_reached',
      details: { capCents: 5000, leftCents: 0 },
    });
    const taxAfter = await accountOf(app, 'pelt', 'tax_credit');
    expect(taxAfter.creditsPosted - taxBefore.creditsPosted).toBe(5000);

    const charity = await partnerOf('pelt', 'Vrijwilligerspunt Pelt (demo)');
    const donated = await buy(alone.headers, await rewardId('pelt', 'donate-charity'));
    expect(donated.statusCode).toBe(201);
    expect(donated.json().status).toBe('completed');
    expect((await accountOf(app, 'pelt', 'donation', charity.id)).creditsPosted).toBe(100);
  });

  it('settles the first offline redemption of a voucher and flags the second, once, however often it is synced', async () => {
    const voucher = (await buy(resident.headers, ticketId)).json();
    const kit = await app.inject({ url: '/api/partner/pos/offline-kit', headers: poolCashier });
    expect(kit.statusCode).toBe(200);
    expect(kit.json().keys.length).toBeGreaterThan(0);
    expect(kit.json().limits).toEqual({ maxCount: 20, maxValueCents: 20_000 });
    const at = clock.now().toISOString();
    const sync = (deviceId: string, clientRedemptionId: string) =>
      post('/api/partner/redemptions/sync', poolCashier, {
        deviceId,
        redemptions: [{ clientRedemptionId, token: voucher.token, redeemedAt: at }],
      });
    const first = await sync('device-one-0001', 'offline-one-0001');
    expect(first.json().results).toEqual([
      expect.objectContaining({ outcome: 'settled', refusal: null }),
    ]);
    const second = await sync('device-two-0002', 'offline-two-0002');
    expect(second.json().results).toEqual([
      expect.objectContaining({ outcome: 'duplicate', refusal: 'voucher_already_redeemed' }),
    ]);
    const replay = await sync('device-one-0001', 'offline-one-0001');
    expect(replay.json().results[0]).toMatchObject({
      outcome: 'settled',
      redemptionId: first.json().results[0].redemptionId,
    });
    const redemptions = (
      await app.inject({ url: '/api/partner/redemptions', headers: poolCashier })
    ).json().items as { voucherId: string; outcome: string; points: number }[];
    const forVoucher = redemptions.filter((r) => r.voucherId === voucher.id);
    expect(forVoucher.map((r) => [r.outcome, r.points]).sort()).toEqual([
      ['duplicate', 0],
      ['settled', 300],
    ]);
    const finance = await signInExistingUser(app, 'finance.pelt@demo.civicpoints.invalid');
    const flagged = await app.inject({
      url: '/api/municipalities/pelt/redemptions/flagged',
      headers: finance.headers,
    });
    expect(
      flagged.json().items.some((r: { voucherId: string }) => r.voucherId === voucher.id),
    ).toBe(true);
    const kitAfter = await app.inject({
      url: '/api/partner/pos/offline-kit',
      headers: poolCashier,
    });
    expect(kitAfter.json().deniedTokenIds).toContain(voucher.tokenId);
  });

  it('rotates the signing key: new vouchers use the new key, older ones still redeem', async () => {
    const older = (await buy(resident.headers, ticketId)).json();
    const admin = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['admin'] },
      'keys.admin@example.be',
    );
    const rotated = await post('/api/municipalities/pelt/voucher-keys/rotate', admin.headers);
    expect(rotated.statusCode).toBe(200);
    const [active, retired] = rotated.json().items;
    expect([active.status, retired.status]).toEqual(['active', 'retired']);
    const newer = (await buy(resident.headers, ticketId)).json();
    const kid = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
    expect(kid(newer.token)).toBe(active.id);
    expect(kid(older.token)).toBe(retired.id);
    const published = (await app.inject({ url: '/.well-known/civicpoints/keys.json' })).json().keys;
    expect(published.map((k: { kid: string }) => k.kid)).toEqual(
      expect.arrayContaining([active.id, retired.id]),
    );
    for (const token of [older.token, newer.token]) {
      expect((await post('/api/partner/vouchers/redeem', poolCashier, { token })).statusCode).toBe(
        201,
      );
    }
  });

  it('revokes a key: its tokens are refused, open vouchers it signed show a new token that works', async () => {
    const voucher = (await buy(resident.headers, ticketId)).json();
    const kid = JSON.parse(Buffer.from(voucher.token.split('.')[0], 'base64url').toString()).kid;
    const admin = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['admin'] },
      'revoke.admin@example.be',
    );
    const revoked = await post(
      `/api/municipalities/pelt/voucher-keys/${kid}/revoke`,
      admin.headers,
    );
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ revoked: true });
    expect(revoked.json().reissued).toBeGreaterThanOrEqual(1);
    const old = await post('/api/partner/vouchers/redeem', poolCashier, { token: voucher.token });
    expect(old.statusCode).toBe(400);
    expect(old.json().code).toBe('voucher_invalid_signature');
    const keys = (await app.inject({ url: '/.well-known/civicpoints/keys.json' })).json().keys;
    expect(keys.map((k: { kid: string }) => k.kid)).not.toContain(kid);
    const fresh = (
      await app.inject({ url: `/api/me/vouchers/${voucher.id}`, headers: resident.headers })
    ).json();
    expect(fresh.token).not.toBe(voucher.token);
    expect(
      (await post('/api/partner/vouchers/redeem', poolCashier, { token: fresh.token })).statusCode,
    ).toBe(201);
    const unknown = await post(
      '/api/municipalities/pelt/voucher-keys/vk_nope/revoke',
      admin.headers,
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('expires vouchers not redeemed in time: points back, the resident told in their language', async () => {
    const signedIn = await signInResident(app, 'pelt', 'forgetful@example.be');
    await app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: signedIn.headers,
      payload: { preferredLocale: 'fr' },
    });
    const residentId = signedIn.resident.id;
    await givePoints(app, 'pelt', residentId, 1000);
    const discountId = await rewardId('pelt', 'shop-discount');
    const first = (await buy(signedIn.headers, discountId)).json();
    const second = (await buy(signedIn.headers, discountId)).json();
    expect(await spendable(app, 'pelt', residentId)).toBe(0);
    // Sessions end after 14 idle days: the till uses its API key.
    const till = await makeApiKey(app, shop, ['vouchers:redeem']);
    clock.advance(61 * 86_400_000);
    const refused = await post('/api/partner/vouchers/redeem', till.headers, {
      token: first.token,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('voucher_expired');
    // The till found it expired: its points are back already.
    expect(await spendable(app, 'pelt', residentId)).toBe(500);
    expect(await expireDueVouchers(cli())).toBeGreaterThanOrEqual(1);
    expect(await expireDueVouchers(cli())).toBe(0);
    expect(await spendable(app, 'pelt', residentId)).toBe(1000);
    const asResident = {
      ...cli(),
      actor: {
        kind: 'resident' as const,
        residentId,
        municipalityId: (await getMunicipality(cli(), 'pelt')).id,
        sessionId: 'test',
      },
    };
    for (const voucher of [first, second]) {
      expect((await getMyVoucher(asResident, voucher.id)).status).toBe('expired');
    }
    const mails = await listEmailsTo(cli(), 'forgetful@example.be');
    expect(mails.filter((mail) => mail.subject.startsWith('Votre bon pour'))).toHaveLength(1);
  });

  describe('the ledger', () => {
    it('still verifies after all of it', async () => {
      const report = await verifyLedger(cli(), {});
      expect(report.municipalities.flatMap((m) => m.problems)).toEqual([]);
      expect(report.ok).toBe(true);
    });
  });
});
