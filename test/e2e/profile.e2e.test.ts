import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { freePort, startTestServer } from '../support/server.js';
import {
  type ReceivedMail,
  type SmtpPeer,
  startSmtpPeer,
  waitForSignInLink,
} from '../support/smtp.js';
import { signInUser } from '../support/users.js';
import {
  ENDONYMS,
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  LOCALES,
  type Locale,
  plain,
  prepareScreenshots,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import { ensureWebBuild } from './web-build.js';

// The resident's profile in Chromium: signed up by the emailed link (a real SMTP peer), then the
// member card's QR code, the language, the data download and the account's deletion.
// Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('profile browser tests');

async function chooseUiLanguage(page: Page, locale: Locale): Promise<void> {
  const label = new RegExp(`^(${LOCALES.map((l) => text(l, 'language.label')).join('|')})$`);
  await page.getByRole('combobox', { name: label }).selectOption({ label: ENDONYMS[locale] });
  await page.waitForFunction(`document.documentElement.lang === '${locale}'`);
}

describe.skipIf(!hasBrowser)('resident profile in Chromium', () => {
  const received: ReceivedMail[] = [];
  const email = 'profile.person@example.org';
  let smtp: SmtpPeer;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let desktop: LaunchedBrowser;
  let phone: LaunchedBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  const watch = (p: Page) => {
    p.on('pageerror', (error) => pageErrors.push(error.message));
    return p;
  };

  beforeAll(async () => {
    prepareScreenshots();
    ensureWebBuild();
    smtp = await startSmtpPeer(received);
    const port = await freePort();
    server = await startTestServer({
      seedDemo: true,
      port,
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, PUBLIC_URL: `http://localhost:${port}` },
    });
    desktop = await launchBrowser({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    phone = await launchBrowser({
      locale: 'en-GB',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    // An action that cannot happen fails within the test's time instead of waiting for ever.
    for (const browser of [desktop, phone]) browser.context.setDefaultTimeout(10_000);
    page = watch(await desktop.context.newPage());

    // Sign up by the emailed link, as in the sign-in test.
    await page.goto(`${server.url}/sign-in`);
    await waitForHeading(page, text('en', 'signIn.title'));
    await page.getByLabel(text('en', 'signIn.email')).fill(email);
    await page.getByLabel(text('en', 'signIn.municipality')).selectOption({ label: 'Pelt' });
    await page.getByRole('button', { name: text('en', 'signIn.submit') }).click();
    await waitForHeading(page, text('en', 'signIn.sentTitle'));
    await page.goto(await waitForSignInLink(received, email, 0));
    // A new resident is offered the household step first (household.e2e.test.ts), and skips it.
    await waitForHeading(page, text('en', 'household.welcomeTitle'));
    await page.getByRole('link', { name: text('en', 'household.skip') }).click();
    await waitForHeading(page, text('en', 'resident.title'));
  }, 180_000);

  afterAll(async () => {
    await desktop?.close();
    await phone?.close();
    await server?.close();
    await smtp?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('opens the profile from the resident home and shows the member card QR code', async () => {
    await page.getByTestId('profile-link').click();
    await waitForHeading(page, text('en', 'profile.title'));
    const code = plain(await page.getByTestId('profile-member-code').textContent());
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z*~$=U]$/);
    const qr = page.getByTestId('member-qr');
    await qr.waitFor();
    await page.waitForFunction(
      "document.querySelector('[data-testid=member-qr]')?.naturalWidth > 0",
    );
    expect(await qr.getAttribute('alt')).toBe(
      text('en', 'profile.card.qrAlt').replace('{{code}}', code),
    );
    const print = page.getByRole('link', { name: text('en', 'profile.card.print') });
    expect(await print.getAttribute('href')).toBe('/api/me/member-card.pdf');
    const pdf = await page.evaluate(
      "fetch('/api/me/member-card.pdf').then(async (r) => [r.status, r.headers.get('content-type')])",
    );
    expect(pdf).toEqual([200, 'application/pdf']);
  });

  it('shows the profile in each language, on desktop and at 360 px, without axe violations', async () => {
    await phone.context.addCookies(await desktop.context.cookies());
    const small = watch(await phone.context.newPage());
    await small.goto(`${server.url}/resident/profile`);
    await waitForHeading(small, text('en', 'profile.title'));
    for (const locale of LOCALES) {
      for (const [p, suffix] of [
        [page, ''],
        [small, '-phone'],
      ] as const) {
        await chooseUiLanguage(p, locale);
        await waitForHeading(p, text(locale, 'profile.title'));
        await p
          .getByTestId('profile-household')
          .getByText(text(locale, 'profile.household.none'))
          .waitFor();
        await expectNoSeriousAxeViolations(p);
        if (suffix) await expectNoHorizontalScroll(p);
        await screenshot(p, `profile${suffix}-${locale}`);
      }
    }
    for (const p of [page, small]) await chooseUiLanguage(p, 'en');
    await small.close();
  });

  it('changes the preferred language, which the app then speaks', async () => {
    const section = page.getByTestId('profile-language');
    await section
      .getByRole('combobox', { name: text('en', 'profile.language.label') })
      .selectOption({ label: ENDONYMS.de });
    await section.getByRole('button', { name: text('en', 'profile.language.save') }).click();
    await waitForHeading(page, text('de', 'profile.title'));
    await page.getByText(text('de', 'profile.language.saved')).waitFor();
    const me = await page.evaluate("fetch('/api/me').then((r) => r.json())");
    expect((me as { preferredLocale: string }).preferredLocale).toBe('de');
    await chooseUiLanguage(page, 'en');
  });

  it('adds a household and downloads all the data', async () => {
    const household = page.getByTestId('profile-household');
    await household
      .getByLabel(text('en', 'profile.household.addressLabel'))
      .fill('Markt 1, 3900 Pelt');
    await household.getByRole('button', { name: text('en', 'profile.household.create') }).click();
    await household.getByTestId('invite-code').waitFor();
    expect(plain(await household.getByTestId('household-address').textContent())).toBe(
      'Markt 1, 3900 Pelt',
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: text('en', 'profile.data.download') }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('civicpoints-my-data-2026-12-01.json');
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(data.account).toMatchObject({ email, preferredLocale: 'de' });
    expect(data.household).toMatchObject({ address: 'Markt 1, 3900 Pelt', members: 1 });
    expect(data.emails.length).toBeGreaterThanOrEqual(1);
  });

  it('deletes the account after saying what happens, and signs the resident out', async () => {
    await page.getByRole('button', { name: text('en', 'profile.data.delete') }).click();
    const dialog = page.getByRole('dialog', { name: text('en', 'profile.data.confirmTitle') });
    await dialog.waitFor();
    // Axe reads colours: wait until the dialog has faded in.
    await page.waitForFunction(
      "[...document.querySelectorAll('.mantine-Modal-content')].every((e) => getComputedStyle(e).opacity === '1')",
    );
    expect(plain(await dialog.textContent())).toContain(text('en', 'profile.data.confirmKept'));
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'profile-delete-confirm-en');
    await dialog.getByRole('button', { name: text('en', 'profile.data.confirmYes') }).click();
    await waitForHeading(page, text('en', 'profile.deleted.title'));
    await page.getByTestId('account-deleted').waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'profile-deleted-en');
    const status = await page.evaluate("fetch('/api/me').then((r) => r.status)");
    expect(status).toBe(401);
    await page.goto(`${server.url}/resident`);
    await waitForHeading(page, text('en', 'areas.resident.name'));
  });

  it('tells someone who is not signed in as staff to do so on the desk page', async () => {
    const anonymous = watch(await phone.context.newPage());
    await phone.context.clearCookies();
    await anonymous.goto(`${server.url}/staff/desk`);
    // The staff area asks for a staff sign-in before any of its pages.
    await waitForHeading(anonymous, text('en', 'areas.staff.name'));
    await anonymous.getByText(text('en', 'staffArea.signedOut')).waitFor();
    await expectNoSeriousAxeViolations(anonymous);
    await anonymous.close();
  });

  it('registers a resident at the desk, offers their card, and finds them by member code', async () => {
    const reviewer = await signInUser(
      server.app,
      { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
      'desk.officer@example.org',
    );
    const { hostname } = new URL(server.url);
    await desktop.context.addCookies(
      reviewer.headers.cookie!.split('; ').map((pair) => {
        const [name, value] = pair.split('=') as [string, string];
        return { name, value, domain: hostname, path: '/' };
      }),
    );
    await page.goto(`${server.url}/staff/desk`);
    await waitForHeading(page, text('en', 'desk.title'));
    const register = page.getByRole('region', { name: text('en', 'desk.register.title') });
    await register
      .getByRole('textbox', { name: new RegExp(`^${text('en', 'desk.register.name')}`) })
      .fill('Maria Claes');
    await register.getByText(text('en', 'desk.register.householdNew')).click();
    await register
      .getByRole('textbox', { name: new RegExp(`^${text('en', 'desk.register.address')}`) })
      .fill('Dorp 7, 3900 Pelt');
    await register.getByRole('button', { name: text('en', 'desk.register.submit') }).click();
    const code = plain(await page.getByTestId('desk-member-code').textContent());
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z*~$=U]$/);
    const card = register.getByRole('link', { name: text('en', 'desk.printCard') });
    const status = await page.evaluate(
      `fetch(${JSON.stringify(await card.getAttribute('href'))}).then((r) => r.status)`,
    );
    expect(status).toBe(200);
    await expectNoSeriousAxeViolations(page);

    const lookup = page.getByRole('region', { name: text('en', 'desk.lookup.title') });
    await lookup.getByLabel(text('en', 'desk.lookup.code')).fill(code.toLowerCase());
    await lookup.getByRole('button', { name: text('en', 'desk.lookup.submit') }).click();
    await page.getByTestId('desk-found').waitFor();
    expect(plain(await page.getByTestId('desk-points').textContent())).toBe('0');
    expect(plain(await page.getByTestId('desk-found').textContent())).toContain('Maria Claes');
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-desk-en');
  });
});
