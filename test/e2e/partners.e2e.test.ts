import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getPartner } from '../../src/modules/partners/partners.service.js';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { freePort, startTestServer, testContext } from '../support/server.js';
import { type SignedInUser, signInUser } from '../support/users.js';
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

// A municipal admin manages partners in Chromium: creates one, adds a location and a user,
// creates an API key, sees its secret once, and revokes it; a partner admin manages its own
// keys in the partner portal with the same panel. The staff sign-in page is someone else's
// work: the session cookie from the API sign-in is put into the browser directly.

const hasBrowser = requireBrowser('partners browser tests');
const en = (key: string, values: Record<string, string> = {}) =>
  Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), text('en', key));

describe.skipIf(!hasBrowser)('partners and API keys in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let desktop: LaunchedBrowser;
  let page: Page;
  let partnerId: string;
  const pageErrors: string[] = [];

  /** Puts a signed-in user's session cookies (from the API sign-in) into the browser. */
  async function actAs(user: SignedInUser | null) {
    await desktop.context.clearCookies();
    if (!user) return;
    const cookies = user.headers.cookie!.split('; ').map((pair) => {
      const [name, ...value] = pair.split('=');
      return { name: name!, value: value.join('='), url: server.url };
    });
    await desktop.context.addCookies(cookies);
  }

  /** Whether the API takes `secret` as a key right now. */
  const keyStatus = async (secret: string) =>
    (await fetch(`${server.url}/api/partner`, { headers: { authorization: `Bearer ${secret}` } }))
      .status;

  const region = (titleKey: string) => page.getByRole('region', { name: en(titleKey) });
  const keyRow = (name: string) =>
    page.locator(`[data-testid="api-keys"] tr[data-key-name="${name}"]`);

  /** Creates a key in the panel on the page and returns the secret the one-time panel shows. */
  async function createKey(name: string, scopeLabel: string): Promise<string> {
    const panel = region('partners.keys.title');
    await panel.getByLabel(en('partners.keys.name')).fill(name);
    await panel.getByLabel(en(scopeLabel)).check();
    await panel.getByRole('button', { name: en('partners.keys.create') }).click();
    const once = page.getByTestId('new-key-secret');
    await once.waitFor();
    expect(plain(await once.textContent())).toContain(en('partners.keys.secretTitle'));
    const secret = plain(await page.getByTestId('new-key-value').textContent());
    expect(secret).toMatch(/^cpk_[A-Za-z0-9_-]{43}$/);
    await keyRow(name).waitFor();
    return secret;
  }

  beforeAll(async () => {
    prepareScreenshots();
    ensureWebBuild();
    // Unsafe requests must come from the app's own origin (PUBLIC_URL): its port is chosen first.
    server = await startTestServer({ seedDemo: true, port: await freePort() });
    desktop = await launchBrowser({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    page = await desktop.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await desktop?.close();
    await server?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('asks whoever is not signed in as staff to sign in as staff', async () => {
    await actAs(null);
    await page.goto(`${server.url}/staff/partners`);
    // The staff area asks for a staff sign-in before any of its pages.
    await waitForHeading(page, en('areas.staff.name'));
    await page.getByText(en('staffArea.signedOut')).waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.goto(`${server.url}/partner/api-keys`);
    await waitForHeading(page, en('partners.access.partner.signInTitle'));
    await expectNoSeriousAxeViolations(page);
  });

  it('lets an admin create a partner and give it a location and a user', async () => {
    const admin = await signInUser(
      server.app,
      { kind: 'staff', slug: 'pelt', roles: ['admin'] },
      'admin.partners@pelt.be',
    );
    await actAs(admin);
    await page.goto(`${server.url}/staff/partners`);
    await waitForHeading(page, en('partners.list.title'));
    // The demo seed's partners are listed already.
    await page.getByTestId('partners').waitFor();
    await expectNoSeriousAxeViolations(page);

    await page.getByLabel(en('partners.fields.name')).fill('Zwembad De Dijk');
    await page
      .getByLabel(en('partners.fields.kind'))
      .selectOption({ label: en('partners.kinds.facility') });
    await page.getByRole('button', { name: en('partners.list.create') }).click();
    await waitForHeading(page, 'Zwembad De Dijk');
    partnerId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(partnerId).toMatch(/^ptn_/);
    await expectNoSeriousAxeViolations(page);

    const locations = region('partners.locations.title');
    const users = region('partners.users.title');
    await locations.getByLabel(en('partners.locations.name')).fill('Zwembad');
    await locations.getByLabel(en('partners.locations.address')).fill('Dijk 1, Pelt');
    await locations.getByLabel(en('partners.locations.latitude')).fill('99');
    await locations.getByLabel(en('partners.locations.longitude')).fill('5.42');
    await locations.getByRole('button', { name: en('partners.locations.add') }).click();
    await page.getByText(en('partners.locations.latitudeInvalid')).waitFor();
    await locations.getByLabel(en('partners.locations.latitude')).fill('51.24');
    await locations.getByRole('button', { name: en('partners.locations.add') }).click();
    await page.getByTestId('locations').getByText('Dijk 1, Pelt').waitFor();

    await users.getByLabel(en('partners.users.email')).fill('kassa@dedijk.be');
    await users.getByLabel(en('partners.users.name')).fill('Kassa De Dijk');
    await users.getByRole('button', { name: en('partners.users.invite') }).click();
    await page.getByTestId('partner-users').getByText('kassa@dedijk.be').waitFor();
    await expectNoSeriousAxeViolations(page);

    await page.goto(`${server.url}/staff/partners`);
    await page.getByTestId('partners').getByRole('link', { name: 'Zwembad De Dijk' }).waitFor();
    await screenshot(page, 'staff-partners-en');
  });

  it('creates an API key, shows its secret once, and revokes it', async () => {
    await page.goto(`${server.url}/staff/partners/${partnerId}`);
    await waitForHeading(page, 'Zwembad De Dijk');
    const secret = await createKey('Till 1', 'partners.scopes.vouchers_redeem.label');
    expect(await keyStatus(secret)).toBe(200);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-partner-new-key-en');

    await page.getByRole('button', { name: en('partners.keys.secretDone') }).click();
    await page.getByTestId('new-key-secret').waitFor({ state: 'detached' });
    await page.reload();
    await waitForHeading(page, 'Zwembad De Dijk');
    await keyRow('Till 1').waitFor();
    expect(await page.content()).not.toContain(secret);

    await page
      .getByRole('button', { name: en('partners.keys.revokeLabel', { name: 'Till 1' }) })
      .click();
    await page.getByText(en('partners.keys.revokeConfirm', { name: 'Till 1' })).waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.getByRole('button', { name: en('partners.keys.revokeYes') }).click();
    await keyRow('Till 1')
      .getByText(/^Revoked on /)
      .waitFor();
    expect(await keyStatus(secret)).toBe(401);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-partner-en');
  });

  it('lets a partner admin create and replace its own keys in the partner portal', async () => {
    const partner = await getPartner(
      testContext(server.app),
      (await server.app.inject('/api/municipalities/pelt')).json().id,
      partnerId,
    );
    const boss = await signInUser(
      server.app,
      { kind: 'partner', partner, roles: ['partner_admin'] },
      'baas@dedijk.be',
    );
    await actAs(boss);
    await page.goto(`${server.url}/staff/partners`);
    await waitForHeading(page, en('areas.staff.name'));
    await page.getByText(en('staffArea.forStaffOnly')).waitFor();

    await page.goto(`${server.url}/partner/api-keys`);
    await waitForHeading(page, en('partners.portal.title'));
    await page.getByText(en('partners.portal.intro', { name: 'Zwembad De Dijk' })).waitFor();
    await keyRow('Till 1').waitFor();
    const secret = await createKey('Weegbrug', 'partners.scopes.visits_import.label');
    expect(await keyStatus(secret)).toBe(200);
    await expectNoSeriousAxeViolations(page);

    await page
      .getByRole('button', { name: en('partners.keys.rotateLabel', { name: 'Weegbrug' }) })
      .click();
    await page.getByTestId('new-key-secret').getByText(secret).waitFor({ state: 'detached' });
    const replacement = plain(await page.getByTestId('new-key-value').textContent());
    expect(replacement).toMatch(/^cpk_/);
    expect(replacement).not.toBe(secret);
    expect(await keyStatus(secret)).toBe(401);
    expect(await keyStatus(replacement)).toBe(200);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'partner-api-keys-en');
  });

  it('shows the partner portal on a phone without sideways scrolling', async () => {
    const phone = await launchBrowser({
      locale: 'en-GB',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      await phone.context.addCookies(await desktop.context.cookies());
      const small = await phone.context.newPage();
      await small.goto(`${server.url}/partner/api-keys`);
      await waitForHeading(small, en('partners.portal.title'));
      await small.locator('[data-testid="api-keys"]').waitFor();
      await expectNoHorizontalScroll(small);
      await expectNoSeriousAxeViolations(small);
      await screenshot(small, 'partner-api-keys-phone-en');
    } finally {
      await phone.close();
    }
  });
});
