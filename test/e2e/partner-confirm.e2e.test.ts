import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoPartnerUserEmail } from '../../src/demo/seed-demo.js';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { setEarningSettings } from '../support/earning.js';
import { signInResident } from '../support/residents.js';
import { freePort, startTestServer } from '../support/server.js';
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

// A charity's confirmer, signed in (the emailed link, through the API; the session cookie is put
// into the browser), confirms volunteer hours for a resident by member code in the partner
// portal and sees the points given; the kiosk page of the charity's location shows its site
// code, huge. On a tablet and on a phone.

const hasBrowser = requireBrowser('partner confirmation browser tests');
const en = (key: string, values: Record<string, string> = {}) =>
  Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), text('en', key));

const VIEWPORTS = {
  tablet: { viewport: { width: 1024, height: 768 }, isMobile: true, hasTouch: true },
  phone: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
} as const;

describe.skipIf(!hasBrowser)('partner confirmations and the kiosk in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let confirmer: SignedInUser;
  const browsers: LaunchedBrowser[] = [];
  const pageErrors: string[] = [];

  /** A page of a browser of this size, signed in as the confirmer. */
  async function pageFor(size: keyof typeof VIEWPORTS): Promise<Page> {
    const browser = await launchBrowser({ locale: 'en-GB', ...VIEWPORTS[size] });
    browsers.push(browser);
    await browser.context.addCookies(
      confirmer.headers.cookie!.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), url: server.url };
      }),
    );
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  beforeAll(async () => {
    prepareScreenshots();
    ensureWebBuild();
    // Unsafe requests must come from the app's own origin (PUBLIC_URL): its port is chosen first.
    server = await startTestServer({
      seedDemo: true,
      port: await freePort(),
      env: { SECRETS_KEY: randomBytes(32).toString('base64') },
    });
    await setEarningSettings(server.app, 'pelt');
    confirmer = await signInExistingUser(
      server.app,
      demoPartnerUserEmail('charity', 'confirmer', 'pelt'),
    );
  }, 180_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await server?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  for (const size of ['tablet', 'phone'] as const) {
    it(`confirms a resident's volunteer hours by member code (${size})`, async () => {
      const { resident, headers } = await signInResident(
        server.app,
        'pelt',
        `volunteer.${size}@example.be`,
      );
      const page = await pageFor(size);
      await page.goto(`${server.url}/partner`);
      await waitForHeading(page, en('partnerPortal.home.title'));
      const nav = page.getByRole('navigation', { name: en('partnerPortal.navLabel') });
      for (const key of ['home', 'confirm', 'kiosk']) {
        await nav.getByRole('link', { name: en(`partnerPortal.nav.${key}`) }).waitFor();
      }
      // A confirmer is no partner admin: no API keys in the list of jobs.
      expect(await nav.getByRole('link', { name: en('partnerPortal.nav.apiKeys') }).count()).toBe(
        0,
      );
      await expectNoSeriousAxeViolations(page);
      await expectNoHorizontalScroll(page);
      await screenshot(page, `partner-home-${size}-en`);

      await nav.getByRole('link', { name: en('partnerPortal.nav.confirm') }).click();
      await waitForHeading(page, en('partnerPortal.confirm.title'));
      await page
        .getByLabel(en('partnerPortal.confirm.activity'))
        .selectOption({ label: 'Volunteer with a charity' });
      // Headless Chromium on Linux has no BarcodeDetector: the page says to type the code.
      const scanning = await page.getByRole('button', { name: en('partnerPortal.confirm.scan') });
      if ((await scanning.count()) === 0) {
        await page.getByText(en('partnerPortal.confirm.scanUnavailable')).waitFor();
      }
      await page
        .getByLabel(en('partnerPortal.confirm.memberCode'))
        .fill(resident.memberCode.toLowerCase());
      await page.getByLabel(en('partnerPortal.confirm.quantity.hour')).fill('2,5');
      await expectNoSeriousAxeViolations(page);
      await page
        .getByRole('button', { name: en('partnerPortal.confirm.submit'), exact: true })
        .click();
      const result = page.getByTestId('confirm-result');
      await result.getByText(en('partnerPortal.confirm.given.other', { points: '25' })).waitFor();
      expect(plain(await result.textContent())).toContain(resident.memberCode);
      await page.getByTestId('recent').getByText(resident.memberCode).waitFor();
      await expectNoSeriousAxeViolations(page);
      await expectNoHorizontalScroll(page);
      await screenshot(page, `partner-confirm-${size}-en`);

      // The resident got the points, once.
      const wallet = await server.app.inject({ url: '/api/me/wallet', headers });
      expect(wallet.json().points).toBe(25);
      const confirmations = (
        await server.app.inject({ url: '/api/partner/confirmations', headers: confirmer.headers })
      ).json().items;
      expect(
        confirmations.filter((c: { memberCode: string }) => c.memberCode === resident.memberCode),
      ).toMatchObject([{ points: 25, quantity: 2.5, status: 'approved' }]);

      // A member code that is nobody's here: said plainly, nothing given.
      await page.getByRole('button', { name: en('partnerPortal.confirm.another') }).click();
      await page.getByLabel(en('partnerPortal.confirm.memberCode')).fill('00000-00000-0');
      await page.getByLabel(en('partnerPortal.confirm.quantity.hour')).fill('1');
      await page
        .getByRole('button', { name: en('partnerPortal.confirm.submit'), exact: true })
        .click();
      await result.getByText(en('partnerPortal.confirm.notGiven')).waitFor();
      await expectNoSeriousAxeViolations(page);
      if (size === 'phone') await screenshot(page, 'partner-confirm-refused-phone-en');
    });

    it(`shows the location's site code on the kiosk page, readable from afar (${size})`, async () => {
      const page = await pageFor(size);
      await page.goto(`${server.url}/partner/kiosk`);
      await waitForHeading(page, en('partnerPortal.kiosk.pickTitle'));
      await expectNoSeriousAxeViolations(page);
      const partner = (
        await server.app.inject({ url: '/api/partner', headers: confirmer.headers })
      ).json();
      const location = partner.locations[0];
      await page
        .getByRole('link', { name: en('partnerPortal.kiosk.showFor', { name: location.name }) })
        .click();
      await waitForHeading(page, location.name);
      const code = page.getByTestId('site-code');
      await code.waitFor();
      const shown = await code.getAttribute('data-code');
      expect(shown).toMatch(/^\d{6}$/);
      expect(plain(await code.textContent()).replace(/\s/g, '')).toBe(shown);
      const now = (
        await server.app.inject({
          url: `/api/partner/locations/${location.id}/site-code`,
          headers: confirmer.headers,
        })
      ).json();
      expect(now.code).toBe(shown);
      await page
        .getByTestId('countdown')
        .getByText(/\d+ s$/)
        .waitFor();
      // Big enough to read across a room: the digits at least an eighth of the screen's width tall.
      const box = await code.boundingBox();
      expect(box!.height).toBeGreaterThan(VIEWPORTS[size].viewport.width / 8);
      await expectNoSeriousAxeViolations(page);
      await expectNoHorizontalScroll(page);
      await screenshot(page, `partner-kiosk-${size}-en`);
    });
  }
});
