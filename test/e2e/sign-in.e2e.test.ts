import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, requireBrowser } from '../support/browser.js';
import { waitForSignInLink } from '../support/smtp.js';
import {
  expectNoSeriousAxeViolations,
  plain,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import {
  askForLink as askFor,
  checkEachLanguage,
  type ResidentRig,
  startResidentRig,
} from './resident-steps.js';

// Sign-up and sign-in by email link as a resident does it: the real app (demo region) delivering
// over SMTP to a real SMTP peer, the link taken from the message and opened in Chromium.
// Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('sign-in browser tests');

const MEMBER_CODE = /^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z*~$=U]$/;

describe.skipIf(!hasBrowser)('sign-in by email link in Chromium', () => {
  let rig: ResidentRig;
  let server: ResidentRig['server'];
  let desktop: LaunchedBrowser;
  let phone: LaunchedBrowser;
  let page: Page;
  let memberCode: string;
  let usedLink: string;
  const watch = (p: Page) => rig.watch(p);

  const linkFor = (address: string, after: number) =>
    waitForSignInLink(rig.received, address, after);

  const mailsTo = (address: string) => rig.received.filter((m) => m.to.includes(address)).length;

  const askForLink = (p: Page, email: string, municipality?: string) =>
    askFor(p, server.url, email, municipality);

  /** Opens an emailed link in a new tab of `context`, as a mail app would. */
  async function openLink(context: BrowserContext, link: string): Promise<Page> {
    const tab = watch(await context.newPage());
    await tab.goto(link);
    return tab;
  }

  beforeAll(async () => {
    rig = await startResidentRig();
    ({ server, desktop, phone } = rig);
    page = watch(await desktop.context.newPage());
  }, 180_000);

  afterAll(() => rig?.close());

  afterEach(() => {
    expect(rig.pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('shows the sign-in form in each language, on desktop and at 360 px', async () => {
    const small = watch(await phone.context.newPage());
    for (const p of [page, small]) {
      await p.goto(`${server.url}/sign-in`);
      await waitForHeading(p, text('en', 'signIn.title'));
    }
    await checkEachLanguage({ desktop: page, phone: small }, 'sign-in', async (p, locale) => {
      await waitForHeading(p, text(locale, 'signIn.title'));
      await p.getByLabel(text(locale, 'signIn.municipality')).waitFor();
      await p.getByRole('option', { name: 'Pelt' }).waitFor({ state: 'attached' });
      expect(plain(await p.locator('main').textContent())).toContain(
        text(locale, 'signIn.municipalityHint'),
      );
    });
    await small.close();
  });

  it('links to sign-in from the header and from the resident landing', async () => {
    await page.goto(`${server.url}/resident`);
    await waitForHeading(page, text('en', 'areas.resident.name'));
    await expectNoSeriousAxeViolations(page);
    const main = page.getByRole('main');
    await main.getByRole('link', { name: text('en', 'nav.signIn') }).click();
    await waitForHeading(page, text('en', 'signIn.title'));
    await page.goto(`${server.url}/`);
    await page
      .getByRole('banner')
      .getByRole('link', { name: text('en', 'nav.signIn'), exact: true })
      .click();
    await waitForHeading(page, text('en', 'signIn.title'));
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('says plainly when the address is not an email address', async () => {
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(text('en', 'signIn.email')).fill('not-an-address');
    await page.getByRole('button', { name: text('en', 'signIn.submit') }).click();
    await page.getByText(text('en', 'signIn.emailInvalid')).waitFor();
    expect(await page.getByLabel(text('en', 'signIn.email')).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await expectNoSeriousAxeViolations(page);
  });

  it('signs a new resident up by the emailed link and shows 0 points and the member code', async () => {
    const email = 'ines.peeters@example.org';
    await askForLink(page, email, 'Pelt');
    expect(plain(await page.getByTestId('link-sent').textContent())).toContain(
      text('en', 'signIn.sentDetail').replace('{{email}}', email),
    );
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'sign-in-sent-en');

    const link = await linkFor(email, 0);
    expect(link.startsWith(`${server.url}/sign-in#token=`)).toBe(true);
    usedLink = link;

    const tab = await openLink(desktop.context, link);
    // A new resident is offered the household step first (household.e2e.test.ts), and skips it.
    await waitForHeading(tab, text('en', 'household.welcomeTitle'));
    expect(new URL(tab.url()).hash, 'the token is gone from the address bar').toBe('');
    await tab.getByRole('link', { name: text('en', 'household.skip') }).click();
    await waitForHeading(tab, text('en', 'resident.title'));
    const url = new URL(tab.url());
    expect(url.pathname).toBe('/resident');
    await tab.getByTestId('points').waitFor();
    expect(plain(await tab.getByTestId('points').textContent())).toBe('0');
    expect(plain(await tab.getByTestId('points-worth').textContent())).toBe('Worth €0.00 here');
    memberCode = plain(await tab.getByTestId('member-code').textContent());
    expect(memberCode).toMatch(MEMBER_CODE);
    await tab
      .getByRole('banner')
      .getByRole('link', { name: text('en', 'nav.myPoints') })
      .waitFor();
    await expectNoSeriousAxeViolations(tab);

    await tab.reload();
    await waitForHeading(tab, text('en', 'resident.title'));
    expect(plain(await tab.getByTestId('member-code').textContent())).toBe(memberCode);
    await page.close();
    page = tab;
  });

  it('shows the signed-in resident area in each language, on desktop and at 360 px', async () => {
    await phone.context.addCookies(await desktop.context.cookies());
    const small = watch(await phone.context.newPage());
    for (const p of [page, small]) {
      await p.goto(`${server.url}/resident`);
      await waitForHeading(p, text('en', 'resident.title'));
    }
    await checkEachLanguage({ desktop: page, phone: small }, 'resident', async (p, locale) => {
      await waitForHeading(p, text(locale, 'resident.title'));
      await p.getByTestId('points').waitFor();
      expect(plain(await p.getByTestId('member-code').textContent())).toBe(memberCode);
      expect(plain(await p.locator('main').textContent())).toContain(
        text(locale, 'resident.noneExpiring'),
      );
      await p
        .getByRole('button', { name: text(locale, 'resident.signOut'), exact: true })
        .waitFor();
    });
    await small.close();
  });

  it('signs out back to the signed-out resident landing', async () => {
    await page.goto(`${server.url}/resident`);
    await waitForHeading(page, text('en', 'resident.title'));
    await page.getByRole('button', { name: text('en', 'resident.signOut'), exact: true }).click();
    await waitForHeading(page, text('en', 'areas.resident.name'));
    await page
      .getByRole('main')
      .getByRole('link', { name: text('en', 'nav.signIn') })
      .waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'resident-signed-out-en');
    const status = await page.evaluate(
      "fetch('/api/me', { credentials: 'same-origin' }).then((r) => r.status)",
    );
    expect(status).toBe(401);
    await page.reload();
    await waitForHeading(page, text('en', 'areas.resident.name'));
  });

  it('explains a link that was already used, and offers the form for a new one', async () => {
    const tab = await openLink(desktop.context, usedLink);
    await tab.getByTestId('link-error').waitFor();
    expect(plain(await tab.getByTestId('link-error').textContent())).toContain(
      text('en', 'signIn.linkError.sign_in_link_used.title'),
    );
    expect(new URL(tab.url()).hash).toBe('');
    await tab.getByRole('button', { name: text('en', 'signIn.submit') }).waitFor();
    await expectNoSeriousAxeViolations(tab);
    await screenshot(tab, 'sign-in-link-used-en');

    await tab.goto(`${server.url}/sign-in#token=not-a-real-token`);
    await tab.getByTestId('link-error').waitFor();
    expect(plain(await tab.getByTestId('link-error').textContent())).toContain(
      text('en', 'signIn.linkError.sign_in_link_invalid.title'),
    );
    await tab.close();
  });

  it('asks a new address that named no municipality to choose one', async () => {
    const email = 'no.municipality@example.org';
    await askForLink(page, email);
    const tab = await openLink(desktop.context, await linkFor(email, 0));
    await tab.getByTestId('link-error').waitFor();
    expect(plain(await tab.getByTestId('link-error').textContent())).toContain(
      text('en', 'signIn.linkError.municipality_required.title'),
    );
    const select = tab.getByRole('combobox', { name: text('en', 'signIn.municipality') });
    await select.waitFor();
    expect(await tab.evaluate('document.activeElement?.getAttribute("name")')).toBe('municipality');
    await expectNoSeriousAxeViolations(tab);
    await tab.close();
  });

  it('signs out everywhere, ending the sessions on other devices too', async () => {
    const email = 'ines.peeters@example.org';
    const before = mailsTo(email);
    await askForLink(page, email);
    const tab = await openLink(desktop.context, await linkFor(email, before));
    await waitForHeading(tab, text('en', 'resident.title'));
    expect(plain(await tab.getByTestId('member-code').textContent())).toBe(memberCode);

    const other = watch(await phone.context.newPage());
    await phone.context.clearCookies();
    await phone.context.addCookies(await desktop.context.cookies());
    await other.goto(`${server.url}/resident`);
    await waitForHeading(other, text('en', 'resident.title'));

    await tab
      .getByRole('button', { name: text('en', 'resident.signOutEverywhere'), exact: true })
      .click();
    await waitForHeading(tab, text('en', 'areas.resident.name'));
    await other.reload();
    await waitForHeading(other, text('en', 'areas.resident.name'));
    await other.close();
    await tab.close();
  });
});
