import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoPartnerUserEmail } from '../../src/demo/seed-demo.js';
import { findActivityByCode } from '../../src/modules/catalog/catalog.service.js';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { fakeCameraArgs, writeFakeCameraFile } from '../support/fake-camera.js';
import { signInResident } from '../support/residents.js';
import { freePort, startTestServer, testContext } from '../support/server.js';
import { accountOf, givePoints, makeReward } from '../support/spending.js';
import { type SignedInUser, signInExistingUser } from '../support/users.js';
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  plain,
  prepareScreenshots,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import { ensureWebBuild } from './web-build.js';

// The point of sale in Chromium, as the swimming pool's cashier (signed in through the API, the
// session cookie put into the browser): a voucher redeemed by its short code, refused the second
// time ("already redeemed", when and where) and undone; one redeemed by its QR code shown to the
// camera (Chromium's fake camera playing a video made from the voucher's QR PNG, decoded by
// ZXing in WebAssembly: Chromium on Linux has no BarcodeDetector); one redeemed offline and
// synced; and one voucher redeemed offline on two devices: one paid, one flagged, paid once.
// The same scanner fills a resident's site code from the QR code on a partner's kiosk.

const hasBrowser = requireBrowser('point-of-sale browser tests');
const en = (key: string, values: Record<string, string> = {}) =>
  Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), text('en', key));

const VIEWPORTS = {
  tablet: { viewport: { width: 1024, height: 768 }, isMobile: true, hasTouch: true },
  phone: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
} as const;

type Headers = Record<string, string>;
interface Bought {
  id: string;
  token: string;
  shortCode: string;
  pricePoints: number;
}

describe.skipIf(!hasBrowser)('the point of sale in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cashier: SignedInUser;
  let resident: { id: string; headers: Headers };
  let rewardId = '';
  let partnerId = '';
  let folder = '';
  let purchases = 0;
  const browsers: LaunchedBrowser[] = [];
  const pageErrors: string[] = [];

  /** A voucher the resident buys, with its token and short code. */
  async function buy(reward = rewardId): Promise<Bought> {
    const bought = await server.app.inject({
      method: 'POST',
      url: '/api/me/vouchers',
      headers: resident.headers,
      payload: { rewardId: reward, clientPurchaseId: `pos-e2e-${++purchases}-${Date.now()}` },
    });
    expect(bought.statusCode, bought.body).toBe(201);
    const voucher = (
      await server.app.inject({
        url: `/api/me/vouchers/${bought.json().id}`,
        headers: resident.headers,
      })
    ).json();
    return {
      id: voucher.id,
      token: voucher.token,
      shortCode: voucher.shortCode,
      pricePoints: voucher.pricePoints,
    };
  }

  /** A fake-camera video of the voucher's QR code, as the resident's app shows it (qr.png). */
  async function cameraFileFor(voucher: Bought): Promise<string> {
    const png = await server.app.inject({
      url: `/api/me/vouchers/${voucher.id}/qr.png`,
      headers: resident.headers,
    });
    expect(png.statusCode).toBe(200);
    const file = join(folder, `${voucher.id}.y4m`);
    await writeFakeCameraFile(file, png.rawPayload);
    return file;
  }

  async function voucherStatus(id: string): Promise<string> {
    return (
      await server.app.inject({ url: `/api/me/vouchers/${id}`, headers: resident.headers })
    ).json().status;
  }

  /** A browser of this size signed in as the cashier, with a fake camera showing `file`. */
  async function tillFor(
    size: keyof typeof VIEWPORTS,
    {
      file,
      cameraOff = false,
      as = cashier.headers,
    }: { file?: string; cameraOff?: boolean; as?: Headers } = {},
  ): Promise<{ page: Page; context: BrowserContext }> {
    const browser = await launchBrowser({
      locale: 'en-GB',
      ...VIEWPORTS[size],
      args: fakeCameraArgs(file),
    });
    browsers.push(browser);
    const { context } = browser;
    await context.addCookies(
      as.cookie!.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), url: server.url };
      }),
    );
    // The camera's on/off is kept on the device; these tills start with it off.
    if (cameraOff) {
      await context.addInitScript({
        content: "localStorage.setItem('civicpoints.pos.camera', 'off');",
      });
    }
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { page, context };
  }

  /** Opens the till and waits until it holds the offline kit and its QR decoder. */
  async function openTill(page: Page) {
    await page.goto(`${server.url}/partner/pos`);
    await waitForHeading(page, en('pos.title'));
    const till = page.getByTestId('pos');
    // The page's own scripts run in the browser: given as text (no DOM types here).
    await page.waitForFunction(
      `(() => {
        const el = document.querySelector('[data-testid="pos"]');
        return el?.getAttribute('data-kit') !== 'none' && el?.getAttribute('data-decoder') === 'ready';
      })()`,
      undefined,
      { timeout: 20_000 },
    );
    return till;
  }

  const result = (page: Page) => page.getByTestId('pos-result');
  const waitForResult = (page: Page, kind: string) =>
    page.locator(`[data-testid="pos-result"][data-kind="${kind}"]`).waitFor({ timeout: 20_000 });

  beforeAll(async () => {
    prepareScreenshots();
    ensureWebBuild();
    folder = await mkdtemp(join(tmpdir(), 'civicpoints-pos-'));
    server = await startTestServer({
      seedDemo: true,
      port: await freePort(),
      env: { SECRETS_KEY: randomBytes(32).toString('base64') },
    });
    cashier = await signInExistingUser(server.app, demoPartnerUserEmail('pool', 'cashier', 'pelt'));
    partnerId = (await server.app.inject({ url: '/api/partner', headers: cashier.headers })).json()
      .id;
    const signedIn = await signInResident(server.app, 'pelt', 'pos.spender@example.be');
    resident = { id: signedIn.resident.id, headers: signedIn.headers };
    await givePoints(server.app, 'pelt', resident.id, 10_000);
    // Like the demo's pool ticket, without its limit of four a month.
    rewardId = (
      await makeReward(server.app, 'pelt', 'pos-e2e-ticket', {
        pricePoints: 300,
        scope: 'region',
        partnerKind: 'facility',
        validityDays: 30,
        names: {
          nl: 'Zwembadticket',
          fr: 'Entrée à la piscine',
          de: 'Schwimmbadeintritt',
          en: 'Swimming-pool ticket',
        },
      })
    ).id;
  }, 180_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await server?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('redeems by short code, refuses it the second time (when and where), and undoes (phone)', async () => {
    const voucher = await buy();
    const { page } = await tillFor('phone', { file: undefined });
    await page.goto(`${server.url}/partner`);
    await waitForHeading(page, en('partnerPortal.home.title'));
    await page
      .getByRole('navigation', { name: en('partnerPortal.navLabel') })
      .getByRole('link', { name: en('partnerPortal.nav.pos') })
      .click();
    await openTill(page);
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'pos-ready-phone-en');

    // A typo is caught on the till: the check character does not match.
    const code = page.getByLabel(en('pos.code.label'));
    const typo = `${voucher.shortCode.slice(0, 12)}${voucher.shortCode.endsWith('0') ? '1' : '0'}`;
    await code.fill(typo);
    await page.getByRole('button', { name: en('pos.code.check') }).click();
    await waitForResult(page, 'refused');
    expect(await result(page).getAttribute('data-reason')).toBe('voucher_code_invalid');
    await page.getByRole('button', { name: en('pos.next') }).click();

    // Typed as a person might: lower case, no dashes.
    await code.fill(voucher.shortCode.toLowerCase().replace(/-/g, ''));
    await page.getByRole('button', { name: en('pos.code.check') }).click();
    await waitForResult(page, 'valid');
    expect(plain(await page.getByTestId('pos-reward').textContent())).toBe('Swimming-pool ticket');
    expect(plain(await page.getByTestId('pos-value').textContent())).toMatch(/^€\d+\.\d\d$/);
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'pos-valid-phone-en');
    // Readable at arm's length: the reward's name is big.
    const box = await page.getByTestId('pos-reward').boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(28);

    await page.getByRole('button', { name: en('pos.redeem'), exact: true }).click();
    await waitForResult(page, 'redeemed');
    await page.getByTestId('pos-undo').waitFor();
    expect(await voucherStatus(voucher.id)).toBe('redeemed');
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'pos-redeemed-phone-en');

    // Again: red, already redeemed, with when and where.
    await page.getByRole('button', { name: en('pos.next') }).click();
    await code.fill(voucher.shortCode);
    await page.getByRole('button', { name: en('pos.code.check') }).click();
    await waitForResult(page, 'refused');
    expect(await result(page).getAttribute('data-reason')).toBe('voucher_already_redeemed');
    const reason = plain(await page.getByTestId('pos-reason').textContent());
    expect(reason).toMatch(/^This voucher was already redeemed \(.*\d{1,2}:\d\d, Zwembad Pelt/);
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'pos-already-redeemed-phone-en');

    // Undo, from the till's list of what it redeemed lately.
    await page.getByRole('button', { name: en('pos.next') }).click();
    const recent = page.getByTestId('pos-recent');
    const paid = recent.locator('[data-state="paid"]');
    await paid.waitFor();
    expect(plain(await paid.textContent())).toContain(en('pos.recent.states.paid'));
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'pos-recent-phone-en');
    await paid.getByRole('button', { name: en('pos.recent.undo') }).click();
    await waitForResult(page, 'undone');
    expect(await voucherStatus(voucher.id)).toBe('issued');
    await screenshot(page, 'pos-undone-phone-en');
  }, 120_000);

  it('redeems a voucher by its QR code shown to the camera (tablet)', async () => {
    const voucher = await buy();
    const { page } = await tillFor('tablet', { file: await cameraFileFor(voucher) });
    await page.goto(`${server.url}/partner/pos`);
    await waitForHeading(page, en('pos.title'));
    // The camera starts by itself and reads the code: the voucher is checked online.
    await waitForResult(page, 'valid');
    expect(plain(await page.getByTestId('pos-reward').textContent())).toBe('Swimming-pool ticket');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'pos-scanned-tablet-en');
    await page.getByRole('button', { name: en('pos.redeem'), exact: true }).click();
    await waitForResult(page, 'redeemed');
    expect(await voucherStatus(voucher.id)).toBe('redeemed');
    await screenshot(page, 'pos-scanned-redeemed-tablet-en');
  }, 120_000);

  it('redeems offline, says so, and syncs when back online (phone)', async () => {
    const voucher = await buy();
    const { page, context } = await tillFor('phone', {
      file: await cameraFileFor(voucher),
      cameraOff: true,
    });
    await openTill(page);
    await context.setOffline(true);
    const connection = page.getByTestId('pos-connection');
    await connection.getByText(en('pos.offline'), { exact: true }).waitFor();

    // A typed code cannot be checked offline.
    await page.getByLabel(en('pos.code.label')).fill(voucher.shortCode);
    await page.getByRole('button', { name: en('pos.code.check') }).click();
    await waitForResult(page, 'refused');
    expect(await result(page).getAttribute('data-reason')).toBe('offline_code');
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'pos-offline-code-phone-en');
    await page.getByRole('button', { name: en('pos.next') }).click();

    // The QR code is checked on the device: signature, expiry, deny list, partner.
    await page.getByRole('button', { name: en('pos.scan.on') }).click();
    await waitForResult(page, 'valid');
    await page.getByText(en('pos.offlineValid')).waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'pos-offline-valid-phone-en');
    await page.getByRole('button', { name: en('pos.redeemOffline') }).click();
    await waitForResult(page, 'accepted');
    const waiting = page.getByTestId('pos-waiting');
    expect(plain(await waiting.textContent())).toMatch(/^1 redemption waiting to sync \(€/);
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'pos-offline-accepted-phone-en');
    expect(await voucherStatus(voucher.id)).toBe('issued');

    // The voucher is still in front of the camera after "Next voucher": not read again, and the
    // cashier switches the camera off.
    await page.getByRole('button', { name: en('pos.next') }).click();
    await page.getByRole('button', { name: en('pos.scan.off') }).click();

    // Back online: it syncs by itself and shows the result.
    await context.setOffline(false);
    const report = page.getByTestId('pos-sync-report');
    await report.locator('li[data-outcome="settled"]').waitFor({ timeout: 20_000 });
    expect(await waiting.count()).toBe(0);
    await page.getByTestId('pos-recent').locator('[data-state="settled"]').waitFor();
    expect(await voucherStatus(voucher.id)).toBe('redeemed');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'pos-synced-phone-en');
  }, 120_000);

  it('pays once for one voucher redeemed offline on two devices; the other is flagged', async () => {
    const voucher = await buy();
    const file = await cameraFileFor(voucher);
    const paidBefore = (await accountOf(server.app, 'pelt', 'partner', partnerId)).creditsPosted;
    const tills = [
      await tillFor('tablet', { file, cameraOff: true }),
      await tillFor('phone', { file, cameraOff: true }),
    ];
    for (const { page, context } of tills) {
      await openTill(page);
      await context.setOffline(true);
      await page
        .getByTestId('pos-connection')
        .getByText(en('pos.offline'), { exact: true })
        .waitFor();
      await page.getByRole('button', { name: en('pos.scan.on') }).click();
      await waitForResult(page, 'valid');
      await page.getByRole('button', { name: en('pos.redeemOffline') }).click();
      await waitForResult(page, 'accepted');
      await page.getByRole('button', { name: en('pos.next') }).click();
      await page.getByRole('button', { name: en('pos.scan.off') }).click();
    }
    const [first, second] = tills as [(typeof tills)[0], (typeof tills)[0]];

    await first.context.setOffline(false);
    await first.page
      .getByTestId('pos-sync-report')
      .locator('li[data-outcome="settled"]')
      .waitFor({ timeout: 20_000 });
    await screenshot(first.page, 'pos-two-devices-first-tablet-en');

    await second.context.setOffline(false);
    const flagged = second.page
      .getByTestId('pos-sync-report')
      .locator('li[data-outcome="duplicate"]');
    await flagged.waitFor({ timeout: 20_000 });
    expect(plain(await flagged.textContent())).toContain(en('pos.sync.duplicate'));
    const duplicate = second.page.getByTestId('pos-recent').locator('[data-state="duplicate"]');
    await duplicate.waitFor();
    expect(plain(await duplicate.textContent())).toContain(en('pos.recent.states.duplicate'));
    await expectNoSeriousAxeViolations(second.page);
    await expectNoHorizontalScroll(second.page);
    await screenshot(second.page, 'pos-two-devices-flagged-phone-en');

    // Paid once: the partner's account got the voucher's points once.
    const paidAfter = (await accountOf(server.app, 'pelt', 'partner', partnerId)).creditsPosted;
    expect(paidAfter - paidBefore).toBe(voucher.pricePoints);
    const redemptions = (
      await server.app.inject({ url: '/api/partner/redemptions', headers: cashier.headers })
    )
      .json()
      .items.filter((r: { voucherId: string }) => r.voucherId === voucher.id);
    expect(redemptions.map((r: { outcome: string }) => r.outcome).sort()).toEqual([
      'duplicate',
      'settled',
    ]);
    // Two devices, each with its own id.
    expect(new Set(redemptions.map((r: { deviceId: string }) => r.deviceId)).size).toBe(2);
  }, 180_000);

  it('asks the discount given for a percentage voucher, at most its most (shop, phone)', async () => {
    const discount = await makeReward(server.app, 'pelt', 'pos-e2e-discount', {
      kind: 'merchant_discount',
      value: { mode: 'percent', percent: 20, maxCents: 1000 },
      partnerKind: 'merchant',
      pricePoints: 200,
      names: { nl: '20% korting', fr: '20 % de réduction', de: '20 % Rabatt', en: '20% off' },
    });
    const voucher = await buy(discount.id);
    const shop = await signInExistingUser(
      server.app,
      demoPartnerUserEmail('shop', 'cashier', 'pelt'),
    );
    const { page } = await tillFor('phone', { as: shop.headers, cameraOff: true });
    await openTill(page);
    await page.getByLabel(en('pos.code.label')).fill(voucher.shortCode);
    await page.getByRole('button', { name: en('pos.code.check') }).click();
    await waitForResult(page, 'valid');
    expect(plain(await page.getByTestId('pos-value').textContent())).toBe(
      en('pos.percentValue', { percent: '20', most: '€10.00' }),
    );
    const given = page.getByTestId('pos-discount');
    await given.fill('12');
    await page.getByRole('button', { name: en('pos.redeem'), exact: true }).click();
    await page.getByText(en('pos.discount.invalid')).waitFor();
    expect(await voucherStatus(voucher.id)).toBe('issued');
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'pos-discount-phone-en');
    await given.fill('4,50');
    await page.getByRole('button', { name: en('pos.redeem'), exact: true }).click();
    await waitForResult(page, 'redeemed');
    expect(plain(await page.getByTestId('pos-value').textContent())).toBe('€4.50');
    const redemption = (
      await server.app.inject({ url: '/api/partner/redemptions', headers: shop.headers })
    )
      .json()
      .items.find((r: { voucherId: string }) => r.voucherId === voucher.id);
    expect(redemption).toMatchObject({ outcome: 'settled', valueCents: 450 });
  }, 120_000);

  it("fills the resident's site code from the kiosk's QR code", async () => {
    // The thrift shop's kiosk shows its code; the QR code on that screen goes to the camera.
    const thrift = await signInExistingUser(
      server.app,
      demoPartnerUserEmail('thrift', 'confirmer', 'pelt'),
    );
    const location = (
      await server.app.inject({ url: '/api/partner', headers: thrift.headers })
    ).json().locations[0];
    const kiosk = (await tillFor('tablet', { as: thrift.headers })).page;
    await kiosk.goto(`${server.url}/partner/kiosk/${location.id}`);
    const qr = kiosk.getByTestId('site-code-qr');
    await qr.waitFor();
    const code = await qr.getAttribute('data-value');
    expect(code).toMatch(/^\d{6}$/);
    const file = join(folder, 'site-code.y4m');
    await writeFakeCameraFile(file, await qr.screenshot());

    const pelt = (await server.app.inject('/api/municipalities/pelt')).json();
    const activity = await findActivityByCode(testContext(server.app), pelt.id, 'donate-clothes');
    const { page } = await tillFor('phone', { file, as: resident.headers });
    await page.goto(`${server.url}/resident/earn/${activity!.id}`);
    const field = page.getByTestId('claim-site-code');
    await field.waitFor();
    await page.getByRole('button', { name: en('earn.form.siteCode.scan') }).click();
    await page.waitForFunction(
      `document.querySelector('[data-testid="claim-site-code"]')?.value === ${JSON.stringify(code)}`,
      undefined,
      { timeout: 20_000 },
    );
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'claim-site-code-scanned-phone-en');
  }, 120_000);
});
