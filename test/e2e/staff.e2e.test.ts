import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WELCOME_POINTS, demoResidentEmail } from '../../src/demo/seed-demo.js';
import { findResidentForStaff } from '../../src/modules/identity/identity.service.js';
import { inviteUser } from '../../src/modules/identity/users.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { freePort, startTestServer, testContext } from '../support/server.js';
import {
  type ReceivedMail,
  type SmtpPeer,
  startSmtpPeer,
  waitForSignInLink,
} from '../support/smtp.js';
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

// The staff area as an admin and a reviewer of Pelt use it: the admin is invited by email (a real
// SMTP peer), accepts from the emailed link, invites a reviewer, changes a role, reads both in the
// audit log, downloads it, and looks up the demo resident's wallet; the reviewer sees only what
// their roles allow, and the API refuses the rest. Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('staff browser tests');

const ADMIN = 'griet.admin@pelt.example.be';
const REVIEWER = 'ruben.reviewer@pelt.example.be';

async function chooseLanguage(page: Page, locale: Locale): Promise<void> {
  const label = new RegExp(`^(${LOCALES.map((l) => text(l, 'language.label')).join('|')})$`);
  await page.getByRole('combobox', { name: label }).selectOption({ label: ENDONYMS[locale] });
  await page.waitForFunction(`document.documentElement.lang === '${locale}'`);
}

describe.skipIf(!hasBrowser)('the staff area in Chromium', () => {
  const received: ReceivedMail[] = [];
  let smtp: SmtpPeer;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let desktop: LaunchedBrowser;
  let phone: LaunchedBrowser;
  let admin: Page;
  let reviewer: Page;
  const pageErrors: string[] = [];

  const watch = (p: Page) => {
    p.on('pageerror', (error) => pageErrors.push(error.message));
    return p;
  };

  /** The work link (invitation or sign-in) of the newest message to `address`, within 10 s. */
  const workLinkFor = (address: string) => waitForSignInLink(received, address, 0, '/work/sign-in');

  const nav = (p: Page) => p.getByRole('navigation', { name: text('en', 'staffArea.navLabel') });

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
    desktop = await launchBrowser({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    phone = await launchBrowser({
      locale: 'en-GB',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    admin = watch(await desktop.context.newPage());
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

  it('shows the work sign-in page in each language, on desktop and at 360 px', async () => {
    const small = watch(await phone.context.newPage());
    for (const p of [admin, small]) {
      await p.goto(`${server.url}/work/sign-in`);
      await waitForHeading(p, text('en', 'workSignIn.title'));
    }
    for (const locale of LOCALES) {
      for (const [p, suffix] of [
        [admin, ''],
        [small, '-phone'],
      ] as const) {
        await chooseLanguage(p, locale);
        await waitForHeading(p, text(locale, 'workSignIn.title'));
        await p.getByLabel(text(locale, 'workSignIn.email')).waitFor();
        expect(plain(await p.locator('main').textContent())).toContain(
          text(locale, 'workSignIn.intro'),
        );
        await expectNoSeriousAxeViolations(p);
        if (suffix) await expectNoHorizontalScroll(p);
        await screenshot(p, `work-sign-in${suffix}-${locale}`);
      }
    }
    for (const p of [admin, small]) await chooseLanguage(p, 'en');
    await small.close();
  });

  it('asks for a sign-in link and says the same for any address', async () => {
    await admin.goto(`${server.url}/work/sign-in`);
    await admin.getByLabel(text('en', 'workSignIn.email')).fill('nobody@example.org');
    await admin.getByRole('button', { name: text('en', 'signIn.submit') }).click();
    await waitForHeading(admin, text('en', 'signIn.sentTitle'));
    await expectNoSeriousAxeViolations(admin);
    expect(received.filter((m) => m.to.includes('nobody@example.org'))).toEqual([]);
  });

  it('lets an invited admin accept from the emailed link and land in the staff area', async () => {
    const ctx = testContext(server.app);
    const pelt = await getMunicipality(ctx, 'pelt');
    await inviteUser(
      ctx,
      { kind: 'staff', municipalityId: pelt.id, roles: ['admin'] },
      {
        email: ADMIN,
        displayName: 'Griet Admin',
        locale: 'en',
        publicUrl: server.url,
        ip: '127.0.0.1',
        organisation: 'Pelt',
      },
    );
    const link = await workLinkFor(ADMIN);
    expect(link.startsWith(`${server.url}/work/sign-in#token=`)).toBe(true);
    await admin.goto(link);
    await waitForHeading(admin, text('en', 'staffArea.home.title'));
    const url = new URL(admin.url());
    expect(url.pathname).toBe('/staff');
    expect(url.hash, 'the token is gone from the address bar').toBe('');
    const links = await nav(admin).getByRole('link').allTextContents();
    expect(links).toEqual(
      [
        'overview',
        'dashboard',
        'users',
        'partners',
        'activities',
        'rewards',
        'review',
        'imports',
        'reports',
        'tasks',
        'households',
        'desk',
        'wallets',
        'finance',
        'liability',
        'payouts',
        'audit',
        'settings',
      ].map((key) => text('en', `staffArea.nav.${key}`)),
    );
    await expectNoSeriousAxeViolations(admin);
    await screenshot(admin, 'staff-home-admin');
  });

  it('shows the staff list, invites a reviewer and changes a role', async () => {
    await nav(admin)
      .getByRole('link', { name: text('en', 'staffArea.nav.users') })
      .click();
    await waitForHeading(admin, text('en', 'staffArea.nav.users'));
    const table = admin.getByTestId('staff-table');
    await table.getByText('admin.pelt@demo.civicpoints.invalid').waitFor();
    const own = table.getByRole('row').filter({ hasText: ADMIN });
    expect(plain(await own.textContent())).toContain(text('en', 'staffArea.users.you'));
    await expectNoSeriousAxeViolations(admin);

    await admin.getByLabel(text('en', 'staffArea.invite.name')).fill('Ruben Reviewer');
    await admin.getByLabel(text('en', 'staffArea.invite.email')).fill(REVIEWER);
    await admin.getByRole('checkbox', { name: text('en', 'staffArea.roles.reviewer') }).check();
    await admin.getByRole('button', { name: text('en', 'staffArea.invite.submit') }).click();
    await admin
      .getByTestId('action-done')
      .getByText(text('en', 'staffArea.invite.sent').replace('{{email}}', REVIEWER))
      .waitFor();
    const row = table.getByRole('row').filter({ hasText: REVIEWER });
    await row.getByText(text('en', 'staffArea.status.invited')).waitFor();

    await row
      .getByRole('button', {
        name: text('en', 'staffArea.users.changeRolesOf').replace('{{name}}', 'Ruben Reviewer'),
      })
      .click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByRole('checkbox', { name: text('en', 'staffArea.roles.finance') }).check();
    await expectNoSeriousAxeViolations(admin);
    await dialog.getByRole('button', { name: text('en', 'staffArea.save') }).click();
    await admin
      .getByTestId('action-done')
      .getByText(text('en', 'staffArea.users.rolesChanged').replace('{{name}}', 'Ruben Reviewer'))
      .waitFor();
    await row.getByText(text('en', 'staffArea.roles.finance')).waitFor();
    await screenshot(admin, 'staff-users');

    // An admin cannot change themself: the page offers nothing, and the API refuses.
    const self = (await admin.evaluate(`(async () => {
      const me = await (await fetch('/api/users/me')).json();
      const r = await fetch('/api/municipalities/pelt/staff/' + me.user.id, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ roles: ['analyst'] }),
      });
      return { status: r.status, code: (await r.json()).code };
    })()`)) as { status: number; code: string };
    expect(self).toEqual({ status: 403, code: 'cannot_change_self' });
  });

  it('shows both changes in the audit log, newest first, and downloads it as CSV', async () => {
    await nav(admin)
      .getByRole('link', { name: text('en', 'staffArea.nav.audit') })
      .click();
    await waitForHeading(admin, text('en', 'staffArea.nav.audit'));
    const rows = admin.getByTestId('audit-table').getByRole('row');
    await rows
      .filter({ hasText: text('en', 'staffArea.audit.actions.user_updated') })
      .first()
      .waitFor();
    const texts = (await rows.allTextContents()).map(plain);
    const updated = texts.findIndex((r) =>
      r.includes(text('en', 'staffArea.audit.actions.user_updated')),
    );
    const invited = texts.findIndex(
      (r) =>
        r.includes(text('en', 'staffArea.audit.actions.user_invited')) &&
        r.includes('Ruben Reviewer'),
    );
    expect(updated).toBeGreaterThan(0);
    expect(invited).toBeGreaterThan(updated);
    expect(texts[updated]).toContain('Griet Admin');
    expect(texts[updated]).toContain(text('en', 'staffArea.roles.admin'));
    expect(texts[updated]).toMatch(/roles: reviewer → reviewer, finance/);
    await expectNoSeriousAxeViolations(admin);
    await screenshot(admin, 'staff-audit');

    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByTestId('audit-csv').click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('user.invited');
    expect(csv).toContain('user.updated');
    expect(download.suggestedFilename()).toBe('audit-pelt.csv');
  });

  it("looks up the demo resident's wallet by member code", async () => {
    const ctx = testContext(server.app);
    const pelt = await getMunicipality(ctx, 'pelt');
    const resident = await findResidentForStaff(ctx, pelt.id, { email: demoResidentEmail('pelt') });
    await nav(admin)
      .getByRole('link', { name: text('en', 'staffArea.nav.wallets') })
      .click();
    await waitForHeading(admin, text('en', 'staffArea.nav.wallets'));
    await admin.getByLabel(text('en', 'staffArea.wallets.query')).fill(resident!.memberCode);
    await admin.getByRole('button', { name: text('en', 'staffArea.wallets.find') }).click();
    await admin.getByTestId('wallet-result').waitFor();
    expect(plain(await admin.getByTestId('found-member-code').textContent())).toBe(
      resident!.memberCode,
    );
    const welcome = DEMO_WELCOME_POINTS.toLocaleString('en-GB');
    expect(plain(await admin.getByTestId('found-points').textContent())).toBe(welcome);
    await admin.getByTestId('history-table').getByText(`+${welcome}`).waitFor();
    await expectNoSeriousAxeViolations(admin);
    await screenshot(admin, 'staff-wallet');

    await admin.getByLabel(text('en', 'staffArea.wallets.query')).fill('nobody@example.org');
    await admin.getByRole('button', { name: text('en', 'staffArea.wallets.find') }).click();
    await admin.getByTestId('no-resident').waitFor();
  });

  it('shows the single sign-on settings to the admin', async () => {
    await nav(admin)
      .getByRole('link', { name: text('en', 'staffArea.nav.settings') })
      .click();
    await waitForHeading(admin, text('en', 'staffArea.nav.settings'));
    await admin.getByRole('heading', { name: text('en', 'oidc.settings.title') }).waitFor();
    await expectNoSeriousAxeViolations(admin);
    await screenshot(admin, 'staff-settings');
  });

  it('lets the reviewer sign in on a phone and shows only what their roles allow', async () => {
    reviewer = watch(await phone.context.newPage());
    await reviewer.goto(await workLinkFor(REVIEWER));
    await waitForHeading(reviewer, text('en', 'staffArea.home.title'));
    const links = await nav(reviewer).getByRole('link').allTextContents();
    expect(links).toEqual(
      // Reviewer and, since the admin changed it, finance.
      [
        'overview',
        'dashboard',
        'partners',
        'review',
        'imports',
        'reports',
        'tasks',
        'desk',
        'wallets',
        'finance',
        'liability',
        'payouts',
      ].map((key) => text('en', `staffArea.nav.${key}`)),
    );
    await expectNoSeriousAxeViolations(reviewer);
    await expectNoHorizontalScroll(reviewer);
    await screenshot(reviewer, 'staff-home-reviewer-phone');

    for (const path of ['users', 'audit']) {
      await reviewer.goto(`${server.url}/staff/${path}`);
      await reviewer.getByTestId('not-allowed').waitFor();
      await expectNoSeriousAxeViolations(reviewer);
    }
    const statuses = await reviewer.evaluate(`Promise.all(
      ['/api/municipalities/pelt/staff', '/api/municipalities/pelt/audit', '/api/municipalities/pelt/audit.csv']
        .map((url) => fetch(url).then((r) => r.status)))`);
    expect(statuses).toEqual([403, 403, 403]);

    await reviewer.goto(`${server.url}/staff/wallets`);
    await waitForHeading(reviewer, text('en', 'staffArea.nav.wallets'));
    await reviewer
      .getByLabel(text('en', 'staffArea.wallets.query'))
      .fill(demoResidentEmail('pelt'));
    await reviewer.getByRole('button', { name: text('en', 'staffArea.wallets.find') }).click();
    await reviewer.getByTestId('wallet-result').waitFor();
    await expectNoSeriousAxeViolations(reviewer);
    await expectNoHorizontalScroll(reviewer);
    await screenshot(reviewer, 'staff-wallet-phone');
  });

  it("keeps the admin's pages usable on a phone", async () => {
    await phone.context.clearCookies();
    await phone.context.addCookies(await desktop.context.cookies());
    const small = watch(await phone.context.newPage());
    for (const [path, title] of [
      ['users', 'staffArea.nav.users'],
      ['audit', 'staffArea.nav.audit'],
    ] as const) {
      await small.goto(`${server.url}/staff/${path}`);
      await waitForHeading(small, text('en', title));
      await small.getByRole('table').first().waitFor();
      await expectNoSeriousAxeViolations(small);
      await expectNoHorizontalScroll(small);
      await screenshot(small, `staff-${path}-phone`);
    }
    await small.close();
  });

  it("offers a signed-in staff member their own area from the public pages' header", async () => {
    await admin.goto(`${server.url}/`);
    const myWork = admin.getByRole('link', { name: text('en', 'nav.myWork') });
    await myWork.waitFor();
    expect(await admin.getByRole('link', { name: text('en', 'nav.signIn') }).count()).toBe(0);
    await myWork.click();
    await waitForHeading(admin, text('en', 'staffArea.home.title'));
  });

  it('signs the admin out', async () => {
    await admin.goto(`${server.url}/staff`);
    await waitForHeading(admin, text('en', 'staffArea.home.title'));
    await admin.getByRole('button', { name: text('en', 'resident.signOut') }).click();
    await waitForHeading(admin, text('en', 'areas.staff.name'));
    await admin
      .getByRole('link', { name: text('en', 'nav.signIn') })
      .last()
      .waitFor();
    await expectNoSeriousAxeViolations(admin);
    const status = await admin.evaluate("fetch('/api/users/me').then((r) => r.status)");
    expect(status).toBe(401);
  });
});
