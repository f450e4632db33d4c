import type { Page } from 'playwright-core';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  LOCALES,
  type Locale,
  plain,
  prepareScreenshots,
  text,
  waitForHeading,
} from '../e2e/page-checks.js';
import { chooseLanguage } from '../e2e/resident-steps.js';
import { ensureWebBuild } from '../e2e/web-build.js';
import {
  savePayoutSettings,
  settingsBody,
  staffHeaders,
  treasuryKeyInEnv,
} from '../payouts/payouts-world.js';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { payoutsOf, useSession } from '../support/payouts-web.js';
import { signInResident } from '../support/residents.js';
import { freePort, startTestServer } from '../support/server.js';
import { givePoints } from '../support/spending.js';

// The payouts pages in Chromium. Pelt pays out in CVP (1 point = 0.01 CVP, 100 to 5,000 points,
// above 2,000 a finance officer approves). A resident on a phone opens Payouts from the home
// page, registers a wallet address by pasting a signature (made here in Node with viem, as any
// wallet app would), is refused a payout above the maximum, asks for 2,500 points and sees it
// waiting for approval; a finance officer approves it on the staff page; the resident sees it
// queued. axe-core checks every page visited; one screenshot per language of the resident's page
// at phone size goes to /tmp.

const hasBrowser = requireBrowser('payouts browser tests');

function say(locale: Locale, key: string, values: Record<string, string> = {}): string {
  return plain(
    Object.entries(values).reduce(
      (result, [name, value]) => result.replaceAll(`{{${name}}}`, value),
      text(locale, key),
    ),
  );
}
const en = (key: string, values: Record<string, string> = {}) => say('en', key, values);

describe.skipIf(!hasBrowser)('payouts in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let phone: LaunchedBrowser;
  let desktop: LaunchedBrowser;
  let residentPage: Page;
  let resident: { id: string; headers: Record<string, string> };
  const walletKey = generatePrivateKey();
  const wallet = privateKeyToAccount(walletKey);
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(10_000);
    return page;
  };

  beforeAll(async () => {
    prepareScreenshots();
    ensureWebBuild();
    server = await startTestServer({ seedDemo: true, port: await freePort() });
    const admin = await staffHeaders(server.app, 'pelt', ['admin'], 'pw.admin@example.be');
    await savePayoutSettings(server.app, 'pelt', admin, settingsBody(treasuryKeyInEnv().source));
    const signedIn = await signInResident(server.app, 'pelt', 'pw.resident@example.be');
    resident = { id: signedIn.resident.id, headers: signedIn.headers };
    await givePoints(server.app, 'pelt', resident.id, 3000);
    phone = await launchBrowser({
      locale: 'en-GB',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    desktop = await launchBrowser({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    await useSession(phone, resident.headers, server.url);
    residentPage = watch(await phone.context.newPage());
  }, 240_000);

  afterAll(async () => {
    await phone?.close();
    await desktop?.close();
    await server?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('lets a resident register an address with a pasted signature and ask for a payout', async () => {
    const page = residentPage;
    await page.goto(`${server.url}/resident`);
    await waitForHeading(page, en('resident.title'));
    await page.getByRole('link', { name: en('payouts.link', { symbol: 'CVP' }) }).click();
    await waitForHeading(page, en('payouts.title'));
    const summary = page.getByTestId('payout-summary');
    await summary.waitFor();
    expect(plain(await page.getByTestId('payout-rate').textContent())).toBe(
      en('payouts.summary.rateText', { tokens: '0.01', symbol: 'CVP' }),
    );
    expect(plain(await page.getByTestId('payout-left').textContent())).toContain(
      en('payouts.pointsCount.other', { points: '10,000' }),
    );
    expect(await page.getByTestId('payout-submit').isDisabled()).toBe(true);
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);

    // A typo in the address is caught before anything is sent.
    const addressInput = page.getByLabel(en('payouts.address.input'), { exact: true });
    await addressInput.fill('0x1234');
    await page.getByRole('button', { name: en('payouts.address.getMessage') }).click();
    expect(plain(await page.getByTestId('address-problem').textContent())).toContain(
      en('payouts.address.formatHint'),
    );

    // The paste path: copy the message, sign it in "another wallet" (viem, here), paste.
    await addressInput.fill(wallet.address);
    await page.getByRole('button', { name: en('payouts.address.getMessage') }).click();
    const message = await page
      .getByLabel(en('payouts.address.message'), { exact: true })
      .inputValue();
    expect(message).toContain(wallet.address);
    await page.screenshot({ path: '/tmp/payouts-resident-phone-sign.png', fullPage: true });
    // No wallet in this browser: only the paste path is offered.
    expect(await page.getByTestId('sign-in-browser').count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    // A signature by another key is refused with its own words.
    const stranger = privateKeyToAccount(generatePrivateKey());
    await page
      .getByLabel(en('payouts.address.signature'), { exact: true })
      .fill(await stranger.signMessage({ message }));
    await page.getByRole('button', { name: en('payouts.address.save') }).click();
    await expect
      .poll(async () => plain(await page.getByTestId('address-problem').textContent()))
      .toContain(en('payouts.errors.signature_invalid'));
    await page
      .getByLabel(en('payouts.address.signature'), { exact: true })
      .fill(await wallet.signMessage({ message }));
    await page.getByRole('button', { name: en('payouts.address.save') }).click();
    await page.getByTestId('address-saved').waitFor();
    expect(await page.getByTestId('active-address-value').textContent()).toBe(wallet.address);
    expect(plain(await page.getByTestId('address-usable').textContent())).toBe(
      en('payouts.address.usableNow'),
    );

    // Above the maximum: refused, in words; then 2,500 points (above the approval threshold).
    const points = page.getByLabel(en('payouts.request.points'), { exact: true });
    await points.fill('6000');
    await page.getByTestId('payout-submit').click();
    await expect
      .poll(async () => plain(await page.getByTestId('payout-problem').textContent()))
      .toContain(en('payouts.errors.payout_above_maximum'));
    await points.fill('2500');
    expect(plain(await page.getByTestId('payout-quote').textContent())).toBe(
      en('payouts.request.quote', { tokens: '25', symbol: 'CVP' }),
    );
    await page.getByTestId('payout-submit').click();
    await page.getByTestId('payout-requested').waitFor();
    const item = page.getByTestId('payout-item').first();
    await item.waitFor();
    expect(await item.getAttribute('data-status')).toBe('awaiting_approval');
    expect(plain(await item.getByTestId('payout-status').textContent())).toBe(
      en('payouts.status.awaiting_approval'),
    );
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);

    const payouts = await payoutsOf(server.app, resident.headers);
    expect(payouts.map((p) => [p.points, p.status])).toEqual([[2500, 'awaiting_approval']]);
  });

  it('lets a finance officer approve one payout and reject another with a note', async () => {
    // A second payout above the threshold, asked from the resident's other phone (the API).
    await givePoints(server.app, 'pelt', resident.id, 3000);
    const second = await server.app.inject({
      method: 'POST',
      url: '/api/me/payouts',
      headers: resident.headers,
      payload: { points: 2100, clientRequestId: 'pw-second-request' },
    });
    expect(second.statusCode, second.body).toBe(201);
    const finance = await staffHeaders(server.app, 'pelt', ['finance'], 'pw.finance@example.be');
    await useSession(desktop, finance, server.url);
    const page = watch(await desktop.context.newPage());
    await page.goto(`${server.url}/staff`);
    await waitForHeading(page, en('staffArea.home.title'));
    await page
      .getByRole('navigation', { name: en('staffArea.navLabel') })
      .getByRole('link', { name: en('staffArea.nav.payouts') })
      .click();
    await waitForHeading(page, en('staffArea.nav.payouts'));
    const waiting = page.getByTestId('payouts-awaiting_approval');
    await expect.poll(() => waiting.getByText(resident.id).count()).toBe(2);
    await page.getByTestId('payout-settings-form').waitFor();
    await expectNoSeriousAxeViolations(page);

    await waiting
      .getByRole('button', {
        name: en('staffPayouts.actions.approveNamed', { points: '2,500', resident: resident.id }),
      })
      .click();
    const dialog = page.getByRole('dialog', { name: en('staffPayouts.confirm.approve.title') });
    await dialog.waitFor();
    expect(plain(await dialog.textContent())).toContain(wallet.address);
    await expectNoSeriousAxeViolations(page);
    await dialog.getByRole('button', { name: en('staffPayouts.actions.approve') }).click();
    await page.getByTestId('payout-action-done').first().waitFor();
    expect(plain(await page.getByTestId('payout-action-done').first().textContent())).toBe(
      en('staffPayouts.actions.approveDone'),
    );
    await expect.poll(() => waiting.getByText(resident.id).count()).toBe(1);

    // Reject the other: a note is required, and the resident reads it.
    await waiting
      .getByRole('button', {
        name: en('staffPayouts.actions.rejectNamed', { points: '2,100', resident: resident.id }),
      })
      .click();
    const reject = page.getByRole('dialog', { name: en('staffPayouts.reject.title') });
    await reject.waitFor();
    const confirmReject = reject.getByRole('button', { name: en('staffPayouts.actions.reject') });
    expect(await confirmReject.isDisabled()).toBe(true);
    await reject
      .getByLabel(en('staffPayouts.reject.note'))
      .fill('Please ask for less at once: we pay out 2,000 points at most each month.');
    await expectNoSeriousAxeViolations(page);
    await confirmReject.click();
    await expect.poll(() => waiting.getByText(resident.id).count()).toBe(0);
    expect(plain(await page.getByTestId('payout-action-done').first().textContent())).toBe(
      en('staffPayouts.actions.rejectDone'),
    );
    await expectNoSeriousAxeViolations(page);
    // The settings form sends what the API takes: a shorter cooling-off is saved.
    const settingsForm = page.getByTestId('payout-settings-form');
    await settingsForm
      .getByLabel(en('staffPayouts.settings.fields.coolingOffHours'), { exact: true })
      .fill('24');
    await settingsForm.getByRole('button', { name: en('staffPayouts.settings.save') }).click();
    await page.getByTestId('payout-settings-saved').waitFor();
    const saved = await server.app.inject({
      url: '/api/municipalities/pelt/payouts/settings',
      headers: finance,
    });
    expect(saved.json()).toMatchObject({ coolingOffHours: 24, maxPoints: 5000, enabled: true });
    await page.screenshot({ path: '/tmp/payouts-staff-finance.png', fullPage: true });
    await page.close();

    const payouts = await payoutsOf(server.app, resident.headers);
    expect(payouts.map((p) => [p.points, p.status])).toEqual([
      [2100, 'rejected'],
      [2500, 'queued'],
    ]);

    await residentPage.reload();
    await waitForHeading(residentPage, en('payouts.title'));
    const items = residentPage.getByTestId('payout-item');
    await items.first().waitFor();
    expect(await items.evaluateAll((li) => li.map((e) => e.getAttribute('data-status')))).toEqual([
      'rejected',
      'queued',
    ]);
    expect(plain(await items.first().getByTestId('payout-reason').textContent())).toBe(
      en('payouts.list.reason', {
        reason: 'Please ask for less at once: we pay out 2,000 points at most each month.',
      }),
    );
  });

  it('signs with a wallet in the browser (EIP-1193 personal_sign), and says so when refused', async () => {
    // A wallet extension as the page sees it: window.ethereum.request, answered here in Node by
    // a viem key; the first personal_sign is refused by its owner (EIP-1193 code 4001).
    const other = await signInResident(server.app, 'pelt', 'pw.wallet@example.be');
    const key = generatePrivateKey();
    const account = privateKeyToAccount(key);
    const asked: string[] = [];
    await useSession(desktop, other.headers, server.url);
    const page = watch(await desktop.context.newPage());
    await page.exposeFunction('walletRequest', async (method: string, params: unknown[]) => {
      asked.push(method);
      if (method === 'eth_requestAccounts') return { result: [account.address.toLowerCase()] };
      if (method !== 'personal_sign') return { error: 4200 };
      if (asked.filter((m) => m === 'personal_sign').length === 1) return { error: 4001 };
      const [hex, address] = params as [`0x${string}`, string];
      expect(address).toBe(account.address);
      return { result: await account.signMessage({ message: { raw: hex } }) };
    });
    await page.addInitScript({
      content: `window.ethereum = {
        async request({ method, params }) {
          const answer = await window.walletRequest(method, params ?? []);
          if (answer.error) throw Object.assign(new Error('refused'), { code: answer.error });
          return answer.result;
        },
      };`,
    });
    await page.goto(`${server.url}/resident/payouts`);
    await waitForHeading(page, en('payouts.title'));
    await page.getByLabel(en('payouts.address.input'), { exact: true }).fill(account.address);
    await page.getByRole('button', { name: en('payouts.address.getMessage') }).click();
    const signHere = page.getByRole('button', { name: en('payouts.address.signHere') });
    await signHere.click();
    await expect
      .poll(async () => plain(await page.getByTestId('address-problem').textContent()))
      .toContain(en('payouts.errors.walletRejected'));
    await expectNoSeriousAxeViolations(page);
    await signHere.click();
    await page.getByTestId('address-saved').waitFor();
    expect(await page.getByTestId('active-address-value').textContent()).toBe(account.address);
    expect(asked).toEqual([
      'eth_requestAccounts',
      'personal_sign',
      'eth_requestAccounts',
      'personal_sign',
    ]);
    await page.close();
  });

  it('reads in the four languages on a phone', async () => {
    const page = residentPage;
    for (const locale of LOCALES) {
      await chooseLanguage(page, locale);
      await waitForHeading(page, text(locale, 'payouts.title'));
      expect(plain(await page.getByTestId('payout-status').nth(1).textContent())).toBe(
        say(locale, 'payouts.status.queued'),
      );
      await expectNoSeriousAxeViolations(page);
      await expectNoHorizontalScroll(page);
      await page.screenshot({ path: `/tmp/payouts-resident-phone-${locale}.png`, fullPage: true });
    }
    await chooseLanguage(page, 'en');
  });
});
