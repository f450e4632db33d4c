import type { CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, requireBrowser } from '../support/browser.js';
import { waitForSignInLink } from '../support/smtp.js';
import {
  expectNoSeriousAxeViolations,
  type LOCALES,
  plain,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import {
  askForLink,
  checkEachLanguage,
  type ResidentRig,
  startResidentRig,
} from './resident-steps.js';

// Passkeys as a resident uses them, in Chromium with its virtual authenticator (DevTools
// protocol): sign up by the emailed link (a real SMTP peer), add a passkey on the profile page,
// sign out, sign in with the passkey. The app runs at http://localhost:PORT, because a passkey's
// relying party is a host name, never an IP address. Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('passkey browser tests');

const EMAIL = 'noor.janssens@example.org';

describe.skipIf(!hasBrowser)('passkeys in Chromium', () => {
  let rig: ResidentRig;
  let server: ResidentRig['server'];
  let phone: LaunchedBrowser;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  const watch = (p: Page) => rig.watch(p);

  const en = (key: string) => text('en', key);
  const fill = (template: string, name: string) => template.replace('{{name}}', name);
  const status = () => page.getByTestId('passkey-status');
  const credentials = async () =>
    (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

  async function openProfile(p: Page, locale: (typeof LOCALES)[number] = 'en') {
    await p.goto(`${server.url}/resident/profile`);
    await waitForHeading(p, text(locale, 'profile.title'));
    await p.getByRole('heading', { level: 2, name: text(locale, 'passkeys.title') }).waitFor();
  }

  async function signOut() {
    await page.goto(`${server.url}/resident`);
    await waitForHeading(page, en('resident.title'));
    await page.getByRole('button', { name: en('resident.signOut'), exact: true }).click();
    await waitForHeading(page, en('areas.resident.name'));
  }

  beforeAll(async () => {
    rig = await startResidentRig();
    ({ server, phone } = rig);
    expect(new URL(server.url).hostname).toBe('localhost');
    const { desktop } = rig;
    page = watch(await desktop.context.newPage());
    // The virtual authenticator belongs to this page, so the whole flow stays in it.
    cdp = await desktop.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
  }, 180_000);

  afterAll(() => rig?.close());

  afterEach(() => {
    expect(rig.pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('signs up by the emailed link and adds a named passkey on the profile page', async () => {
    await askForLink(page, server.url, EMAIL, 'Pelt');
    await page.goto(await waitForSignInLink(rig.received, EMAIL, 0));
    // A new resident is offered the household step first (household.e2e.test.ts), and skips it.
    await waitForHeading(page, en('household.welcomeTitle'));
    await page.getByRole('link', { name: en('household.skip') }).click();
    await waitForHeading(page, en('resident.title'));
    await expectNoSeriousAxeViolations(page);

    await page.getByTestId('profile-link').click();
    await waitForHeading(page, en('profile.title'));
    expect(new URL(page.url()).pathname).toBe('/resident/profile');
    await page.getByTestId('passkeys-empty').waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'profile-empty-en');

    // A name is needed first.
    await page.getByRole('button', { name: en('passkeys.add') }).click();
    await page.getByText(en('passkeys.nameRequired')).waitFor();
    expect(await page.getByLabel(en('passkeys.nameLabel')).getAttribute('aria-invalid')).toBe(
      'true',
    );

    await page.getByLabel(en('passkeys.nameLabel')).fill('My laptop');
    await page.getByRole('button', { name: en('passkeys.add') }).click();
    await status()
      .getByText(fill(en('passkeys.addedDone'), 'My laptop'))
      .waitFor();
    const items = page.getByTestId('passkey');
    expect(await items.count()).toBe(1);
    expect(plain(await items.first().textContent())).toContain('My laptop');
    expect(plain(await items.first().textContent())).toContain(en('passkeys.neverUsed'));
    expect(await page.getByLabel(en('passkeys.nameLabel')).inputValue()).toBe('');

    const stored = await credentials();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ rpId: 'localhost', isResidentCredential: true });
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'profile-passkey-added-en');
  });

  it('says plainly that this device has a passkey already', async () => {
    await page.getByLabel(en('passkeys.nameLabel')).fill('Same laptop again');
    await page.getByRole('button', { name: en('passkeys.add') }).click();
    const error = page.getByTestId('passkey-error');
    await error.waitFor();
    expect(plain(await error.textContent())).toContain(en('passkeys.errors.already_registered'));
    expect(await page.getByLabel(en('passkeys.nameLabel')).inputValue()).toBe('Same laptop again');
    expect(await page.getByTestId('passkey').count()).toBe(1);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'profile-passkey-error-en');
    await page.getByLabel(en('passkeys.nameLabel')).fill('');
  });

  it('renames a passkey, and cancelling changes nothing', async () => {
    await page.getByRole('button', { name: fill(en('passkeys.renameNamed'), 'My laptop') }).click();
    const input = page.getByLabel(en('passkeys.newName'));
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('INPUT');
    await input.fill('Something else');
    await page.getByRole('button', { name: en('passkeys.cancel') }).click();
    expect(plain(await page.getByTestId('passkey').textContent())).toContain('My laptop');

    await page.getByRole('button', { name: fill(en('passkeys.renameNamed'), 'My laptop') }).click();
    await page.getByLabel(en('passkeys.newName')).fill('  Work laptop ');
    await expectNoSeriousAxeViolations(page);
    // The profile has other sections with a Save button (language): this one is the passkeys'.
    await page
      .locator('section[aria-labelledby="passkeys-title"]')
      .getByRole('button', { name: en('passkeys.save') })
      .click();
    await status()
      .getByText(fill(en('passkeys.renamed'), 'Work laptop'))
      .waitFor();
    expect(plain(await page.getByTestId('passkey').textContent())).toContain('Work laptop');
  });

  it('shows the profile page in each language, on desktop and at 360 px', async () => {
    await phone.context.addCookies(await rig.desktop.context.cookies());
    const small = watch(await phone.context.newPage());
    await openProfile(small);
    await checkEachLanguage({ desktop: page, phone: small }, 'profile', async (p, locale) => {
      await waitForHeading(p, text(locale, 'profile.title'));
      await p.getByRole('heading', { level: 2, name: text(locale, 'passkeys.title') }).waitFor();
      const main = plain(await p.locator('main').textContent());
      expect(main).toContain(text(locale, 'passkeys.intro'));
      expect(main).toContain('Work laptop');
      await p.getByRole('button', { name: text(locale, 'passkeys.add') }).waitFor();
    });
    await small.close();
  });

  it('signs out, then signs in with the passkey and sees the resident home', async () => {
    await signOut();
    await page.goto(`${server.url}/sign-in`);
    await waitForHeading(page, en('signIn.title'));
    const button = page.getByRole('button', { name: en('signIn.passkey') });
    await button.waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'sign-in-with-passkey-en');
    await button.click();
    await waitForHeading(page, en('resident.title'));
    expect(new URL(page.url()).pathname).toBe('/resident');
    await page.getByTestId('points').waitFor();
    await page.getByTestId('member-code').waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'resident-after-passkey-en');

    const me = (await page.evaluate(
      "fetch('/api/me', { credentials: 'same-origin' }).then((r) => r.json())",
    )) as { email: string };
    expect(me.email).toBe(EMAIL);
    expect((await credentials())[0]!.signCount).toBeGreaterThan(0);

    await openProfile(page);
    expect(plain(await page.getByTestId('passkey').textContent())).not.toContain(
      en('passkeys.neverUsed'),
    );
  });

  it('removes the passkey after asking, and then it no longer signs anyone in', async () => {
    await page
      .getByRole('button', { name: fill(en('passkeys.removeNamed'), 'Work laptop') })
      .click();
    await page.getByText(fill(en('passkeys.removeConfirm'), 'Work laptop')).waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'profile-passkey-remove-en');
    await page.getByRole('button', { name: en('passkeys.removeYes') }).click();
    await status()
      .getByText(fill(en('passkeys.removed'), 'Work laptop'))
      .waitFor();
    await page.getByTestId('passkeys-empty').waitFor();

    await signOut();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('button', { name: en('signIn.passkey') }).click();
    const error = page.getByTestId('passkey-error');
    await error.waitFor();
    expect(plain(await error.textContent())).toContain(en('passkeys.errors.passkey_unknown'));
    await page.getByRole('button', { name: en('signIn.submit') }).waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'sign-in-passkey-unknown-en');
  });
});
