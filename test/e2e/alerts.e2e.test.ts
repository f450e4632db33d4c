import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeLinkOf } from '../../src/modules/alerts/alerts.service.js';
import { type LaunchedBrowser, requireBrowser } from '../support/browser.js';
import { testContext } from '../support/server.js';
import { waitForSignInLink } from '../support/smtp.js';
import { text, waitForHeading } from './page-checks.js';
import {
  askForLink,
  checkEachLanguage,
  type ResidentRig,
  startResidentRig,
} from './resident-steps.js';

// Area alerts in Chromium: a resident of Pelt follows their municipality and the area around
// their device's location, sees both, stops one; a digest's "stop" link asks first and then
// stops the alert (also without signing in). Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('area alerts browser tests');
const IN_PELT = { latitude: 51.2249, longitude: 5.4276 };

describe.skipIf(!hasBrowser)('area alerts in Chromium', () => {
  let rig: ResidentRig;
  let desktop: Page;
  let phone: Page;

  async function signUp(browser: LaunchedBrowser, email: string): Promise<Page> {
    const page = rig.watch(await browser.context.newPage());
    await askForLink(page, rig.server.url, email, 'Pelt');
    await page.goto(await waitForSignInLink(rig.received, email, 0));
    await waitForHeading(page, text('en', 'household.welcomeTitle'));
    await page.getByRole('link', { name: text('en', 'household.skip') }).click();
    await waitForHeading(page, text('en', 'resident.title'));
    return page;
  }

  beforeAll(async () => {
    rig = await startResidentRig();
    for (const browser of [rig.desktop, rig.phone]) {
      browser.context.setDefaultTimeout(10_000);
      await browser.context.grantPermissions(['geolocation'], { origin: rig.server.url });
      await browser.context.setGeolocation({ ...IN_PELT, accuracy: 20 });
    }
    desktop = await signUp(rig.desktop, 'alerts.desktop@example.org');
    phone = await signUp(rig.phone, 'alerts.phone@example.org');
  }, 180_000);

  afterAll(() => rig?.close());

  afterEach(() => {
    expect(rig.pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('follows the whole municipality and the area around the device, then stops one', async () => {
    await desktop.getByTestId('alerts-link').click();
    await waitForHeading(desktop, text('en', 'alerts.title'));
    await desktop.getByTestId('alerts-empty').waitFor();

    // The whole municipality, weekly, tasks and reports (the defaults).
    await desktop.getByRole('button', { name: text('en', 'alerts.follow') }).click();
    await desktop.getByTestId('alert-created').waitFor();
    await desktop.getByTestId('alert-item').first().waitFor();

    // Around the device's location, 1 km, reports only, daily.
    await desktop.getByLabel(text('en', 'alerts.where.near')).check();
    await desktop.getByRole('button', { name: text('en', 'alerts.useLocation') }).click();
    await desktop.getByTestId('alert-location').waitFor();
    await desktop.getByLabel(text('en', 'alerts.what.tasks')).uncheck();
    await desktop.getByLabel(text('en', 'alerts.frequency.daily')).check();
    await desktop.getByRole('button', { name: text('en', 'alerts.follow') }).click();
    await desktop.waitForFunction(
      "document.querySelectorAll('[data-testid=alert-item]').length === 2",
    );
    const items = await desktop.getByTestId('alert-item').allTextContents();
    expect(items[0]).toContain('All of Pelt');
    expect(items[1]).toContain('Within 1 km');
    expect(items[1]).toContain(text('en', 'alerts.what.reports'));
    expect(items[1]).toContain(text('en', 'alerts.frequency.daily'));

    // Nothing to follow is refused on the page before it is sent.
    await desktop.getByLabel(text('en', 'alerts.what.tasks')).uncheck();
    await desktop.getByLabel(text('en', 'alerts.what.reports')).uncheck();
    await desktop.getByRole('button', { name: text('en', 'alerts.follow') }).click();
    await desktop.getByText(text('en', 'alerts.errors.nothing')).waitFor();

    await desktop
      .getByTestId('alert-item')
      .filter({ hasText: 'Within 1 km' })
      .getByRole('button', { name: text('en', 'alerts.stop') })
      .click();
    await desktop.waitForFunction(
      "document.querySelectorAll('[data-testid=alert-item]').length === 1",
    );
    const api = (await desktop.evaluate("fetch('/api/me/area-alerts').then((r) => r.json())")) as {
      items: { area: { kind: string } }[];
    };
    expect(api.items.map((a) => a.area.kind)).toEqual(['municipality']);
  }, 60_000);

  it('reads well in each language, on a desktop and a phone', async () => {
    await phone.goto(`${rig.server.url}/resident/alerts`);
    await waitForHeading(phone, text('en', 'alerts.title'));
    await checkEachLanguage({ desktop, phone }, 'alerts', async (page, locale) => {
      await waitForHeading(page, text(locale, 'alerts.title'));
      await page.getByRole('heading', { name: text(locale, 'alerts.newTitle') }).waitFor();
    });
  }, 120_000);

  it("stops an alert from a digest's link after asking, and refuses a forged link", async () => {
    const api = (await desktop.evaluate("fetch('/api/me/area-alerts').then((r) => r.json())")) as {
      items: { id: string }[];
    };
    const alertId = api.items[0]!.id;
    const link = unsubscribeLinkOf(testContext(rig.server.app), rig.server.url, alertId).page;

    // A fresh browser page without the resident's session: the link is the proof.
    const stranger = rig.watch(await rig.phone.context.browser()!.newPage());
    try {
      await stranger.goto(link);
      await waitForHeading(stranger, text('en', 'alerts.unsubscribe.title'));
      // Opening the link changed nothing yet.
      expect(
        (
          (await desktop.evaluate("fetch('/api/me/area-alerts').then((r) => r.json())")) as {
            items: unknown[];
          }
        ).items,
      ).toHaveLength(1);
      await stranger
        .getByRole('button', { name: text('en', 'alerts.unsubscribe.confirm') })
        .click();
      await stranger.getByTestId('unsubscribed').waitFor();
      expect(
        (
          (await desktop.evaluate("fetch('/api/me/area-alerts').then((r) => r.json())")) as {
            items: unknown[];
          }
        ).items,
      ).toHaveLength(0);

      await stranger.goto(link.replace(/token=[^&]+/, 'token=forged'));
      await stranger
        .getByRole('button', { name: text('en', 'alerts.unsubscribe.confirm') })
        .click();
      await stranger.getByText(text('en', 'alerts.unsubscribe.invalid')).waitFor();
    } finally {
      await stranger.close();
    }
  }, 60_000);
});
