import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, requireBrowser } from '../support/browser.js';
import { jpegWithExif } from '../support/exif-jpeg.js';
import { PELT_MARKET } from '../support/tasks.js';
import { expectNoSeriousAxeViolations, screenshot, text, waitForHeading } from './page-checks.js';
import {
  checkEachLanguage,
  type ResidentRig,
  reviewerOfPelt,
  signUpInPelt,
  startMapRig,
} from './resident-steps.js';
import { fillAndSaveTask } from './staff-steps.js';

// The whole journey of issue 7 in Chromium, without map tiles: a resident reports a pothole from
// the map; a reviewer makes a task of it in the inbox and publishes it; another resident claims
// it, completes it with a photo and the device's location; the bounty is in their wallet; the
// reporter sees the report "in progress" and then "fixed". Screenshots of each page go to
// test-results/screenshots (journey-*).

const hasBrowser = requireBrowser('journey browser test');
const BROWSER_TIME = new Date('2026-12-01T10:00:00Z');
const SPOT = { latitude: PELT_MARKET.latitude - 0.004, longitude: PELT_MARKET.longitude + 0.003 };

describe.skipIf(!hasBrowser)('from a report to a paid task, in Chromium', () => {
  let rig: ResidentRig;
  let reporter: Page;
  let helper: Page;
  let reportId: string;
  let taskId: string;

  beforeAll(async () => {
    rig = await startMapRig({ at: BROWSER_TIME, where: SPOT });
    reporter = await signUpInPelt(rig, rig.desktop, 'journey.reporter@example.org');
    helper = await signUpInPelt(rig, rig.phone, 'journey.helper@example.org');
  }, 240_000);

  afterAll(() => rig?.close());

  afterEach(() => {
    expect(rig.pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('a resident reports a pothole from the map', async () => {
    await reporter.goto(`${rig.server.url}/map`);
    await reporter.getByRole('link', { name: text('en', 'reports.form.title') }).click();
    await waitForHeading(reporter, text('en', 'reports.form.title'));
    await reporter.getByLabel(text('en', 'reports.form.category')).selectOption('pothole');
    await reporter.getByLabel('How big is it?').selectOption('large');
    await reporter.getByLabel('How deep, in cm?').fill('15');
    await reporter
      .getByRole('button', { name: text('en', 'reports.form.location.useDevice') })
      .click();
    await reporter
      .getByTestId('place-status')
      .getByText(/^Place chosen: /)
      .waitFor();
    await reporter
      .getByLabel(text('en', 'reports.form.description'))
      .fill('A pothole on the cycle path by the school.');
    await screenshot(reporter, 'journey-1-report-form');
    await reporter.getByRole('button', { name: text('en', 'reports.form.send') }).click();
    await waitForHeading(reporter, text('en', 'reports.sent.title'));
    await expectNoSeriousAxeViolations(reporter);
    const mine = (await (
      await reporter.request.get(`${rig.server.url}/api/me/reports`)
    ).json()) as {
      reported: { id: string }[];
    };
    reportId = mine.reported[0]!.id;
  }, 60_000);

  it('a reviewer makes a task of it and publishes it', async () => {
    const { browser, page } = await reviewerOfPelt(rig, 'journey.reviewer@example.org');
    try {
      await page.goto(`${rig.server.url}/staff/reports`);
      await waitForHeading(page, text('en', 'staffReports.title'));
      await page.getByTestId('report-inbox').getByRole('button', { name: 'Pothole' }).click();
      const panel = page.getByTestId('report-panel');
      await panel.getByText('A pothole on the cycle path by the school.').first().waitFor();
      await screenshot(page, 'journey-2-inbox');
      await panel.getByRole('link', { name: text('en', 'staffReports.makeTask') }).click();
      await waitForHeading(page, text('en', 'staffTasks.title'));
      await fillAndSaveTask(
        page,
        {
          Dutch: 'Put vullen',
          French: 'Boucher le nid-de-poule',
          German: 'Schlagloch füllen',
          English: 'Fill the pothole',
        },
        { start: '2026-12-01T08:00', end: '2026-12-05T18:00' },
      );
      const row = page.getByTestId('staff-tasks').getByRole('row', { name: /Fill the pothole/ });
      await row.getByRole('button', { name: text('en', 'staffTasks.publish') }).click();
      await row
        .getByRole('cell', { name: text('en', 'staffTasks.status.open'), exact: true })
        .waitFor();
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, 'journey-3-task-published');
      const tasks = (await (
        await page.request.get(`${rig.server.url}/api/municipalities/pelt/tasks`)
      ).json()) as { items: { id: string; sourceReportId: string | null }[] };
      taskId = tasks.items.find((t) => t.sourceReportId === reportId)!.id;

      // The reviewer's inbox and task manager read well in each language, also on a phone.
      const phone = await launchBrowser({
        locale: 'en-GB',
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
      });
      try {
        await phone.context.addCookies(await browser.context.cookies());
        const small = rig.watch(await phone.context.newPage());
        small.setDefaultTimeout(10_000);
        for (const [path, title] of [
          ['reports', 'staffReports.title'],
          ['tasks', 'staffTasks.title'],
        ] as const) {
          await page.goto(`${rig.server.url}/staff/${path}`);
          await small.goto(`${rig.server.url}/staff/${path}`);
          await checkEachLanguage({ desktop: page, phone: small }, `staff-${path}`, (p, locale) =>
            waitForHeading(p, text(locale, title)),
          );
        }
      } finally {
        await phone.close();
      }
    } finally {
      await browser.close();
    }
    // The reporter sees the report in progress.
    await reporter.goto(`${rig.server.url}/resident/reports`);
    await waitForHeading(reporter, text('en', 'reports.mine.title'));
    await reporter
      .locator(`[data-report="${reportId}"]`)
      .getByText(text('en', 'map.status.in_progress'))
      .first()
      .waitFor();
  }, 240_000);

  it('another resident claims it, completes it with a photo and is paid', async () => {
    const points = async () =>
      (await (await helper.request.get(`${rig.server.url}/api/me/wallet`)).json()).points as number;
    const before = await points();
    await helper.goto(`${rig.server.url}/tasks/${taskId}`);
    await waitForHeading(helper, 'Fill the pothole');
    await helper.getByRole('button', { name: text('en', 'tasks.detail.claim') }).click();
    await helper.getByTestId('task-held').waitFor();
    await screenshot(helper, 'journey-4-task-claimed');
    await helper.getByTestId('after-photo-camera').setInputFiles({
      name: 'filled.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpegWithExif({ seed: 907, takenAt: '2026-12-01T09:55:00Z', ...SPOT }),
    });
    await helper.getByTestId('after-photo-added').waitFor();
    await helper.getByRole('button', { name: text('en', 'earn.form.location.use') }).click();
    await helper.getByTestId('location-added').waitFor();
    await helper.getByRole('button', { name: text('en', 'tasks.complete.submit') }).click();
    const result = helper.getByTestId('task-claim-result');
    await result.waitFor();
    expect(await result.textContent()).toBe(text('en', 'tasks.claimStatus.approved'));
    await expectNoSeriousAxeViolations(helper);
    await screenshot(helper, 'journey-5-task-done');
    const task = (await (
      await helper.request.get(`${rig.server.url}/api/tasks/${taskId}`)
    ).json()) as {
      bountyPoints: number;
    };
    expect(await points()).toBe(before + task.bountyPoints);
    await helper.goto(`${rig.server.url}/resident`);
    await waitForHeading(helper, text('en', 'resident.title'));
    await screenshot(helper, 'journey-6-wallet');
  }, 60_000);

  it('the reporter sees the pothole fixed', async () => {
    await reporter.goto(`${rig.server.url}/resident/reports`);
    await waitForHeading(reporter, text('en', 'reports.mine.title'));
    await reporter
      .locator(`[data-report="${reportId}"]`)
      .getByText(text('en', 'map.status.fixed'))
      .first()
      .waitFor();
    await expectNoSeriousAxeViolations(reporter);
    await screenshot(reporter, 'journey-7-reporter-sees-fixed');
  }, 30_000);
});
