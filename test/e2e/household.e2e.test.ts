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

// The household step after sign-up, as residents do it in Chromium: a new resident (signed up by
// the link a real SMTP peer received) starts a household at their address; a second resident
// joins it with the invite code. Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('household browser tests');

async function chooseLanguage(page: Page, locale: Locale): Promise<void> {
  const label = new RegExp(`^(${LOCALES.map((l) => text(l, 'language.label')).join('|')})$`);
  await page.getByRole('combobox', { name: label }).selectOption({ label: ENDONYMS[locale] });
  await page.waitForFunction(`document.documentElement.lang === '${locale}'`);
}

describe.skipIf(!hasBrowser)('the household step in Chromium', () => {
  const received: ReceivedMail[] = [];
  let smtp: SmtpPeer;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let desktop: LaunchedBrowser;
  let phone: LaunchedBrowser;
  let inviteCode: string;
  const pageErrors: string[] = [];

  const watch = (p: Page) => {
    p.on('pageerror', (error) => pageErrors.push(error.message));
    return p;
  };

  /** Signs a new resident of Pelt up by the emailed link; returns the tab on the step after. */
  async function signUp(browser: LaunchedBrowser, email: string): Promise<Page> {
    const page = watch(await browser.context.newPage());
    await page.goto(`${server.url}/sign-in`);
    await waitForHeading(page, text('en', 'signIn.title'));
    await page.getByLabel(text('en', 'signIn.email')).fill(email);
    await page.getByLabel(text('en', 'signIn.municipality')).selectOption({ label: 'Pelt' });
    await page.getByRole('button', { name: text('en', 'signIn.submit') }).click();
    await waitForHeading(page, text('en', 'signIn.sentTitle'));
    await page.goto(await waitForSignInLink(received, email, 0));
    await waitForHeading(page, text('en', 'household.welcomeTitle'));
    expect(new URL(page.url()).pathname).toBe('/resident/household');
    return page;
  }

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

  it('offers the household step after sign-up in each language, and creates a household', async () => {
    const page = await signUp(desktop, 'lies.household@example.org');
    for (const choice of ['create', 'join', 'letter', 'skip'] as const) {
      const name = text('en', choice === 'skip' ? 'household.skip' : `household.choice.${choice}`);
      await page.getByRole(choice === 'skip' ? 'link' : 'button', { name }).waitFor();
    }
    for (const locale of LOCALES) {
      await chooseLanguage(page, locale);
      await waitForHeading(page, text(locale, 'household.welcomeTitle'));
      await page.getByRole('button', { name: text(locale, 'household.choice.create') }).waitFor();
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, `household-step-${locale}`);
    }
    await chooseLanguage(page, 'en');

    await page.getByRole('button', { name: text('en', 'household.choice.create') }).click();
    const address = page.getByLabel(text('en', 'household.label.create'), { exact: true });
    await address.waitFor();
    // An empty address is explained at the field, and nothing is sent.
    await page.getByRole('button', { name: text('en', 'household.submit.create') }).click();
    await page.getByText(text('en', 'household.errors.invalid_input')).waitFor();
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousAxeViolations(page);

    await address.fill('Kerkstraat 12, 3900 Pelt');
    await page.getByRole('button', { name: text('en', 'household.submit.create') }).click();
    await page.getByTestId('my-household').waitFor();
    expect(plain(await page.getByTestId('household-address').textContent())).toBe(
      'Kerkstraat 12, 3900 Pelt',
    );
    expect(plain(await page.getByTestId('household-verified').textContent())).toBe(
      text('en', 'household.notVerified'),
    );
    inviteCode = plain(await page.getByTestId('invite-code').textContent());
    expect(inviteCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'household-created-en');

    await page.getByRole('link', { name: text('en', 'household.continue') }).click();
    await waitForHeading(page, text('en', 'resident.title'));
    await page.getByTestId('home-household').waitFor();
    expect(plain(await page.getByTestId('home-household').textContent())).toBe(
      text('en', 'household.cardNotVerified').replace('{{address}}', 'Kerkstraat 12, 3900 Pelt'),
    );

    // Later, from the resident home: the household page, in each language.
    await page.getByRole('link', { name: text('en', 'household.cardOpen') }).click();
    await waitForHeading(page, text('en', 'household.title'));
    for (const locale of LOCALES) {
      await chooseLanguage(page, locale);
      await waitForHeading(page, text(locale, 'household.title'));
      await page.getByTestId('invite-code').waitFor();
      expect(plain(await page.locator('main').textContent())).toContain(
        text(locale, 'household.inviteHint'),
      );
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, `household-${locale}`);
    }
    await chooseLanguage(page, 'en');
    await page.close();
  });

  it('lets a second resident join with the invite code, on a phone', async () => {
    const page = await signUp(phone, 'tom.household@example.org');
    await expectNoHorizontalScroll(page);
    await page.getByRole('button', { name: text('en', 'household.choice.join') }).click();
    const field = page.getByLabel(text('en', 'household.label.join'), { exact: true });
    await field.fill('ZZZZ-ZZZZ');
    await page.getByRole('button', { name: text('en', 'household.submit.join') }).click();
    await page.getByText(text('en', 'household.errors.household_not_found')).waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'household-join-wrong-code-phone-en');

    await field.fill(inviteCode.toLowerCase());
    await page.getByRole('button', { name: text('en', 'household.submit.join') }).click();
    await page.getByTestId('my-household').waitFor();
    expect(plain(await page.getByTestId('household-address').textContent())).toBe(
      'Kerkstraat 12, 3900 Pelt',
    );
    expect(plain(await page.getByTestId('my-household').textContent())).toContain(
      text('en', 'household.members.other').replace('{{count}}', '2'),
    );
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'household-joined-phone-en');
    await page.close();
  });

  it('lets staff upload the register, see row problems, and download letters', async () => {
    const staff = await launchBrowser({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    try {
      const admin = await signInUser(
        server.app,
        { kind: 'staff', slug: 'pelt', roles: ['admin'] },
        'admin.households@pelt.example.org',
      );
      await staff.context.addCookies(
        admin.headers.cookie!.split('; ').map((pair) => {
          const [name, ...value] = pair.split('=');
          return { name: name!, value: value.join('='), url: server.url };
        }),
      );
      const page = watch(await staff.context.newPage());
      await page.goto(`${server.url}/staff/households`);
      await waitForHeading(page, text('en', 'householdRegister.title'));
      await page.getByTestId('summary-households').waitFor();
      const file = page.locator('input[type=file]');
      await file.setInputFiles({
        name: 'register.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'reference;address;members;language\nP-1;Kerkstraat 1, 3900 Pelt;2;fr\nP-2;;x;es\n',
        ),
      });
      await page.getByRole('button', { name: text('en', 'householdRegister.upload') }).click();
      await page.getByTestId('import-problems').waitFor();
      expect(plain(await page.getByTestId('import-problems').textContent())).toContain(
        text('en', 'householdRegister.invalidText'),
      );
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, 'staff-households-problems-en');

      await file.setInputFiles({
        name: 'register.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'reference;address;members;language\nP-1;Kerkstraat 1, 3900 Pelt;2;fr\nP-2;Markt 2, 3900 Pelt;1;\n',
        ),
      });
      await page.getByRole('button', { name: text('en', 'householdRegister.upload') }).click();
      await page.getByTestId('import-result').waitFor();
      await page.getByText('Kerkstraat 1, 3900 Pelt').waitFor();
      expect(plain(await page.getByTestId('summary-households').textContent())).toBe('2');
      const download = page.waitForEvent('download');
      await page
        .getByRole('button', { name: text('en', 'householdRegister.downloadLetters') })
        .click();
      expect((await download).suggestedFilename()).toMatch(/^household-letters-pelt-.*\.pdf$/);
      await page.getByText(text('en', 'householdRegister.letters.done')).waitFor();
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, 'staff-households-en');
    } finally {
      await staff.close();
    }
  });

  it('tells someone signed out, or not staff, what to do', async () => {
    const page = watch(await desktop.context.newPage());
    await page.goto(`${server.url}/staff/households`);
    // The staff area itself asks for a staff sign-in before any of its pages.
    await waitForHeading(page, text('en', 'areas.staff.name'));
    await page.getByText(text('en', 'staffArea.signedOut')).waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-households-signed-out-en');
    await page.close();
  });
});
