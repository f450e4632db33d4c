import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findPartnerByName } from '../../src/modules/partners/partners.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { formatEuroCents } from '../../web/src/i18n/format.js';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { signInResident } from '../support/residents.js';
import { freePort, startTestServer, testContext } from '../support/server.js';
import { givePoints } from '../support/spending.js';
import { makeApiKey, type SignedInUser, signInExistingUser } from '../support/users.js';
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

// The spending side of the staff area in Chromium. An admin of Pelt adds a reward in the editor
// (the API's field error shows next to its field first), changes it and archives it. Residents
// buy vouchers and tills redeem them through the API (one voucher twice, the second offline: a
// flagged duplicate) in December 2026; the clock moves to January and everyone signs in again
// (sessions idle out after 14 days). Finance issues December's statements, opens one, downloads
// its CSV (it adds up to the total) and PDF, marks it paid, reads the flagged redemption and the
// tax credits of 2026 with their CSV. An admin sets a low liability budget and rotates the
// signing key in Settings; the liability page warns. A reviewer sees none of these pages. Staff
// sign-in is someone else's page: the session cookie from the API sign-in goes into the browser.

const hasBrowser = requireBrowser('finance browser tests');
const en = (key: string, values: Record<string, string> = {}) =>
  Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), text('en', key));

const ADMIN = 'admin.pelt@demo.civicpoints.invalid';
const FINANCE = 'finance.pelt@demo.civicpoints.invalid';
const REVIEWER = 'reviewer.pelt@demo.civicpoints.invalid';
const POOL = 'Zwembad Pelt (demo)';

type Headers = Record<string, string>;

describe.skipIf(!hasBrowser)('rewards, finance and liability in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let clock: FixedClock;
  let desktop: LaunchedBrowser;
  let phone: LaunchedBrowser;
  let page: Page;
  let small: Page;
  const pageErrors: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (error) => pageErrors.push(error.message));
    return p;
  };
  const nav = (p: Page) => p.getByRole('navigation', { name: en('staffArea.navLabel') });

  /** Puts a signed-in user's session cookies (from the API sign-in) into both browsers. */
  async function actAs(user: SignedInUser) {
    for (const browser of [desktop, phone]) {
      await browser.context.clearCookies();
      const cookies = user.headers.cookie!.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), url: server.url };
      });
      await browser.context.addCookies(cookies);
    }
  }

  const signIn = (email: string) => signInExistingUser(server.app, email);

  beforeAll(async () => {
    prepareScreenshots();
    ensureWebBuild();
    server = await startTestServer({ seedDemo: true, port: await freePort() });
    clock = server.app.deps.clock as FixedClock;
    desktop = await launchBrowser({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    phone = await launchBrowser({
      locale: 'en-GB',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    page = watch(await desktop.context.newPage());
    small = watch(await phone.context.newPage());
  }, 240_000);

  afterAll(async () => {
    await desktop?.close();
    await phone?.close();
    await server?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('lets an admin add a reward (an API field error first), change it and archive it', async () => {
    await actAs(await signIn(ADMIN));
    await page.goto(`${server.url}/staff`);
    await waitForHeading(page, en('staffArea.home.title'));
    const links = await nav(page).getByRole('link').allTextContents();
    for (const key of ['rewards', 'finance', 'liability']) {
      expect(links).toContain(en(`staffArea.nav.${key}`));
    }
    await nav(page)
      .getByRole('link', { name: en('staffArea.nav.rewards') })
      .click();
    await waitForHeading(page, en('staffArea.nav.rewards'));
    const table = page.getByTestId('rewards-table');
    await table.getByText('Swimming-pool ticket').waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-rewards');

    // Filter: only tax reductions.
    await page
      .getByLabel(en('staffRewards.list.kind'), { exact: true })
      .selectOption('tax_reduction');
    expect(await table.locator('tbody tr').count()).toBe(1);
    await page.getByLabel(en('staffRewards.list.kind'), { exact: true }).selectOption('');

    await page.getByRole('link', { name: en('staffRewards.list.new') }).click();
    await waitForHeading(page, en('staffRewards.editor.newTitle'));
    await page.getByLabel(en('catalogue.form.code'), { exact: true }).fill('e2e-bike-check');
    const names = {
      Dutch: 'Fietscontrole',
      French: 'Contrôle vélo',
      German: 'Fahrradcheck',
      English: 'Bike check',
    };
    for (const [language, name] of Object.entries(names)) {
      await page.getByLabel(en('catalogue.form.name', { language }), { exact: true }).fill(name);
    }
    await page.getByLabel(en('staffRewards.form.category')).selectOption('leisure');
    await page.getByLabel(en('staffRewards.form.price'), { exact: true }).fill('200');
    // Where the vouchers are redeemed is left out: the API says so next to the field.
    await page.getByRole('button', { name: en('staffRewards.form.create') }).click();
    await page.getByTestId('form-errors').waitFor();
    const kindSelect = page.locator('#reward-partnerKind');
    await expect.poll(() => kindSelect.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate('document.activeElement?.id')).toBe('reward-partnerKind');
    expect(plain(await page.getByTestId('reward-form').textContent())).toContain(
      en('staffRewards.errors.where'),
    );
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-reward-new-error');

    await page
      .getByRole('checkbox', { name: new RegExp(`^${POOL.replace(/[()]/g, '\\$&')}`) })
      .check();
    await page.getByRole('button', { name: en('staffRewards.form.create') }).click();
    await waitForHeading(page, 'Bike check');
    await page
      .getByTestId('action-done')
      .getByText(en('staffRewards.editor.created', { name: 'Bike check' }))
      .waitFor();
    expect(plain(await page.getByTestId('reward-summary').textContent())).toContain(POOL);
    expect(await page.getByTestId('reward-kind').textContent()).toBe(
      en('staffRewards.kinds.facility_item'),
    );

    await page.getByLabel(en('staffRewards.form.price'), { exact: true }).fill('250');
    await page.getByRole('checkbox', { name: en('staffRewards.form.stockKept') }).check();
    await page.getByLabel(en('staffRewards.form.stock'), { exact: true }).fill('20');
    await page.getByRole('button', { name: en('staffRewards.form.save') }).click();
    await page.getByTestId('action-done').getByText(en('staffRewards.editor.changed')).waitFor();
    const summary = page.getByTestId('reward-summary');
    expect(plain(await summary.textContent())).toContain(
      en('staffRewards.editor.stockLeft', { left: '20', stock: '20' }),
    );
    expect(plain(await summary.textContent())).toContain('250 points');
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-reward-edit');

    await summary.getByRole('button', { name: en('catalogue.list.archive'), exact: true }).click();
    await page
      .getByTestId('action-done')
      .getByText(en('staffRewards.list.archived', { name: 'Bike check' }))
      .waitFor();
    await page.getByRole('link', { name: en('staffRewards.editor.back') }).click();
    await waitForHeading(page, en('staffArea.nav.rewards'));
    const row = page
      .getByTestId('rewards-table')
      .getByRole('row')
      .filter({ hasText: 'Bike check' });
    await row.getByText(en('catalogue.statuses.archived')).waitFor();
    expect(plain(await row.textContent())).toContain('20 of 20');
  });

  it('arranges December: vouchers bought and redeemed, one twice (offline), tax reductions', async () => {
    const { app } = server;
    const cli = { ...testContext(app), actor: { kind: 'operator_cli' as const } };
    const pelt = await getMunicipality(cli, 'pelt');
    const pool = (await findPartnerByName(cli, pelt.id, POOL))!;
    const shop = (await findPartnerByName(cli, pelt.id, 'Buurtwinkel Pelt (demo)'))!;
    // Tills use API keys: the clock moves past the sessions' idle time below.
    const poolTill = (await makeApiKey(app, pool, ['vouchers:redeem'])).headers;
    const shopTill = (await makeApiKey(app, shop, ['vouchers:redeem'])).headers;
    const rewards = (await app.inject({ url: '/api/municipalities/pelt/rewards' })).json().items;
    const idOf = (code: string) => rewards.find((r: { code: string }) => r.code === code).id;
    let counter = 0;
    const post = (url: string, headers: Headers, payload: object = {}) =>
      app.inject({ method: 'POST', url, headers, payload });
    const buy = async (headers: Headers, code: string) => {
      const response = await post('/api/me/vouchers', headers, {
        rewardId: idOf(code),
        clientPurchaseId: `e2e-finance-${++counter}`,
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { token: string };
    };
    const redeem = async (till: Headers, voucher: { token: string }) => {
      const response = await post('/api/partner/vouchers/redeem', till, { token: voucher.token });
      expect(response.statusCode, response.body).toBe(201);
    };
    const a = await signInResident(app, 'pelt', 'e2e.finance.a@example.be');
    const b = await signInResident(app, 'pelt', 'e2e.finance.b@example.be');
    for (const [resident, street] of [
      [a, 'Kerkstraat 1, 3900 Pelt'],
      [b, 'Kerkstraat 2, 3900 Pelt'],
    ] as const) {
      await givePoints(app, 'pelt', resident.resident.id, 5000);
      await post('/api/me/household', resident.headers, { address: street });
    }
    await redeem(poolTill, await buy(a.headers, 'pool-ticket'));
    await redeem(shopTill, await buy(a.headers, 'shop-discount'));
    const twice = await buy(b.headers, 'pool-ticket');
    await redeem(poolTill, twice);
    const sync = await post('/api/partner/redemptions/sync', poolTill, {
      deviceId: 'e2e-till-0001',
      redemptions: [
        {
          clientRedemptionId: 'e2e-offline-1',
          token: twice.token,
          redeemedAt: clock.now().toISOString(),
        },
      ],
    });
    expect(sync.json().results[0].outcome).toBe('duplicate');
    await buy(a.headers, 'waste-tax');
    await buy(a.headers, 'waste-tax');
    await buy(b.headers, 'pool-ticket'); // still open: part of the liability
    clock.set('2027-01-02T08:00:00Z');
  });

  it("lets finance issue last month's statements, open one, download it and mark it paid", async () => {
    await actAs(await signIn(FINANCE));
    await page.goto(`${server.url}/staff`);
    await waitForHeading(page, en('staffArea.home.title'));
    const links = await nav(page).getByRole('link').allTextContents();
    expect(links).toContain(en('staffArea.nav.finance'));
    expect(links).toContain(en('staffArea.nav.liability'));
    expect(links).not.toContain(en('staffArea.nav.rewards'));
    await nav(page)
      .getByRole('link', { name: en('staffArea.nav.finance') })
      .click();
    await waitForHeading(page, en('staffArea.nav.finance'));
    await page.getByLabel(en('staffFinance.issue.month')).fill('2026-12');
    await page.getByRole('button', { name: en('staffFinance.issue.submit') }).click();
    await page
      .getByTestId('action-done')
      .getByText(/^Statements for December 2026: 2, /)
      .waitFor();
    const table = page.getByTestId('statements-table');
    await table.getByText(POOL).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    await page
      .getByTestId('flagged-table')
      .getByText(en('staffFinance.flagged.duplicate'))
      .waitFor();
    expect(plain(await page.getByTestId('flagged-table').textContent())).toContain(POOL);
    await page.getByTestId('tax-table').waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-finance');

    await small.goto(`${server.url}/staff/finance`);
    await waitForHeading(small, en('staffArea.nav.finance'));
    await small.getByTestId('statements-table').getByText(POOL).waitFor();
    await expectNoSeriousAxeViolations(small);
    await expectNoHorizontalScroll(small);
    await screenshot(small, 'staff-finance-phone');

    await table
      .getByRole('link', {
        name: en('staffFinance.statements.openOf', { partner: POOL, month: 'December 2026' }),
      })
      .click();
    const title = en('staffFinance.statement.titleOf', { partner: POOL, month: 'December 2026' });
    await waitForHeading(page, title);
    expect(await page.getByTestId('statement-lines').locator('tbody tr').count()).toBe(2);
    const total = plain(await page.getByTestId('statement-total').textContent());

    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('statement-csv').click(),
    ]);
    const csv = (await readFile((await csvDownload.path())!, 'utf8')).trim().split('\r\n');
    expect(csv[0]!.split(',').at(-1)).toBe('amount_cents');
    expect(csv).toHaveLength(3);
    const sum = csv.slice(1).reduce((cents, row) => cents + Number(row.split(',').at(-1)), 0);
    expect(plain(formatEuroCents(sum, 'en'))).toBe(total);
    const [pdfDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('statement-pdf').click(),
    ]);
    const pdf = await readFile((await pdfDownload.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfDownload.suggestedFilename()).toMatch(/^statement-2026-12-.*\.pdf$/);

    await page.getByLabel(en('staffFinance.pay.reference')).fill('SEPA-2027-0042');
    await page.getByRole('button', { name: en('staffFinance.pay.submit') }).click();
    const dialog = page.getByRole('dialog', { name: en('staffFinance.pay.confirmTitle') });
    await dialog.getByText(en('staffFinance.pay.cannotUndo')).waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-statement-confirm');
    await dialog.getByRole('button', { name: en('staffFinance.pay.confirm') }).click();
    await page.getByTestId('statement-paid').waitFor();
    expect(plain(await page.getByTestId('statement-paid').textContent())).toContain(
      'SEPA-2027-0042',
    );
    expect(plain(await page.getByTestId('statement-summary').textContent())).toContain(
      en('staffFinance.statuses.paid'),
    );
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-statement-paid');

    await small.goto(page.url());
    await waitForHeading(small, title);
    await expectNoSeriousAxeViolations(small);
    await expectNoHorizontalScroll(small);
    await screenshot(small, 'staff-statement-phone');
  });

  it('shows finance the tax credits of 2026 and downloads the CSV for the tax office', async () => {
    await page.goto(`${server.url}/staff/finance#tax-title`);
    await waitForHeading(page, en('staffArea.nav.finance'));
    await page.getByLabel(en('staffFinance.tax.year'), { exact: true }).fill('2026');
    await page.getByRole('button', { name: en('staffFinance.tax.show') }).click();
    const rows = page.getByTestId('tax-table').locator('tbody tr');
    await rows.filter({ hasText: 'Kerkstraat 1' }).waitFor();
    expect(await rows.count()).toBe(1);
    expect(plain(await page.getByTestId('tax-totals').textContent())).toContain(
      plain(formatEuroCents(2000, 'en')),
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('tax-csv').click(),
    ]);
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
    expect(csv[0]).toBe('household_reference,amount_cents,household_id,address');
    expect(csv.slice(1).reduce((sum, row) => sum + Number(row.split(',')[1]), 0)).toBe(2000);
    expect(download.suggestedFilename()).toBe('tax-credits-pelt-2026.csv');
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-finance-tax');
  });

  it('warns on the liability page once an admin sets a low budget in Settings', async () => {
    await actAs(await signIn(ADMIN));
    await page.goto(`${server.url}/staff/liability`);
    await waitForHeading(page, en('staffArea.nav.liability'));
    await page.getByTestId('liability-total').waitFor();
    expect(await page.getByTestId('over-budget').count()).toBe(0);

    await page.goto(`${server.url}/staff/settings`);
    await waitForHeading(page, en('staffArea.nav.settings'));
    await page.getByRole('checkbox', { name: en('spendingSettings.budgetOn') }).check();
    await page.getByLabel(en('spendingSettings.budget'), { exact: true }).fill('1');
    await page.getByRole('button', { name: en('spendingSettings.save') }).click();
    await page.getByTestId('spending-settings-saved').waitFor();

    const keys = page.getByTestId('voucher-keys-table').locator('tbody tr');
    await keys.first().waitFor();
    expect(await keys.count()).toBe(1);
    await page.getByRole('button', { name: en('voucherKeys.rotate') }).click();
    const dialog = page.getByRole('dialog', { name: en('voucherKeys.confirmTitle') });
    await dialog.getByText(en('voucherKeys.cannotUndo')).waitFor();
    await expectNoSeriousAxeViolations(page);
    await dialog.getByRole('button', { name: en('voucherKeys.confirm') }).click();
    await page
      .getByTestId('keys-done')
      .getByText(/^The key is rotated\./)
      .waitFor();
    await expect.poll(() => keys.count()).toBe(2);
    expect(plain(await page.getByTestId('voucher-keys-table').textContent())).toContain(
      en('voucherKeys.statuses.retired'),
    );
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-settings-spending');

    await nav(page)
      .getByRole('link', { name: en('staffArea.nav.liability') })
      .click();
    await waitForHeading(page, en('staffArea.nav.liability'));
    const warning = page.getByTestId('over-budget');
    await warning.waitFor();
    expect(plain(await warning.textContent())).toContain(en('staffLiability.overBudgetTitle'));
    expect(plain(await page.getByTestId('liability-total').textContent())).toContain(
      en('staffLiability.budgetOver', { budget: plain(formatEuroCents(100, 'en')) }),
    );
    await page.getByTestId('open-vouchers').getByText('Swimming-pool ticket').waitFor();
    await page.getByTestId('owed-partners').getByText('Buurtwinkel Pelt (demo)').waitFor();
    expect(plain(await page.getByTestId('liability-rate').textContent())).toContain('100%');
    await page.getByTestId('expiring-chart').waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-liability');

    await small.goto(`${server.url}/staff/liability`);
    await waitForHeading(small, en('staffArea.nav.liability'));
    await small.getByTestId('over-budget').waitFor();
    await expectNoSeriousAxeViolations(small);
    await expectNoHorizontalScroll(small);
    await screenshot(small, 'staff-liability-phone');
  });

  it('shows a reviewer none of these pages, and says so when opened by address', async () => {
    await actAs(await signIn(REVIEWER));
    await page.goto(`${server.url}/staff`);
    await waitForHeading(page, en('staffArea.home.title'));
    const links = await nav(page).getByRole('link').allTextContents();
    for (const key of ['rewards', 'finance', 'liability']) {
      expect(links).not.toContain(en(`staffArea.nav.${key}`));
    }
    for (const [path, key] of [
      ['/staff/rewards', 'rewards'],
      ['/staff/finance', 'finance'],
      ['/staff/liability', 'liability'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await waitForHeading(page, en(`staffArea.nav.${key}`));
      await page.getByTestId('not-allowed').getByText(en('staffArea.notAllowed')).waitFor();
      await expectNoSeriousAxeViolations(page);
    }
    await screenshot(page, 'staff-liability-reviewer');
  });
});
